"""The insider's attack on ballot secrecy (DESIGN §4), against a real server and its database.

The attacker holds, after a report's voting has closed: the database (every table, with SQLite's
`rowid` or PostgreSQL's `ctid` and `xmin`), the audit log, the server's log, every one-time code
and who received it, and knows which evaluators of an anonymous group signed in. They try to pair
each code (and each signed-in evaluator) with the ballot it cast: by the order of every table that
refers to a code or an evaluator against the ballots' order, by ids, by transactions, by
timestamps, through the replay (idempotency) records, the audit entries, the live events and the
log. The truth is what each evaluator's phone was told: its ballot's receipt.

The bound: closing a report rewrites its anonymous ballots in a random order drawn independently of
every other table, so any pairing by position is a uniformly random permutation of the truth; its
correct pairs are the fixed points of a random permutation, 1 on average, and 7 or more with
probability below 1e-4 (Poisson(1) tail). Each strategy may find at most CHANCE correct pairs.
Strategies that need a secret the attacker lacks (the phone's Idempotency-Key) must find none.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shuping.auth.models import User
from shuping.cycles.models import EvaluatorGroupMember
from shuping.db import make_engine
from tests.support.databases import create_database, drop_database, plan_database
from tests.support.evaluation import make_evaluation_cycle
from tests.support.servers import open_hall, prepare, running_server

GOOD = {"duty": 28, "overall": "good"}
CHANCE = 6
FILE_REMNANTS = 0.05  # share of a report's voting-time ballot ids the SQLite file may still hold after closing
BURST = 300
PACED = 40
DEPUTIES = [f"deputy0{i}" for i in range(1, 6)]


@dataclass
class Cast:
    """What the attacker wants to learn: which receipt each code and each deputy got."""

    by_code: dict[str, str] = field(default_factory=dict)
    by_user: dict[str, str] = field(default_factory=dict)
    open_ids: set[str] = field(default_factory=set)  # the ballots' ids as a live reader saw them while open


@dataclass
class Hall:
    url: str
    db_url: str
    log: Path
    meeting_id: int
    reports: list[int]
    admin: dict[str, str]
    deputies: dict[str, dict[str, str]]
    user_ids: dict[str, int]
    casts: dict[str, Cast] = field(default_factory=dict)  # scenario → what was cast


async def _seed(db_url: str) -> tuple[list[int], dict[str, int]]:
    engine = make_engine(db_url)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        ev = await make_evaluation_cycle(session)
        ids: dict[str, int] = {}
        for name in DEPUTIES:
            user = (await session.execute(select(User).where(User.username == name))).scalar_one()
            ids[name] = user.id
            session.add(EvaluatorGroupMember(cycle_id=ev.cycle.id, group_id=ev.groups["deputies"].id, user_id=user.id))
        await session.commit()
        out = [ev.cycle.id] + [r.id for r in ev.reports[:2]]
    await engine.dispose()
    return out, ids


def _login(c: httpx.Client, username: str) -> dict[str, str]:
    r = c.post("/api/v1/auth/token", data={"username": username, "password": "shuping-demo"})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture(scope="module")
def hall(base_database_url: str | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hall]:
    url = plan_database(base_database_url, "secret")
    create_database(url)
    prepare(url)
    log = tmp_path_factory.mktemp("secrecy") / "server.log"
    try:
        (cycle_id, *reports), user_ids = asyncio.run(_seed(url))
        with running_server(url, log_path=log) as base, httpx.Client(base_url=base, timeout=30) as c:
            meeting_id, _key, admin = open_hall(base, cycle_id, reports)
            deputies = {name: _login(c, name) for name in DEPUTIES}
            yield Hall(base, url, log, meeting_id, reports, admin, deputies, user_ids)
    finally:
        drop_database(url)


def _tokens(hall: Hall, n: int) -> list[str]:
    r = httpx.post(
        f"{hall.url}/api/v1/meetings/{hall.meeting_id}/tokens",
        headers=hall.admin,
        json={"group_key": "members", "count": n},
        timeout=30,
    )
    assert r.status_code == 201, r.text
    return list(r.json()["tokens"])


def _ballot(report: int, n: int) -> dict[str, Any]:
    # Varied answers, so that no two ballots are alike by chance of the test.
    return {"report_id": report, "items": {"duty": 10 + n % 21, "overall": ["good", "fairly_good", "average"][n % 3]}}


async def _send(c: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
    """Post a ballot as a phone does: once more, with the same Idempotency-Key, when the connection
    drops before the answer (a kept-alive connection the server closed just as the ballot went out,
    which a starved test machine makes likely); the key makes the resend safe."""
    try:
        return await c.post(path, json=body, headers=headers)
    except (httpx.ReadError, httpx.RemoteProtocolError):
        return await c.post(path, json=body, headers=headers)


async def _cast(hall: Hall, report: int, *, burst: bool) -> Cast:
    cast = Cast()
    codes = _tokens(hall, BURST if burst else PACED)
    path = f"/api/v1/meetings/{hall.meeting_id}/ballots"
    async with httpx.AsyncClient(base_url=hall.url, timeout=60, limits=httpx.Limits(max_connections=100)) as c:

        async def by_code(n: int, code: str) -> None:
            r = await _send(
                c, path, _ballot(report, n), headers={"X-Ballot-Token": code, "Idempotency-Key": uuid.uuid4().hex}
            )
            assert r.status_code == 201, r.text
            cast.by_code[code] = r.json()["receipt"]

        async def by_name(n: int, name: str) -> None:
            headers = {**hall.deputies[name], "Idempotency-Key": uuid.uuid4().hex}
            r = await _send(c, path, _ballot(report, n), headers)
            assert r.status_code == 201, r.text
            cast.by_user[name] = r.json()["receipt"]

        if burst:
            await asyncio.gather(
                *(by_code(n, code) for n, code in enumerate(codes)),
                *(by_name(n, name) for n, name in enumerate(DEPUTIES)),
            )
        else:  # one ballot at a time: each in a writer transaction of its own
            for n, code in enumerate(codes):
                await by_code(n, code)
                if n < len(DEPUTIES):
                    await by_name(n, DEPUTIES[n])
    engine = make_engine(hall.db_url)
    async with engine.connect() as conn:
        rows = await _rows(conn, "SELECT id FROM ballot WHERE report_id = :r AND source = 'token'", r=report)
        cast.open_ids = {r["id"] for r in rows}
    await engine.dispose()
    r = httpx.post(
        f"{hall.url}/api/v1/meetings/{hall.meeting_id}/reports/{report}/voting",
        headers=hall.admin,
        json={"open": False},
    )
    assert r.status_code == 200, r.text
    return cast


@pytest.fixture(scope="module")
def voted(hall: Hall) -> Hall:
    """A concurrent burst on the first report, paced ballots on the second, each report then closed."""
    hall.casts["burst"] = asyncio.run(_cast(hall, hall.reports[0], burst=True))
    hall.casts["paced"] = asyncio.run(_cast(hall, hall.reports[1], burst=False))
    return hall


# ---------------------------------------------------------------- what the insider reads


def _sha(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()


async def _rows(conn: AsyncConnection, sql: str, **params: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in (await conn.execute(text(sql), params)).mappings()]


async def _tables(conn: AsyncConnection) -> set[str]:
    pg = conn.dialect.name == "postgresql"
    sql = (
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
        if pg
        else "SELECT name FROM sqlite_master WHERE type = 'table'"
    )
    return {r["name"] for r in await _rows(conn, sql)}


async def _ordered(conn: AsyncConnection, table: str, columns: str, where: str, **params: Any) -> list[dict[str, Any]]:
    """The table's rows in their physical order, with the system columns an insider reads."""
    if conn.dialect.name == "postgresql":
        return await _rows(
            conn,
            f"SELECT {columns}, xmin::text::bigint AS xmin, ctid::text AS ctid FROM {table} WHERE {where} "
            "ORDER BY (ctid::text::point)[0], (ctid::text::point)[1]",
            **params,
        )
    try:
        return await _rows(conn, f"SELECT {columns}, rowid AS pos FROM {table} WHERE {where} ORDER BY rowid", **params)
    except Exception:  # a WITHOUT ROWID table: its rows in the order a scan gives them
        await conn.rollback()
        return await _rows(conn, f"SELECT {columns} FROM {table} WHERE {where}", **params)


def _pair_by_position(uses: list[Any], ballots: list[str]) -> dict[Any, str]:
    """The n-th use cast the n-th ballot: what row order would tell if it told anything."""
    return dict(zip(uses, ballots, strict=False))


def _pair_sorted(
    uses: list[dict[str, Any]], who: Callable[[dict[str, Any]], str | None], ballots: list[dict[str, Any]], key: str
) -> dict[Any, str]:
    """Uses and ballots each sorted by the same column (an id, a transaction), then paired by position."""
    return _pair_by_position(
        [who(u) for u in sorted(uses, key=lambda u: u[key])],
        [b["receipt"] for b in sorted(ballots, key=lambda b: b[key])],
    )


def _correct(guess: dict[Any, str], truth: dict[Any, str]) -> int:
    return sum(1 for who, receipt in guess.items() if truth.get(who) == receipt)


@dataclass
class Findings:
    pairs: dict[str, int] = field(default_factory=dict)  # strategy → correct pairs found
    leaks: list[str] = field(default_factory=list)  # texts that pair a code or a person with a receipt


async def _attack(hall: Hall, scenario: str) -> Findings:
    cast = hall.casts[scenario]
    report = hall.reports[0 if scenario == "burst" else 1]
    found = Findings()
    code_of_token: dict[int, str] = {}
    engine = make_engine(hall.db_url)
    async with engine.connect() as conn:
        tables = await _tables(conn)
        tokens = await _rows(conn, "SELECT id, token_hash FROM ballot_token WHERE meeting_id = :m", m=hall.meeting_id)
        by_hash = {_sha(code): code for code in cast.by_code}
        code_of_token = {t["id"]: by_hash[t["token_hash"]] for t in tokens if t["token_hash"] in by_hash}
        name_of_user = {uid: name for name, uid in hall.user_ids.items()}
        ballots = await _ordered(
            conn,
            "ballot",
            "id, receipt, evaluator_id, source",
            "meeting_id = :m AND report_id = :r",
            m=hall.meeting_id,
            r=report,
        )
        anonymous = [b for b in ballots if b["source"] == "token" or b["evaluator_id"] in name_of_user]
        # What a code may have cast: every ballot not told apart as someone's named one.
        coded = [b for b in ballots if b["source"] == "token" and b["evaluator_id"] is None]
        # A stored name on an anonymous group's ballot is a plain leak.
        for b in ballots:
            if b["evaluator_id"] in name_of_user:
                found.leaks.append(f"ballot {b['receipt']} names {name_of_user[b['evaluator_id']]}")
        receipts_in_order = [b["receipt"] for b in anonymous]
        coded_in_order = [b["receipt"] for b in coded]
        pg = conn.dialect.name == "postgresql"

        truth_codes = cast.by_code
        truth_users = cast.by_user

        # 1. Code uses against ballots, by physical order (rowid / ctid), by id, and by transaction (xmin).
        use_ids = "id" in await _columns(conn, "token_use")
        uses = await _ordered(conn, "token_use", "token_id" + (", id" if use_ids else ""), "report_id = :r", r=report)

        def code(use: dict[str, Any]) -> str | None:
            return code_of_token.get(use["token_id"])

        codes_in_order = [code(u) for u in uses]
        found.pairs["codes by row order"] = _correct(_pair_by_position(codes_in_order, coded_in_order), truth_codes)
        if use_ids:
            found.pairs["codes by id"] = _correct(_pair_sorted(uses, code, coded, "id"), truth_codes)
        if pg:
            found.pairs["codes by transaction"] = _correct(_pair_sorted(uses, code, coded, "xmin"), truth_codes)
            # A transaction that wrote exactly one use and one ballot pairs them outright.
            tx_use: dict[int, list[str | None]] = {}
            for u in uses:
                tx_use.setdefault(u["xmin"], []).append(code_of_token.get(u["token_id"]))
            tx_ballot: dict[int, list[str]] = {}
            for b in coded:
                tx_ballot.setdefault(b["xmin"], []).append(b["receipt"])
            single = {
                us[0]: tx_ballot[x][0] for x, us in tx_use.items() if len(us) == 1 and len(tx_ballot.get(x, [])) == 1
            }
            found.pairs["codes by single-ballot transaction"] = _correct(single, truth_codes)

        # 2. Signed-in evaluators of the anonymous group against ballots, the same ways.
        if "evaluator_use" in tables:
            eu = await _ordered(
                conn, "evaluator_use", "user_id", "meeting_id = :m AND report_id = :r", m=hall.meeting_id, r=report
            )
            names = [name_of_user.get(u["user_id"]) for u in eu]
            found.pairs["people by row order"] = _correct(_pair_by_position(names, receipts_in_order), truth_users)
            if pg:
                found.pairs["people by transaction"] = _correct(
                    _pair_sorted(eu, lambda u: name_of_user.get(u["user_id"]), anonymous, "xmin"), truth_users
                )

        # 3. Replay records: found from the code or the person, or by their order and time.
        columns = await _columns(conn, "idempotency_record")
        records = await _ordered(conn, "idempotency_record", ", ".join(sorted(columns - {"id"})) + ", id", "1 = 1")
        record_receipts = []
        for rec in records:
            response = rec["response"] if isinstance(rec["response"], dict) else json.loads(rec["response"])
            rs = [b["receipt"] for b in response.get("ballots", []) if b["report_id"] == report]
            record_receipts.append(rs[0] if rs else None)
            rec["_receipt"] = rs[0] if rs else None
        found_by_key: dict[str, str] = {}
        for code in truth_codes:
            principal = "token:" + hashlib.sha256(b"scope:" + code.encode()).hexdigest()
            for rec in records:
                derived = {_sha(f"idem:{hall.meeting_id}:{principal}")}
                derived |= {_sha(f"idem:{hall.meeting_id}:{principal}\x00")}
                if (rec.get("scope") in derived or rec.get("digest") in derived) and rec["_receipt"]:
                    found_by_key[code] = rec["_receipt"]
        found.pairs["codes through replay records"] = _correct(found_by_key, truth_codes)
        found_by_person: dict[str, str] = {}
        for name, uid in hall.user_ids.items():
            derived = {_sha(f"idem:{hall.meeting_id}:user:{uid}"), _sha(f"idem:{hall.meeting_id}:user:{uid}\x00")}
            for rec in records:
                if (rec.get("scope") in derived or rec.get("digest") in derived) and rec["_receipt"]:
                    found_by_person[name] = rec["_receipt"]
        found.pairs["people through replay records"] = _correct(found_by_person, truth_users)
        named_receipts = {b["receipt"] for b in ballots if b["evaluator_id"] is not None}
        timed = sorted(
            (r for r in records if r["_receipt"] and r["_receipt"] not in named_receipts),
            key=lambda r: (r["created_at"], r["id"]),
        )
        found.pairs["codes by replay time"] = _correct(
            _pair_by_position(codes_in_order, [r["_receipt"] for r in timed]), truth_codes
        )
        found.pairs["codes by replay row order"] = _correct(
            _pair_by_position(codes_in_order, [r for r in record_receipts if r and r not in named_receipts]),
            truth_codes,
        )

        # 4. The audit log and the live events: any entry that holds a receipt with a code, a code's
        # hash, a token id or a person's id.
        for table, column in (("audit_entry", "data"), ("live_event", "data")):
            for row in await _rows(conn, f"SELECT {column} AS data FROM {table}"):
                data = row["data"] if isinstance(row["data"], str) else json.dumps(row["data"])
                found.leaks += _pairs_in(data, cast, hall.user_ids, code_of_token)
    await engine.dispose()

    # 5. The server's log.
    found.leaks += _pairs_in(hall.log.read_text(errors="replace"), cast, hall.user_ids, code_of_token, whole=True)
    return found


async def _columns(conn: AsyncConnection, table: str) -> set[str]:
    if conn.dialect.name == "postgresql":
        rows = await _rows(
            conn, "SELECT column_name AS name FROM information_schema.columns WHERE table_name = :t", t=table
        )
    else:
        rows = await _rows(conn, f"SELECT name FROM pragma_table_info('{table}')")
    return {r["name"] for r in rows}


def _pairs_in(
    text_: str, cast: Cast, user_ids: dict[str, int], code_of_token: dict[int, str], *, whole: bool = False
) -> list[str]:
    """Leaks in one text: a receipt beside what names its code or person. In the log, any code,
    code hash or receipt at all is a leak (nothing there should name a ballot)."""
    leaks = []
    receipts = set(cast.by_code.values()) | set(cast.by_user.values())
    if whole:
        for code in cast.by_code:
            if code in text_ or _sha(code) in text_:
                leaks.append(f"log names code {code[:6]}…")
        leaks += [f"log names receipt {r}" for r in receipts if r in text_]
        return leaks
    present = [r for r in receipts if r in text_]
    if not present:
        return leaks
    try:
        data = json.loads(text_)
    except ValueError:
        data = text_
    blob = json.dumps(data)
    for name, uid in user_ids.items():
        if f'"evaluator_id": {uid}' in blob or f'"user_id": {uid}' in blob or name in blob:
            leaks.append(f"an entry lists receipts with {name}")
    for code in cast.by_code:
        if code in blob or _sha(code) in blob:
            leaks.append(f"an entry lists receipts with code {code[:6]}…")
    for token_id in code_of_token:
        if f'"token_id": {token_id}' in blob:
            leaks.append(f"an entry lists receipts with token {token_id}")
    return leaks


@pytest.mark.parametrize("scenario", ["burst", "paced"])
async def test_an_insider_cannot_pair_codes_or_people_with_ballots_after_voting_closed(
    voted: Hall, scenario: str
) -> None:
    cast = voted.casts[scenario]
    assert len(cast.by_code) == (BURST if scenario == "burst" else PACED) and len(cast.by_user) == len(DEPUTIES)
    found = await _attack(voted, scenario)
    print(f"\n{scenario}: correct pairs per strategy {found.pairs}")
    assert found.leaks == []
    assert all(n <= CHANCE for n in found.pairs.values()), found.pairs
    assert found.pairs["codes through replay records"] == 0
    assert found.pairs["people through replay records"] == 0


async def test_the_sqlite_files_keep_no_ballot_as_it_was_while_voting_was_open(voted: Hall) -> None:
    """Closing rewrote the ballots under new ids; the old rows are overwritten in the database file
    (secure_delete) and the -wal file that held their pages is emptied after the closing. B-tree
    rebalancing can leave a fragment behind (seen: 1 of 305 ids in one CI run, 0 in others): the
    bound is FILE_REMNANTS of a report's ballots, and the README says so."""
    if not voted.db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL keeps dead row versions and WAL until VACUUM and recycling (README, Security)")
    path = Path(voted.db_url.split(":///", 1)[1])
    wal = Path(f"{path}-wal")
    deadline = time.monotonic() + 5
    while wal.exists() and wal.stat().st_size > 0 and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    files = {"database": path.read_bytes(), "-wal": wal.read_bytes() if wal.exists() else b""}
    for scenario, cast in voted.casts.items():
        assert len(cast.open_ids) == len(cast.by_code) + len(cast.by_user)
        left = [
            (i, name, data.find(i.encode()))
            for i in cast.open_ids
            for name, data in files.items()
            if i.encode() in data
        ]
        assert not [x for x in left if x[1] == "-wal"], f"{scenario}: the -wal file keeps voting-time pages: {left}"
        bound = FILE_REMNANTS * len(cast.open_ids)
        assert len(left) <= bound, (
            f"{scenario}: {len(left)} of {len(cast.open_ids)} voting-time ids in the files: {left}"
        )


async def test_retries_after_closing_still_get_their_first_answer(voted: Hall) -> None:
    """The replay records survive the rewrite: a phone that lost the answer asks again and learns its receipt."""
    code = _tokens(voted, 1)[0]
    report = voted.reports[0]
    key = uuid.uuid4().hex
    async with httpx.AsyncClient(base_url=voted.url, timeout=30) as c:
        path = f"/api/v1/meetings/{voted.meeting_id}"
        assert (
            await c.post(f"{path}/reports/{report}/voting", headers=voted.admin, json={"open": True})
        ).status_code == 200
        first = await c.post(
            f"{path}/ballots", json=_ballot(report, 1), headers={"X-Ballot-Token": code, "Idempotency-Key": key}
        )
        assert first.status_code == 201, first.text
        assert (
            await c.post(f"{path}/reports/{report}/voting", headers=voted.admin, json={"open": False})
        ).status_code == 200
        again = await c.post(
            f"{path}/ballots", json=_ballot(report, 1), headers={"X-Ballot-Token": code, "Idempotency-Key": key}
        )
        assert (again.status_code, again.json()) == (201, first.json())
        other_key = await c.post(
            f"{path}/ballots",
            json=_ballot(report, 1),
            headers={"X-Ballot-Token": code, "Idempotency-Key": uuid.uuid4().hex},
        )
        assert other_key.status_code == 409


async def test_a_signed_in_evaluator_of_an_anonymous_group_votes_once_and_is_not_named(voted: Hall) -> None:
    report = voted.reports[0]
    async with httpx.AsyncClient(base_url=voted.url, timeout=30) as c:
        path = f"/api/v1/meetings/{voted.meeting_id}"
        assert (
            await c.post(f"{path}/reports/{report}/voting", headers=voted.admin, json={"open": True})
        ).status_code == 200
        try:
            name = DEPUTIES[0]
            again = await c.post(
                f"{path}/ballots",
                json=_ballot(report, 2),
                headers={**voted.deputies[name], "Idempotency-Key": uuid.uuid4().hex},
            )
            assert again.status_code == 409 and again.json()["type"].endswith("already-voted"), again.text
            form = await c.get(
                "/api/v1/vote/form", params={"meeting_id": voted.meeting_id}, headers=voted.deputies[name]
            )
            assert form.status_code == 200, form.text
            assert {r["report_id"]: r["voted"] for r in form.json()["reports"]}[report] is True
        finally:
            r = await c.post(f"{path}/reports/{report}/voting", headers=voted.admin, json={"open": False})
            assert r.status_code == 200


async def test_closing_a_report_of_500_ballots_anonymises_it_within_a_second(hall: Hall) -> None:
    """Not a timed test of the machine: a bound far above the ≈ 0.1 s it takes, against a rewrite gone wrong."""
    report = hall.reports[1]
    path = f"/api/v1/meetings/{hall.meeting_id}"
    codes = _tokens(hall, 500)
    async with httpx.AsyncClient(base_url=hall.url, timeout=60, limits=httpx.Limits(max_connections=50)) as c:
        assert (
            await c.post(f"{path}/reports/{report}/voting", headers=hall.admin, json={"open": True})
        ).status_code == 200
        answers = await asyncio.gather(
            *(
                _send(
                    c,
                    f"{path}/ballots",
                    _ballot(report, n),
                    headers={"X-Ballot-Token": code, "Idempotency-Key": uuid.uuid4().hex},
                )
                for n, code in enumerate(codes)
            )
        )
        assert all(a.status_code == 201 for a in answers)
        started = time.perf_counter()
        r = await c.post(f"{path}/reports/{report}/voting", headers=hall.admin, json={"open": False})
        elapsed = time.perf_counter() - started
    assert r.status_code == 200
    print(f"\nclosing a report with {len(codes)} new anonymous ballots took {elapsed * 1000:.0f} ms")
    assert elapsed < 1.0
