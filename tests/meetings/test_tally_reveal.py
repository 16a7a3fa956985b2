"""The tally and the reveal: counts only until the meeting is revealed with no report open for voting,
for everyone; no score of fewer than min_ballots_shown ballots even then; no reveal while voting is open.

Ballots are put straight in (as counted paper sheets): the tally reads them as it reads any ballot.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.live.models import LiveEvent
from shuping.meetings import tally
from shuping.meetings.models import Meeting
from tests.results.test_withheld import add_ballots
from tests.support.builders import auth_headers, get_user
from tests.support.evaluation import EvaluationCycle, make_evaluation_cycle, started_meeting


class Room:
    """A live meeting on the scenario's three reports, the first open for voting, its ballots in."""

    def __init__(self, client: httpx.AsyncClient, ev: EvaluationCycle, admin: dict[str, str], meeting: dict[str, Any]):
        self.client, self.ev, self.admin, self.meeting = client, ev, admin, meeting

    @property
    def mid(self) -> int:
        return int(self.meeting["id"])

    async def post(self, path: str, body: object = None) -> httpx.Response:
        return await self.client.post(f"/api/v1/meetings/{self.mid}{path}", json=body, headers=self.admin)

    async def tally(self, headers: dict[str, str] | None = None) -> dict[str, Any]:
        params = None if headers else {"key": self.meeting["screen_key"]}
        r = await self.client.get(f"/api/v1/meetings/{self.mid}/tally", params=params, headers=headers)
        assert r.status_code == 200, r.text
        return dict(r.json())

    async def voting(self, i: int, open_: bool) -> None:
        r = await self.post(f"/reports/{self.ev.reports[i].id}/voting", {"open": open_})
        assert r.status_code == 200, r.text


async def _room(client: httpx.AsyncClient, session: AsyncSession, **overrides: Any) -> Room:
    ev = await make_evaluation_cycle(session, **overrides)
    admin = auth_headers(await get_user(session, "admin"))
    room = Room(client, ev, admin, await started_meeting(client, ev, admin))
    await room.voting(0, True)
    add_ballots(ev, room.mid, session)
    await session.flush()
    return room


def _scores(t: dict[str, Any]) -> list[Any]:
    """Every score and rank a tally carries."""
    return [x for r in t["reports"] for x in (r["score"], r["rank"], *(g["score"] for g in r["groups"]))]


@pytest.fixture
async def room(client: httpx.AsyncClient, session: AsyncSession) -> Room:
    return await _room(client, session)


async def test_reveal_is_refused_while_voting_is_open_and_nothing_changes(room: Room, session: AsyncSession) -> None:
    def reveals() -> Any:
        return (
            select(func.count())
            .select_from(LiveEvent)
            .where(LiveEvent.channel == f"meeting:{room.mid}", LiveEvent.type == "reveal")
        )

    audits = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "meeting.reveal")
    before = (await session.scalar(reveals()), await session.scalar(audits))
    r = await room.post("/reveal", {"revealed": True})
    assert r.status_code == 409, r.text
    problem = r.json()
    assert problem["type"].endswith("/reveal-while-voting")
    assert problem["report_ids"] == [room.ev.reports[0].id]
    assert "Close voting first" in problem["detail"]
    assert (await session.scalar(reveals()), await session.scalar(audits)) == before
    meeting = (await room.client.get(f"/api/v1/meetings/{room.mid}", headers=room.admin)).json()
    assert meeting["revealed"] is False
    assert (await session.scalar(select(Meeting.revealed).where(Meeting.id == room.mid))) is False
    # Hiding is always allowed; showing once voting is closed too.
    assert (await room.post("/reveal", {"revealed": False})).status_code == 200
    await room.voting(0, False)
    r = await room.post("/reveal", {"revealed": True})
    assert r.status_code == 200 and r.json()["revealed"] is True
    assert await session.scalar(reveals()) == before[0] + 2


async def test_before_the_reveal_everyone_sees_counts_only(room: Room, session: AsyncSession) -> None:
    watchers: list[dict[str, str] | None] = [None, room.admin]  # the screen by its key, the host's staff
    for username in ("clerk", "leader01", "s410326101"):
        headers = auth_headers(await get_user(session, username))
        r = await room.client.get(f"/api/v1/meetings/{room.mid}/tally", headers=headers)
        if r.status_code == 200:
            watchers.append(headers)
    assert len(watchers) >= 4, "the host's clerk and the cycle's leader read the tally"
    for closed in (False, True):  # voting open, then closed but not yet revealed
        if closed:
            await room.voting(0, False)
        for headers in watchers:
            t = await room.tally(headers)
            assert t["scores_visible"] is False and t["revealed"] is False
            assert set(_scores(t)) == {None}
            first = t["reports"][0]
            assert {g["key"]: (g["received"], g["expected"]) for g in first["groups"]} == {
                "leaders": (1, 3),
                "deputies": (5, 24),
                "members": (5, 60),
            }
            assert all(g["withheld"] is None and g["hidden_below"] is None for g in first["groups"])
    # The live `tally` event carries the counts and nothing else.
    event = await session.run_sync(tally.counts_event, room.mid)
    assert {k for r in event["reports"] for g in r["groups"] for k in g} == {"key", "received", "expected"}


async def test_revealed_scores_withhold_few_ballots_and_count_them(room: Room, session: AsyncSession) -> None:
    for i in (0, 1, 2):
        if i:
            await room.voting(i, True)
        await room.voting(i, False)
    assert (await room.post("/reveal", {"revealed": True})).status_code == 200
    leader = auth_headers(await get_user(session, "leader01"))
    for headers in (None, room.admin, leader):
        t = await room.tally(headers)
        assert t["scores_visible"] is True
        a, b, c = t["reports"]
        # 城关镇: 0.4·90 + 0.3·71 + 0.3·67 = 77.40, its one leader's ballot counted but never shown.
        assert (a["score"], a["rank"], a["withheld"]) == ("77.40", 2, False)
        assert [(g["received"], g["score"], g["withheld"], g["hidden_below"]) for g in a["groups"]] == [
            (1, None, "few_ballots", 3),
            (5, None, "complement", 3),
            (5, "67.00", None, None),
        ]
        assert (b["score"], b["rank"]) == ("62.20", 3)
        assert [g["score"] for g in b["groups"]] == ["52.00", "71.00", "67.00"]
        # 王坪乡: two ballots in all: its score (85) and rank (1) are withheld, its count is not.
        assert (c["score"], c["rank"], c["withheld"], c["hidden_below"]) == (None, None, True, 3)
        assert [(g["received"], g["score"], g["withheld"]) for g in c["groups"]] == [
            (2, None, "few_ballots"),
            (0, None, None),
            (0, None, None),
        ]
        assert "85.00" not in str(t) and "90.00" not in str(t) and "71.00" not in str(a)
    # Voting opens again on a report: no score moves with its ballots, for anyone, until it closes.
    await room.voting(1, True)
    for headers in (None, room.admin):
        t = await room.tally(headers)
        assert t["revealed"] is True and t["scores_visible"] is False and set(_scores(t)) == {None}
    await room.voting(1, False)
    assert (await room.tally())["scores_visible"] is True


async def test_a_minimum_of_one_shows_every_score(client: httpx.AsyncClient, session: AsyncSession) -> None:
    room = await _room(client, session, min_ballots_shown=1)
    await room.voting(0, False)
    assert (await room.post("/reveal", {"revealed": True})).status_code == 200
    a, _b, c = (await room.tally())["reports"]
    assert [g["score"] for g in a["groups"]] == ["90.00", "71.00", "67.00"]
    assert (a["score"], c["score"], c["rank"]) == ("77.40", "85.00", 1)
    assert not any(g["withheld"] for r in (a, c) for g in r["groups"]) and not c["withheld"]
