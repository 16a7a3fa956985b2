"""Ballot intake benchmark: N evaluators vote on every report of a live meeting, on 127.0.0.1.

For each database (SQLite, and PostgreSQL when reachable) it starts a real server on a fresh
database, opens a meeting with R reports, issues N one-time tokens, connects S screens to the
event stream, then measures in one run:

* the floor: the same N clients POST a body of a ballot's size to a trivial endpoint;
* ballots: each client sends R whole ballots (one per report, every item scored, each with its
  Idempotency-Key) as fast as the answers come: the server saturated, so this measures
  throughput (and, by Little's law, latency near N / throughput);
* paced: N other token holders send their R ballots so that together they offer --rate ballots
  a second, each at its own random phase: the latency a hall sees below saturation;
* ballots lost or duplicated, counted from the database afterwards (both must be 0);
* ballot-to-screen latency: from a ballot's 201 to the first `tally` event that counts it,
  at every connected screen; and the server's CPU per request in each phase.

On PostgreSQL it runs again with two worker processes sharing Redis (--workers 1,2, when Redis is
reachable at --redis-url), as a fleet behind a proxy runs: the clients' connections and the screens
are dealt to the workers in turn, the same ballots in the same phases, and the CPU is both workers'.
A summary puts the runs side by side.

Usage: .venv/bin/python bench/ballots.py [--evaluators 500] [--reports 10] [--screens 100] [--rate 100]
       [--databases sqlite,postgresql] [--pg-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]
       [--workers 1,2] [--redis-url redis://127.0.0.1:6379/14] [--port 8311]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import sys
import time
import uuid
from dataclasses import dataclass, field
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

from shuping.audit.models import AuditEntry  # noqa: E402
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


def fleet_cpu_seconds(bases: list[str]) -> float:
    """CPU time used so far by the server processes listening at `bases`, together."""
    return sum(server_cpu_seconds(base) for base in bases)


def _host_port(base: str) -> tuple[str, int]:
    host, port = base.removeprefix("http://").split(":")
    return host, int(port)


async def drive(
    bases: list[str], path_for: Any, bodies: list[list[dict[str, Any]]], headers_for: Any, rate: float | None = None
) -> tuple[float, list[float], list[float], int]:
    """Each client, on its own connection (to the servers at `bases` in turn), sends its bodies in
    turn: as fast as answers come (`rate` None, the server saturated) or paced so that all clients
    together offer `rate` requests a second, each at its own random phase. Returns seconds,
    latencies, ack times, errors."""
    latencies: list[float] = []
    acks: list[float] = []
    errors = 0
    kinds: list[str] = []
    connections = [Connection(*_host_port(bases[i % len(bases)])) for i in range(len(bodies))]
    # Connect first: hundreds of simultaneous connects overflow the accept queue and time a
    # SYN retry (1 s, 3 s), not the server.
    for i in range(0, len(connections), 50):
        await asyncio.gather(*(c.connect() for c in connections[i : i + 50]))
    interval = len(bodies) / rate if rate else 0.0
    rng = random.Random(7)

    async def evaluator(i: int, start: float) -> None:
        nonlocal errors
        due = start + rng.uniform(0, interval)
        for body in bodies[i]:
            if interval:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                due += interval
            t0 = time.perf_counter()
            try:
                status, answer = await connections[i].request("POST", path_for(i), body, headers_for(i))
                ok = status == 201
                if not ok and len(kinds) < 20:
                    kinds.append(f"{status} {answer[:160].decode(errors='replace')}")
            except (ConnectionLost, OSError) as exc:
                ok = False
                kinds.append(f"{type(exc).__name__}: {exc}")
            t1 = time.perf_counter()
            if ok:
                latencies.append(t1 - t0)
                acks.append(t1)
            else:
                errors += 1

    start = time.perf_counter()
    await asyncio.gather(*(evaluator(i, start) for i in range(len(bodies))))
    elapsed = time.perf_counter() - start
    await asyncio.gather(*(c.close() for c in connections))
    for kind in sorted(set(kinds)):
        print(f"  error: {kind}", file=sys.stderr)
    return elapsed, latencies, sorted(acks), errors


def screen_latencies(screens: list[Screen], acks: list[float], counted_before: int) -> list[float]:
    """For each screen and ballot: time from the ballot's 201 to the first event counting it."""
    out: list[float] = []
    for screen in screens:
        events = sorted(screen.seen)
        j = 0
        for n, ack_time in enumerate(acks, start=counted_before + 1):
            while j < len(events) and (events[j][1] < n or events[j][0] < ack_time):
                j += 1
            if j == len(events):
                break
            out.append(events[j][0] - ack_time)
    return out


async def bench_database(kind: str, db_url: str, args: argparse.Namespace, workers: int = 1) -> dict[str, Any]:
    """Run one database's measurements on `workers` server processes (several share Redis); main()
    creates and drops the database."""
    cycle_id, report_ids = await seed(db_url, args.reports)
    env = {"SHUPING_BENCH_ENDPOINTS": "true", "SHUPING_LOGIN_MAX_ATTEMPTS": "1000"}
    if workers > 1:
        env["SHUPING_REDIS_URL"] = args.redis_url
    with contextlib.ExitStack() as stack:
        bases = [
            stack.enter_context(running_server(db_url, extra_env=env, port=args.port + n if args.port else None))
            for n in range(workers)
        ]
        base = bases[0]
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
            while len(tokens) < 2 * args.evaluators:  # one set for each ballot phase
                n = min(500, 2 * args.evaluators - len(tokens))
                r = await c.post(
                    f"/api/v1/meetings/{mid}/tokens", headers=admin, json={"group_key": "members", "count": n}
                )
                tokens += r.json()["tokens"]

        bodies = [[{"report_id": rid, "items": ITEMS} for rid in report_ids] for _ in range(args.evaluators)]

        cpu0 = fleet_cpu_seconds(bases)
        floor_s, floor_lat, _, floor_err = await drive(
            bases, lambda i: "/api/v1/_bench/echo", bodies, lambda i: {"Idempotency-Key": uuid.uuid4().hex}
        )
        floor = Phase("floor", floor_s, floor_lat, floor_err, fleet_cpu_seconds(bases) - cpu0)

        events = f"/api/v1/meetings/{mid}/events?key={meeting['screen_key']}"
        screens = [Screen(bases[n % workers], events) for n in range(args.screens)]
        tasks = [asyncio.create_task(s.run()) for s in screens]
        await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in screens)), 30)
        await asyncio.sleep(0.5)

        phases: list[Phase] = []
        counted = 0
        for name, first_token, rate in (("ballots", 0, None), ("paced", args.evaluators, args.rate)):
            batches0 = await writer_batches(db_url)
            cpu0 = fleet_cpu_seconds(bases)
            seconds, latencies, acks, errors = await drive(
                bases,
                lambda i: f"/api/v1/meetings/{mid}/ballots",
                bodies,
                lambda i, first=first_token: {"X-Ballot-Token": tokens[first + i], "Idempotency-Key": uuid.uuid4().hex},
                rate,
            )
            phase = Phase(name, seconds, latencies, errors, fleet_cpu_seconds(bases) - cpu0)
            await asyncio.sleep(1.0)
            phase.batches = await writer_batches(db_url) - batches0
            phase.to_screen = screen_latencies(screens, acks, counted)
            counted += len(latencies)
            phases.append(phase)
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
    return {
        "database": kind,
        "workers": workers,
        "phases": [floor, *phases],
        "lost": max(0, counted - stored),
        "duplicated": max(0, stored - counted) + (stored - distinct),
    }


async def writer_batches(db_url: str) -> int:
    """How many batches the ballot writer has committed: it audits each batch once."""
    engine = make_engine(db_url)
    async with AsyncSession(engine) as s:
        query = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "ballot.count")
        count = int((await s.execute(query)).scalar_one())
    await engine.dispose()
    return count


@dataclass
class Phase:
    name: str
    seconds: float
    latencies: list[float]
    errors: int
    server_cpu: float
    to_screen: list[float] = field(default_factory=list)
    batches: int = 0  # the writer's, while the phase ran

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else float("nan")

    def line(self) -> str:
        ms = [percentile(self.latencies, p) * 1000 for p in (50, 95, 99)]
        cpu = self.server_cpu * 1000 / max(1, len(self.latencies))
        out = (
            f"{self.name:8} {self.per_second:6.0f}/s  p50 {ms[0]:7.1f} ms  p95 {ms[1]:7.1f} ms  p99 {ms[2]:7.1f} ms"
            f"  errors {self.errors}  server CPU {cpu:.2f} ms/request"
        )
        if self.batches:
            out += f"\n{'':8} writer: {self.batches} batches, {len(self.latencies) / self.batches:.1f} ballots each"
        if self.to_screen:
            out += (
                f"\n{'':8} ballot-to-screen p50 {percentile(self.to_screen, 50) * 1000:.0f} ms"
                f"  p99 {percentile(self.to_screen, 99) * 1000:.0f} ms  ({len(self.to_screen)} samples)"
            )
        return out


def _label(r: dict[str, Any]) -> str:
    return f"{r['database']}, {r['workers']} worker{'s' if r['workers'] > 1 else ''}"


def report(r: dict[str, Any], args: argparse.Namespace) -> None:
    floor, ballots, _ = r["phases"]
    print(f"\n== {_label(r)}: {args.evaluators} evaluators × {args.reports} reports, {args.screens} screens")
    print("floor: trivial POST, same body; ballots: as fast as answers come; paced: offered at --rate")
    for phase in r["phases"]:
        print(phase.line())
    ratio = ballots.per_second / floor.per_second if floor.per_second else float("nan")
    print(f"ballots / floor {ratio:.2f}   lost {r['lost']}   duplicated {r['duplicated']}")


def summary(results: list[dict[str, Any]]) -> None:
    """The runs side by side: one worker and two on the same ballots."""
    print("\n== summary (saturated: ballots as fast as answers come; paced: at --rate; CPU: all workers')")
    print(
        f"{'run':26} {'floor/s':>8} {'ballots/s':>9} {'ratio':>5} {'CPU/ballot':>10} {'sat p50/p95 ms':>15}"
        f" {'paced p50/p95/p99 ms':>21} {'screen p99 sat/paced':>21} {'lost/dup':>8}"
    )
    for r in results:
        floor, ballots, paced = r["phases"]
        ratio = ballots.per_second / floor.per_second if floor.per_second else float("nan")
        cpu = ballots.server_cpu * 1000 / max(1, len(ballots.latencies))
        sat = "/".join(f"{percentile(ballots.latencies, p) * 1000:.0f}" for p in (50, 95))
        pac = "/".join(f"{percentile(paced.latencies, p) * 1000:.1f}" for p in (50, 95, 99))
        scr = "/".join(f"{percentile(ph.to_screen, 99) * 1000:.0f}" for ph in (ballots, paced))
        print(
            f"{_label(r):26} {floor.per_second:8.0f} {ballots.per_second:9.0f} {ratio:5.2f} {cpu:7.2f} ms"
            f" {sat:>15} {pac:>21} {scr:>21} {r['lost']}/{r['duplicated']:>6}"
        )


def redis_reachable(url: str) -> bool:
    from redis import Redis

    try:
        with Redis.from_url(url, socket_connect_timeout=1) as r:
            return bool(r.ping())
    except Exception:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evaluators", type=int, default=500)
    parser.add_argument("--reports", type=int, default=10)
    parser.add_argument("--screens", type=int, default=100)
    parser.add_argument(
        "--rate",
        type=float,
        default=100,
        help="ballots a second offered in the paced phase (500 in 5 s: a hall at its peak)",
    )
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("SHUPING_BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument(
        "--workers",
        default="1,2",
        help="server processes per run; more than one only on PostgreSQL, sharing Redis at --redis-url",
    )
    parser.add_argument("--redis-url", default=os.environ.get("SHUPING_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"))
    parser.add_argument("--port", type=int, default=None, help="the first worker's port (free ports if unset)")
    args = parser.parse_args()
    results = []
    for kind in args.databases.split(","):
        for workers in (int(w) for w in args.workers.split(",")):
            if workers > 1 and kind != "postgresql":
                continue  # several workers share one database server; SQLite is the one-process default
            if workers > 1 and not redis_reachable(args.redis_url):
                print(f"\n== {kind}, {workers} workers: skipped, no Redis at {args.redis_url}")
                continue
            url = plan_database(None if kind == "sqlite" else args.pg_url, "bench")
            create_database(url)
            try:
                prepare(url)
                result = asyncio.run(bench_database(kind, url, args, workers))
            finally:
                drop_database(url)
            report(result, args)
            results.append(result)
    if len(results) > 1:
        summary(results)


if __name__ == "__main__":
    main()
