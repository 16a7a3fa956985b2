"""Meetings against real server processes: concurrency, the SSE stream, resume, Redis fan-out."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.db import make_engine
from shuping.live.models import LiveEvent
from shuping.meetings import service
from shuping.meetings.models import Ballot
from tests.support.databases import create_database, drop_database, plan_database
from tests.support.evaluation import make_evaluation_cycle
from tests.support.servers import open_hall, prepare, running_server

REDIS_URL = os.environ.get("SHUPING_TEST_REDIS_URL")
GOOD = {"duty": 28, "overall": "good"}


@dataclass
class LiveHall:
    url: str
    db_url: str
    meeting_id: int
    report_ids: list[int]
    screen_key: str
    admin: dict[str, str]


async def _seed_cycle(db_url: str) -> list[int]:
    engine = make_engine(db_url)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        ev = await make_evaluation_cycle(session)
        await session.commit()
        ids = [ev.cycle.id] + [r.id for r in ev.reports]
    await engine.dispose()
    return ids


@pytest.fixture(scope="module")
def database_url(base_database_url: str | None) -> Iterator[str]:
    url = plan_database(base_database_url, "hall")
    create_database(url)
    prepare(url)
    try:
        yield url
    finally:
        drop_database(url)


@pytest.fixture(scope="module")
def hall(database_url: str) -> Iterator[LiveHall]:
    ids = asyncio.run(_seed_cycle(database_url))
    with running_server(database_url) as base:
        mid, key, admin = open_hall(base, ids[0], ids[1:])
        yield LiveHall(base, database_url, mid, ids[1:], key, admin)


def _tokens(hall: LiveHall, n: int, base: str | None = None) -> list[str]:
    r = httpx.post(
        f"{base or hall.url}/api/v1/meetings/{hall.meeting_id}/tokens",
        headers=hall.admin,
        json={"group_key": "members", "count": n},
    )
    assert r.status_code == 201, r.text
    return list(r.json()["tokens"])


async def _count_ballots(db_url: str, meeting_id: int, report_id: int | None = None) -> int:
    engine = make_engine(db_url)
    async with AsyncSession(engine) as s:
        stmt = select(func.count()).select_from(Ballot).where(Ballot.meeting_id == meeting_id)
        if report_id is not None:
            stmt = stmt.where(Ballot.report_id == report_id)
        n = int((await s.execute(stmt)).scalar_one())
    await engine.dispose()
    return n


async def test_fifty_concurrent_uses_of_one_token_count_once(hall: LiveHall) -> None:
    token = _tokens(hall, 1)[0]
    report = hall.report_ids[1]
    before = await _count_ballots(hall.db_url, hall.meeting_id, report)
    async with httpx.AsyncClient(base_url=hall.url, timeout=30, limits=httpx.Limits(max_connections=60)) as c:
        answers = await asyncio.gather(
            *[
                c.post(
                    f"/api/v1/meetings/{hall.meeting_id}/ballots",
                    json={"report_id": report, "items": GOOD},
                    headers={"X-Ballot-Token": token, "Idempotency-Key": uuid.uuid4().hex},
                )
                for _ in range(50)
            ]
        )
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] + [409] * 49, codes
    assert all(r.json()["type"].endswith("token-used") for r in answers if r.status_code == 409)
    assert await _count_ballots(hall.db_url, hall.meeting_id, report) == before + 1


async def test_a_burst_of_racing_ballots_is_judged_as_if_one_came_after_another(hall: LiveHall) -> None:
    """Requests racing for the same rows share a writer batch; each is judged in arrival order."""
    a, b, c, d = _tokens(hall, 4)
    first, second = hall.report_ids[0], hall.report_ids[1]
    before = await _count_ballots(hall.db_url, hall.meeting_id)
    twin = uuid.uuid4().hex
    sheet = {"ballots": [{"report_id": r, "items": GOOD} for r in (first, second)]}
    async with httpx.AsyncClient(base_url=hall.url, timeout=30, limits=httpx.Limits(max_connections=20)) as client:

        def vote(token: str, body: dict[str, Any], key: str | None = None) -> Any:
            return client.post(
                f"/api/v1/meetings/{hall.meeting_id}/ballots",
                json=body,
                headers={"X-Ballot-Token": token, "Idempotency-Key": key or uuid.uuid4().hex},
            )

        one = {"report_id": first, "items": GOOD}
        answers = await asyncio.gather(
            vote(a, one),
            vote(a, one),  # the same token on the same report: one of the two counts
            vote(b, one, twin),
            vote(b, one, twin),  # a retry racing its first try: one ballot, the same answer
            vote(c, {"report_id": second, "items": GOOD}),
            vote(c, sheet),  # overlaps c's single ballot: all or nothing
            vote(d, one),
        )
        codes = [r.status_code for r in answers]
        assert sorted(codes[:2]) == [201, 409], codes
        assert codes[2:4] == [201, 201] and answers[2].json() == answers[3].json()
        assert sorted(codes[4:6]) == [201, 409], codes
        assert codes[6] == 201
        c_ballots = 2 if codes[5] == 201 else 1
        assert await _count_ballots(hall.db_url, hall.meeting_id) == before + 3 + c_ballots
        if codes[5] == 409:
            # The refused sheet gave back the use it had taken on the first report.
            assert (await vote(c, one)).status_code == 201


async def test_fifty_retries_of_one_key_count_once(hall: LiveHall) -> None:
    token = _tokens(hall, 1)[0]
    report = hall.report_ids[2]
    before = await _count_ballots(hall.db_url, hall.meeting_id, report)
    headers = {"X-Ballot-Token": token, "Idempotency-Key": uuid.uuid4().hex}
    async with httpx.AsyncClient(base_url=hall.url, timeout=30, limits=httpx.Limits(max_connections=60)) as c:
        answers = await asyncio.gather(
            *[
                c.post(
                    f"/api/v1/meetings/{hall.meeting_id}/ballots",
                    json={"report_id": report, "items": GOOD},
                    headers=headers,
                )
                for _ in range(50)
            ]
        )
    assert {r.status_code for r in answers} == {201}
    assert len({r.json()["receipt"] for r in answers}) == 1
    assert await _count_ballots(hall.db_url, hall.meeting_id, report) == before + 1


class SSEReader:
    """Reads an event stream in the background and keeps every event it saw."""

    def __init__(self, client: httpx.AsyncClient, url: str, headers: dict[str, str] | None = None) -> None:
        self.client, self.url, self.headers = client, url, headers or {}
        self.events: list[dict[str, Any]] = []
        self.connected = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        async with self.client.stream("GET", self.url, headers=self.headers, timeout=None) as r:
            assert r.status_code == 200
            assert r.headers["content-type"].startswith("text/event-stream")
            assert r.headers["cache-control"] == "no-cache"
            self.connected.set()
            frame: dict[str, Any] = {}
            async for line in r.aiter_lines():
                if line == "":
                    if "id" in frame:
                        frame["at"] = time.monotonic()
                        self.events.append(frame)
                    frame = {}
                elif line.startswith("id: "):
                    frame["id"] = int(line[4:])
                elif line.startswith("event: "):
                    frame["event"] = line[7:]
                elif line.startswith("data: "):
                    frame["data"] = json.loads(line[6:])

    async def __aenter__(self) -> SSEReader:
        self._task = asyncio.create_task(self._run())
        await asyncio.wait_for(self.connected.wait(), 10)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self._task

    async def wait_for(self, event: str, after: float, timeout: float = 5.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for e in self.events:
                if e.get("event") == event and e["at"] >= after:
                    return e
            await asyncio.sleep(0.01)
        raise AssertionError(f"no {event} event within {timeout} s; saw {[e.get('event') for e in self.events]}")


@contextlib.asynccontextmanager
async def _client(base: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        yield c


async def test_screen_gets_a_tally_event_within_a_second_and_resumes_without_gaps(hall: LiveHall) -> None:
    events_url = f"/api/v1/meetings/{hall.meeting_id}/events?key={hall.screen_key}"
    token = _tokens(hall, 1)[0]
    async with _client(hall.url) as c, SSEReader(c, events_url) as screen:
        await asyncio.sleep(0.2)
        sent = time.monotonic()
        r = await c.post(
            f"/api/v1/meetings/{hall.meeting_id}/ballots",
            json={"report_id": hall.report_ids[0], "items": GOOD},
            headers={"X-Ballot-Token": token, "Idempotency-Key": uuid.uuid4().hex},
        )
        assert r.status_code == 201
        tally = await screen.wait_for("tally", after=sent, timeout=1.0)
        assert tally["at"] - sent < 1.0
        first = next(g for g in tally["data"]["reports"][0]["groups"] if g["key"] == "members")
        assert first["received"] >= 1
        seen = [e["id"] for e in screen.events]
    assert seen == sorted(seen) and len(seen) == len(set(seen))
    # Missed while disconnected: a speaker change and a reveal.
    await asyncio.to_thread(
        httpx.post,
        f"{hall.url}/api/v1/meetings/{hall.meeting_id}/speaker",
        headers=hall.admin,
        json={"report_id": hall.report_ids[1]},
    )
    await asyncio.to_thread(
        httpx.post, f"{hall.url}/api/v1/meetings/{hall.meeting_id}/reveal", headers=hall.admin, json={"revealed": False}
    )
    last = seen[-1]
    async with _client(hall.url) as c, SSEReader(c, events_url, {"Last-Event-ID": str(last)}) as again:
        await again.wait_for("reveal", after=0)
        await asyncio.sleep(0.3)
        replayed = [e["id"] for e in again.events]
    assert replayed[0] == last + 1
    assert replayed == list(range(last + 1, last + 1 + len(replayed)))
    assert [e["event"] for e in again.events][:2] == ["speaker", "reveal"]


async def test_a_burst_of_ballots_reaches_the_screen_in_tally_events_at_most_ten_a_second(hall: LiveHall) -> None:
    events_url = f"/api/v1/meetings/{hall.meeting_id}/events?key={hall.screen_key}"
    tokens = _tokens(hall, 40)
    async with (
        httpx.AsyncClient(base_url=hall.url, timeout=30, limits=httpx.Limits(max_connections=40)) as c,
        SSEReader(c, events_url) as screen,
    ):
        started = time.monotonic()
        for _ in range(3):  # three waves, so that some batches come before their tally event is due
            answers = await asyncio.gather(
                *[
                    c.post(
                        f"/api/v1/meetings/{hall.meeting_id}/ballots",
                        json={"report_id": hall.report_ids[-1], "items": GOOD},
                        headers={"X-Ballot-Token": token, "Idempotency-Key": uuid.uuid4().hex},
                    )
                    for token in tokens
                ]
            )
            assert {r.status_code for r in answers} == {201}
            tokens = _tokens(hall, 40)
            await asyncio.sleep(0.03)
        stored = await _count_ballots(hall.db_url, hall.meeting_id)
        # The last ballot is on the screen within a second, and nothing is left unshown.
        deadline = time.monotonic() + 1.0
        shown = -1
        while time.monotonic() < deadline and shown != stored:
            tallies = [e for e in screen.events if e.get("event") == "tally"]
            if tallies:
                shown = sum(g["received"] for rep in tallies[-1]["data"]["reports"] for g in rep["groups"])
            await asyncio.sleep(0.02)
        assert shown == stored
    # Coalesced: the tally events of the burst are logged at least 0.1 s apart.
    engine = make_engine(hall.db_url)
    async with AsyncSession(engine) as s:
        logged = (
            (
                await s.execute(
                    select(LiveEvent.created_at)
                    .where(LiveEvent.channel == service.channel(hall.meeting_id), LiveEvent.type == "tally")
                    .order_by(LiveEvent.seq)
                )
            )
            .scalars()
            .all()
        )
    await engine.dispose()
    recent = [t for t in logged if t.timestamp() >= time.time() - (time.monotonic() - started) - 0.5]
    assert len(recent) >= 2
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(recent)]
    assert min(gaps) >= 0.095, gaps


async def test_events_need_the_screen_key_or_a_login(hall: LiveHall) -> None:
    async with _client(hall.url) as c:
        assert (await c.get(f"/api/v1/meetings/{hall.meeting_id}/events")).status_code == 401
        assert (await c.get(f"/api/v1/meetings/{hall.meeting_id}/events?key=nope")).status_code == 403


@pytest.mark.skipif(not REDIS_URL, reason="SHUPING_TEST_REDIS_URL not set")
async def test_a_ballot_on_one_process_reaches_a_screen_on_another(database_url: str) -> None:
    assert REDIS_URL
    ids = await asyncio.to_thread(lambda: asyncio.run(_seed_cycle(database_url)))
    env = {"SHUPING_REDIS_URL": REDIS_URL}
    with running_server(database_url, extra_env=env) as a, running_server(database_url, extra_env=env) as b:
        mid, key, admin = await asyncio.to_thread(open_hall, a, ids[0], ids[1:])
        token = httpx.post(
            f"{a}/api/v1/meetings/{mid}/tokens", headers=admin, json={"group_key": "deputies", "count": 1}
        ).json()["tokens"][0]
        async with _client(b) as cb, SSEReader(cb, f"/api/v1/meetings/{mid}/events?key={key}") as screen_b:
            await asyncio.sleep(0.3)
            sent = time.monotonic()
            async with _client(a) as ca:
                r = await ca.post(
                    f"/api/v1/meetings/{mid}/ballots",
                    json={"report_id": ids[1], "items": GOOD},
                    headers={"X-Ballot-Token": token, "Idempotency-Key": uuid.uuid4().hex},
                )
            assert r.status_code == 201
            event = await screen_b.wait_for("tally", after=sent, timeout=2.0)
            deputies = next(g for g in event["data"]["reports"][0]["groups"] if g["key"] == "deputies")
            assert deputies["received"] == 1


@pytest.mark.skipif(not REDIS_URL, reason="SHUPING_TEST_REDIS_URL not set")
async def test_two_workers_share_login_limits_revocations_and_closed_votes(database_url: str) -> None:
    """Two server processes on one database and one Redis, as a fleet runs (DESIGN §7, #18): what one
    decides, the other holds to at once — login failures counted together, a code revoked on one refused
    on the other, voting closed on one refused on the other — though each keeps its own caches."""
    assert REDIS_URL
    ids = await asyncio.to_thread(lambda: asyncio.run(_seed_cycle(database_url)))
    env = {"SHUPING_REDIS_URL": REDIS_URL}
    with running_server(database_url, extra_env=env) as a, running_server(database_url, extra_env=env) as b:
        mid, _, admin = await asyncio.to_thread(open_hall, a, ids[0], ids[1:])
        async with _client(a) as ca, _client(b) as cb:
            # Login failures: five for one account from one address, spread over both workers, use up the
            # limit on both (one worker alone would allow five more). A new name: counts of other runs stay apart.
            user = f"nobody-{uuid.uuid4().hex[:8]}"
            for n in range(5):
                worker = ca if n % 2 == 0 else cb
                r = await worker.post("/api/v1/auth/token", data={"username": user, "password": "wrong"})
                assert r.status_code == 401, (n, r.text)
            for worker in (ca, cb):
                r = await worker.post("/api/v1/auth/token", data={"username": user, "password": "wrong"})
                assert r.status_code == 429 and "retry-after" in r.headers

            # Worker B has read the meeting and its codes (its caches are warm) with a first ballot.
            issued = await ca.post(
                f"/api/v1/meetings/{mid}/tokens", headers=admin, json={"group_key": "deputies", "count": 2}
            )
            first, second = issued.json()["tokens"]
            vote = {"report_id": ids[1], "items": GOOD}
            r = await cb.post(
                f"/api/v1/meetings/{mid}/ballots",
                json=vote,
                headers={"X-Ballot-Token": first, "Idempotency-Key": uuid.uuid4().hex},
            )
            assert r.status_code == 201
            # A code revoked on A is refused on B at once, though B's cache knows it.
            r = await ca.post(f"/api/v1/meetings/{mid}/tokens/revoke", headers=admin, json={"tokens": [second]})
            assert r.json() == {"revoked": 1}
            r = await cb.post(
                f"/api/v1/meetings/{mid}/ballots",
                json=vote,
                headers={"X-Ballot-Token": second, "Idempotency-Key": uuid.uuid4().hex},
            )
            assert r.status_code == 409 and r.json()["code"] == "token-revoked", r.text

            # Voting closed on A is refused on B at once.
            named = await ca.post(
                f"/api/v1/meetings/{mid}/tokens", headers=admin, json={"group_key": "deputies", "count": 1}
            )
            third = named.json()["tokens"][0]
            r = await ca.post(f"/api/v1/meetings/{mid}/reports/{ids[2]}/voting", headers=admin, json={"open": False})
            assert r.status_code == 200
            r = await cb.post(
                f"/api/v1/meetings/{mid}/ballots",
                json={"report_id": ids[2], "items": GOOD},
                headers={"X-Ballot-Token": third, "Idempotency-Key": uuid.uuid4().hex},
            )
            assert r.status_code == 409 and r.json()["code"] == "voting-closed", r.text


async def _tally_times(db_url: str, meeting_id: int, since: float) -> list[float]:
    """When each of the meeting's `tally` events was logged (epoch seconds), those since `since`."""
    engine = make_engine(db_url)
    async with AsyncSession(engine) as s:
        logged = (
            (
                await s.execute(
                    select(LiveEvent.created_at)
                    .where(LiveEvent.channel == service.channel(meeting_id), LiveEvent.type == "tally")
                    .order_by(LiveEvent.seq)
                )
            )
            .scalars()
            .all()
        )
    await engine.dispose()
    return [t.timestamp() for t in logged if t.timestamp() >= since]


@pytest.mark.skipif(not REDIS_URL, reason="SHUPING_TEST_REDIS_URL not set")
async def test_two_workers_share_the_tally_events_limit_and_the_last_shows_every_ballot(database_url: str) -> None:
    """Ballots through two workers for a second: the screen gets at most one process's ten `tally` events a
    second (not ten from each), and the last of them counts every ballot stored (#18)."""
    assert REDIS_URL
    ids = await asyncio.to_thread(lambda: asyncio.run(_seed_cycle(database_url)))
    env = {"SHUPING_REDIS_URL": REDIS_URL}
    with running_server(database_url, extra_env=env) as a, running_server(database_url, extra_env=env) as b:
        mid, key, admin = await asyncio.to_thread(open_hall, a, ids[0], ids[1:])
        issued = httpx.post(
            f"{a}/api/v1/meetings/{mid}/tokens", headers=admin, json={"group_key": "members", "count": 240}
        )
        assert issued.status_code == 201, issued.text
        tokens = iter(issued.json()["tokens"])
        limits = httpx.Limits(max_connections=12)
        async with (
            httpx.AsyncClient(base_url=a, timeout=30, limits=limits) as ca,
            httpx.AsyncClient(base_url=b, timeout=30, limits=limits) as cb,
            SSEReader(ca, f"/api/v1/meetings/{mid}/events?key={key}") as screen,
        ):
            await asyncio.sleep(0.3)
            started, since = time.monotonic(), time.time()
            # Twelve waves of twenty ballots, half through each worker, over about a second.
            for _ in range(12):
                answers = await asyncio.gather(
                    *[
                        (ca if n % 2 == 0 else cb).post(
                            f"/api/v1/meetings/{mid}/ballots",
                            json={"report_id": ids[1], "items": GOOD},
                            headers={"X-Ballot-Token": next(tokens), "Idempotency-Key": uuid.uuid4().hex},
                        )
                        for n in range(20)
                    ]
                )
                assert {r.status_code for r in answers} == {201}
                await asyncio.sleep(0.05)
            burst = time.monotonic() - started
            stored = await _count_ballots(database_url, mid)
            assert stored == 240
            # The last ballot reaches the screen: the last tally event counts every ballot.
            deadline = time.monotonic() + 2.0
            shown = -1
            while time.monotonic() < deadline:
                tallies = [e for e in screen.events if e.get("event") == "tally"]
                if tallies:
                    shown = sum(g["received"] for rep in tallies[-1]["data"]["reports"] for g in rep["groups"])
                    if shown == stored:
                        break
                await asyncio.sleep(0.02)
            assert shown == stored
            await asyncio.sleep(0.3)  # nothing more is on its way
            tallies = [e for e in screen.events if e.get("event") == "tally" and e["at"] >= started]
    # Ten a second across the fleet, as one process alone allows (two workers each spacing their own
    # sent 20 here): in any second at most 10, +1 for where the second starts and +1 for the time
    # between a window's claim and its event's logging, which a busy writer stretches.
    logged = await _tally_times(database_url, mid, since)
    assert len(logged) == len(tallies) >= 3, (logged, burst)
    per_second = max(sum(1 for u in logged if t <= u < t + 1.0) for t in logged)
    assert per_second <= 12, (per_second, [round(b - a, 3) for a, b in itertools.pairwise(logged)])
    assert len(logged) <= burst / 0.1 + 3, (len(logged), burst)
    last = tallies[-1]["data"]["reports"]
    assert sum(g["received"] for rep in last for g in rep["groups"]) == stored
