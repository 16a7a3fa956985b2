"""Ballot intake benchmark: N evaluators vote on every report of a live meeting, on 127.0.0.1.

For each database (SQLite, and PostgreSQL when reachable) it starts a real server on a fresh
database, opens a meeting with R reports, issues N one-time tokens, connects S screens to the
event stream, then measures in one run:

* the floor: the same N clients POST a body of a ballot's size to a trivial endpoint;
* ballots: each client sends R whole ballots (one per report), each with its Idempotency-Key;
* ballots lost or duplicated, counted from the database afterwards (both must be 0);
* ballot-to-screen latency: from a ballot's 201 to the first `tally` event that counts it,
  at every connected screen.

Usage: .venv/bin/python bench/ballots.py [--evaluators 500] [--reports 10] [--screens 100]
       [--databases sqlite,postgresql] [--pg-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "backend"))

from bench.rawhttp import Connection, ConnectionLost  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402
from tests.support.databases import create_database, drop_database, plan_database  # noqa: E402
from tests.support.evaluation import make_evaluation_cycle  # noqa: E402
from tests.support.servers import prepare, running_server  # noqa: E402

from shuping.db import make_engine  # noqa: E402
from shuping.meetings.models import Ballot  # noqa: E402

ITEMS = {"duty": 27.5, "overall": "fairly_good"}


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


async def seed(db_url: str, reports: int) -> tuple[int, list[int]]:
    from shuping.orgs.models import Organization, OrgKind
    from shuping.reports.models import Report, ReportStatus

    engine = make_engine(db_url)
    async with AsyncSession(engine, expire_on_commit=False) as session:
        ev = await make_evaluation_cycle(session)
        have = {r.org_id for r in ev.reports}
        extra = (
            (
                await session.execute(
                    select(Organization)
                    .where(Organization.kind == OrgKind.township, Organization.id.not_in(have))
                    .order_by(Organization.code)
                )
            )
            .scalars()
            .all()
        )
        ids = [r.id for r in ev.reports]
        for i, org in enumerate(extra[: max(0, reports - len(ids))], start=len(ids)):
            report = Report(
                cycle_id=ev.cycle.id,
                org_id=org.id,
                position=i,
                title=f"{org.name}述职报告",
                body="",
                status=ReportStatus.accepted,
            )
            session.add(report)
            await session.flush()
            ids.append(report.id)
        await session.commit()
    await engine.dispose()
    return ev.cycle.id, ids[:reports]


class Screen:
    """One big screen: records when each tally event arrived and how many ballots it counted."""

    def __init__(self, base: str, path: str) -> None:
        self.connection = Connection(*_host_port(base))
        self.path = path
        self.seen: list[tuple[float, int]] = []
        self.ready = asyncio.Event()

    async def run(self) -> None:
        try:
            async for event, data in self.connection.events(self.path):
                self.ready.set()
                if event == "tally":
                    reports = json.loads(data)["reports"]
                    total = sum(g["received"] for rep in reports for g in rep["groups"])
                    self.seen.append((time.perf_counter(), total))
        finally:
            await self.connection.close()


def server_cpu_seconds(base: str) -> float:
    """CPU time (user + system) used so far by the server process listening at `base`."""
    port = base.rsplit(":", 1)[1]
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"uvicorn" in b" ".join(cmdline) and port.encode() in cmdline:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return float("nan")


def _host_port(base: str) -> tuple[str, int]:
    host, port = base.removeprefix("http://").split(":")
    return host, int(port)


async def drive(
    base: str, path_for: Any, bodies: list[list[dict[str, Any]]], headers_for: Any
) -> tuple[float, list[float], list[tuple[float, int]], int]:
    """Each client, on its own connection, sends its bodies in turn; returns seconds, latencies,
    (ack time, n) and errors."""
    latencies: list[float] = []
    acks: list[float] = []
    errors = 0
    connections = [Connection(*_host_port(base)) for _ in bodies]

    async def evaluator(i: int) -> None:
        nonlocal errors
        for body in bodies[i]:
            t0 = time.perf_counter()
            try:
                status, _ = await connections[i].request("POST", path_for(i), body, headers_for(i))
                ok = status == 201
            except (ConnectionLost, OSError):
                ok = False
            t1 = time.perf_counter()
            if ok:
                latencies.append(t1 - t0)
                acks.append(t1)
            else:
                errors += 1

    start = time.perf_counter()
    await asyncio.gather(*(evaluator(i) for i in range(len(bodies))))
    elapsed = time.perf_counter() - start
    await asyncio.gather(*(c.close() for c in connections))
    acks.sort()
    return elapsed, latencies, [(t, n) for n, t in enumerate(acks, start=1)], errors


def screen_latencies(screens: list[Screen], acks: list[tuple[float, int]]) -> list[float]:
    """For each screen and ballot: time from the ballot's 201 to the first event counting it."""
    out: list[float] = []
    for screen in screens:
        events = sorted(screen.seen)
        j = 0
        for ack_time, n in acks:
            while j < len(events) and (events[j][1] < n or events[j][0] < ack_time):
                j += 1
            if j == len(events):
                break
            out.append(events[j][0] - ack_time)
    return out


async def bench_database(kind: str, db_url: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run one database's measurements; main() creates and drops the database."""
    cycle_id, report_ids = await seed(db_url, args.reports)
    env = {"SHUPING_BENCH_ENDPOINTS": "true", "SHUPING_LOGIN_MAX_ATTEMPTS": "1000"}
    with running_server(db_url, extra_env=env) as base:
        async with httpx.AsyncClient(base_url=base, timeout=60) as c:
            tok = (await c.post("/api/v1/auth/token", data={"username": "admin", "password": "shuping-demo"})).json()
            admin = {"Authorization": f"Bearer {tok['access_token']}"}
            meeting = (
                await c.post(
                    f"/api/v1/cycles/{cycle_id}/meetings",
                    headers=admin,
                    json={
                        "title": "基准测试",
                        "direction": "upward",
                        "report_ids": report_ids,
                        "starts_at": "2013-07-10T01:00:00Z",
                    },
                )
            ).json()
            mid = meeting["id"]
            await c.post(f"/api/v1/meetings/{mid}/start", headers=admin)
            for rid in report_ids:
                await c.post(f"/api/v1/meetings/{mid}/reports/{rid}/voting", headers=admin, json={"open": True})
            tokens: list[str] = []
            while len(tokens) < args.evaluators:
                n = min(500, args.evaluators - len(tokens))
                r = await c.post(
                    f"/api/v1/meetings/{mid}/tokens", headers=admin, json={"group_key": "members", "count": n}
                )
                tokens += r.json()["tokens"]

        bodies = [[{"report_id": rid, "items": ITEMS} for rid in report_ids] for _ in range(args.evaluators)]

        cpu0 = server_cpu_seconds(base)
        floor_s, floor_lat, _, floor_err = await drive(
            base, lambda i: "/api/v1/_bench/echo", bodies, lambda i: {"Idempotency-Key": uuid.uuid4().hex}
        )

        events = f"/api/v1/meetings/{mid}/events?key={meeting['screen_key']}"
        floor_cpu = server_cpu_seconds(base) - cpu0
        screens = [Screen(base, events) for _ in range(args.screens)]
        tasks = [asyncio.create_task(s.run()) for s in screens]
        await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in screens)), 30)
        await asyncio.sleep(0.5)

        cpu0 = server_cpu_seconds(base)
        ballot_s, ballot_lat, acks, ballot_err = await drive(
            base,
            lambda i: f"/api/v1/meetings/{mid}/ballots",
            bodies,
            lambda i: {"X-Ballot-Token": tokens[i], "Idempotency-Key": uuid.uuid4().hex},
        )
        ballot_cpu = server_cpu_seconds(base) - cpu0
        await asyncio.sleep(1.0)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    engine = make_engine(db_url)
    async with AsyncSession(engine) as s:
        stored = int(
            (await s.execute(select(func.count()).select_from(Ballot).where(Ballot.meeting_id == mid))).scalar_one()
        )
        distinct = int(
            (
                await s.execute(select(func.count(func.distinct(Ballot.receipt))).where(Ballot.meeting_id == mid))
            ).scalar_one()
        )
    await engine.dispose()
    accepted = len(ballot_lat)
    to_screen = screen_latencies(screens, acks)
    return {
        "database": kind,
        "floor_per_s": len(floor_lat) / floor_s,
        "floor_p50_ms": percentile(floor_lat, 50) * 1000,
        "floor_p99_ms": percentile(floor_lat, 99) * 1000,
        "floor_errors": floor_err,
        "floor_cpu_ms": floor_cpu * 1000 / max(1, len(floor_lat)),
        "ballot_cpu_ms": ballot_cpu * 1000 / max(1, accepted),
        "ballots_per_s": accepted / ballot_s,
        "p50_ms": percentile(ballot_lat, 50) * 1000,
        "p95_ms": percentile(ballot_lat, 95) * 1000,
        "p99_ms": percentile(ballot_lat, 99) * 1000,
        "errors": ballot_err,
        "lost": max(0, accepted - stored),
        "duplicated": max(0, stored - accepted) + (stored - distinct),
        "screen_p50_ms": percentile(to_screen, 50) * 1000,
        "screen_p99_ms": percentile(to_screen, 99) * 1000,
        "screen_samples": len(to_screen),
    }


def report(r: dict[str, Any], args: argparse.Namespace) -> None:
    ratio = r["ballots_per_s"] / r["floor_per_s"] if r["floor_per_s"] else float("nan")
    print(f"\n== {r['database']}: {args.evaluators} evaluators × {args.reports} reports, {args.screens} screens")
    print(
        f"floor   {r['floor_per_s']:8.0f} req/s   p50 {r['floor_p50_ms']:6.1f} ms  p99 {r['floor_p99_ms']:6.1f} ms"
        f"  errors {r['floor_errors']}"
    )
    print(
        f"ballots {r['ballots_per_s']:8.0f} /s      p50 {r['p50_ms']:6.1f} ms  p95 {r['p95_ms']:6.1f} ms"
        f"  p99 {r['p99_ms']:6.1f} ms  errors {r['errors']}"
    )
    print(f"ratio to floor {ratio:.2f}   lost {r['lost']}   duplicated {r['duplicated']}")
    print(f"server CPU per request: floor {r['floor_cpu_ms']:.2f} ms, ballot {r['ballot_cpu_ms']:.2f} ms")
    print(
        f"ballot-to-screen p50 {r['screen_p50_ms']:.0f} ms  p99 {r['screen_p99_ms']:.0f} ms"
        f"  ({r['screen_samples']} samples)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evaluators", type=int, default=500)
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--screens", type=int, default=100)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("SHUPING_BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"),
    )
    args = parser.parse_args()
    for kind in args.databases.split(","):
        url = plan_database(None if kind == "sqlite" else args.pg_url, "bench")
        create_database(url)
        try:
            prepare(url)
            result = asyncio.run(bench_database(kind, url, args))
        finally:
            drop_database(url)
        report(result, args)


if __name__ == "__main__":
    main()
