"""Province-scale results benchmark: compute and rank a synthetic cycle, against a pandas baseline.

A cycle of R reports (default 50,000), 3 groups, B ballots per group and report (default 10, so 30
per report as issue 5 counts them) and 10 ballot items (9 scored, 1 tier) — 15 million item scores
at the defaults — is loaded into a fresh database (SQLite, and PostgreSQL when reachable). It then prints, in one run:

* compute-and-rank: `results.service.compute` (the database tallies every ballot per report and
  group, DESIGN §3 in exact fractions, the result stored), its time and the process's peak memory;
* the baseline: a straightforward pandas group-by over the same ballot rows (mean per report and
  group, weighted, ranked), and the ratio of the two;
* indicator points: two indicator items added to the rubric (one entered for every report, one
  computed by the `ledger_completion` formula) read for every report at once as the results and the
  report page read them (`reports.assessment.indicators`): time and the statements it sent;
* the Excel export of the whole ranking (streamed sheet by sheet): time and size.

Usage: .venv/bin/python bench/results.py [--reports 50000] [--ballots 10] [--databases sqlite,postgresql]
Loading the defaults takes minutes; --reports 5000 gives a quick reading. With --export-only it
times just the workbook of a synthetic ranking of R reports (3 groups, 10 item averages each), no
database needed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import resource
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Generic, TypeVar

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "backend"))

import pandas as pd  # noqa: E402
from sqlalchemy import Select, event, insert, select, text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402
from tests.support.databases import create_database, drop_database, plan_database  # noqa: E402
from tests.support.servers import prepare  # noqa: E402

from shuping.auth.models import User  # noqa: E402
from shuping.cycles import service as cycles_service  # noqa: E402
from shuping.cycles.models import (  # noqa: E402
    Aggregation,
    Cycle,
    CycleStage,
    EvaluatorGroup,
    GradingMethod,
)
from shuping.db import make_engine  # noqa: E402
from shuping.meetings.models import Ballot, BallotSource, Meeting, MeetingStatus  # noqa: E402
from shuping.orgs.models import Organization, OrgKind  # noqa: E402
from shuping.reports import assessment  # noqa: E402
from shuping.reports.models import Report, ReportIndicator, ReportStatus  # noqa: E402
from shuping.results import excel  # noqa: E402
from shuping.results import service as results_service  # noqa: E402
from shuping.results.schemas import GroupResultRead, ResultItem, TierCounts  # noqa: E402
from shuping.rubrics import service as rubrics_service  # noqa: E402
from shuping.rubrics.models import ItemKind, ItemSource, Rubric, RubricItem  # noqa: E402
from shuping.scoring.rules import signature_digest  # noqa: E402
from shuping.wiring import wire  # noqa: E402

TIERS = ["good", "fairly_good", "average", "poor"]
FRACTION = {"good": Decimal("1"), "fairly_good": Decimal("0.85"), "average": Decimal("0.7"), "poor": Decimal("0.5")}
ITEM_MAX = Decimal(10)
TIER_MAX = Decimal(10)
CHUNK = 20_000


T = TypeVar("T")


@dataclass
class Timed(Generic[T]):
    seconds: float
    answer: T
    grew_mib: float


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resident_mib() -> float:
    """The process's resident memory now (Linux), or its peak elsewhere."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return peak_mib()
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def reset_peak() -> None:
    """Start the peak-memory reading afresh (Linux), so it measures what follows and not the set-up."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


async def load(db_url: str, reports: int, per_group: int) -> tuple[int, float]:
    """Insert the synthetic cycle; return its id and the seconds it took."""
    rng = random.Random(7)
    t0 = time.perf_counter()
    engine = make_engine(db_url)
    async with AsyncSession(engine, expire_on_commit=False) as s:
        # The demo holds more than one county (and district) now: the first by code hosts the cycle.
        county = (
            await s.execute(
                select(Organization).where(Organization.kind == OrgKind.county).order_by(Organization.code).limit(1)
            )
        ).scalar_one()
        township = (
            await s.execute(
                select(Organization)
                .where(Organization.kind == OrgKind.township, Organization.parent_id == county.id)
                .order_by(Organization.code)
                .limit(1)
            )
        ).scalar_one()
        rubric = Rubric(
            name="省级合成测评表",
            tier_good=Decimal("1"),
            tier_fairly_good=Decimal("0.85"),
            tier_average=Decimal("0.7"),
            tier_poor=Decimal("0.5"),
            items=[
                RubricItem(
                    position=i,
                    key=f"q{i}",
                    title=f"测评项{i}",
                    category="",
                    source=ItemSource.ballot,
                    kind=ItemKind.score,
                    max_points=ITEM_MAX,
                    description="",
                )
                for i in range(9)
            ]
            + [
                RubricItem(
                    position=9,
                    key="overall",
                    title="总体评价",
                    category="",
                    source=ItemSource.ballot,
                    kind=ItemKind.tier,
                    max_points=TIER_MAX,
                    description="",
                )
            ],
        )
        s.add(rubric)
        await s.flush()
        cycle = Cycle(
            name=f"基准 {reports}",
            period_start=pd.Timestamp("2013-01-01").date(),
            period_end=pd.Timestamp("2013-06-30").date(),
            host_org_id=county.id,
            rubric_id=rubric.id,
            stage=CycleStage.assessment,
            grading_method=GradingMethod.quota,
            grade_good=Decimal("0.3"),
            grade_fairly_good=Decimal("0.4"),
            grade_average=Decimal("0.2"),
            poor_vote_share=Decimal("0.3333"),
            consequence_count=1,
            groups=[
                EvaluatorGroup(
                    position=i,
                    key=k,
                    name=k,
                    weight=w,
                    aggregation=a,
                    trim=t,
                    anonymous=True,
                    expected=per_group,
                    quorum=1,
                )
                for i, (k, w, a, t) in enumerate(
                    [
                        ("leaders", Decimal("0.4"), Aggregation.mean, 0),
                        ("deputies", Decimal("0.3"), Aggregation.trimmed_mean, 1),
                        ("members", Decimal("0.3"), Aggregation.trimmed_mean, 1),
                    ]
                )
            ],
        )
        s.add(cycle)
        await s.flush()
        group_ids = [g.id for g in cycle.groups]
        meeting = Meeting(
            cycle_id=cycle.id,
            title="基准",
            direction="upward",
            starts_at=pd.Timestamp("2013-07-10", tz="UTC").to_pydatetime(),
            status=MeetingStatus.ended,
            screen_key=os.urandom(12).hex(),
        )
        s.add(meeting)
        await s.flush()
        for start in range(0, reports, CHUNK):
            n = min(CHUNK, reports - start)
            org_ids = (
                (
                    await s.execute(
                        insert(Organization).returning(Organization.id),
                        [
                            {
                                "code": f"B{cycle.id}-{start + i}",
                                "name": f"合成村{start + i}",
                                "kind": OrgKind.village,
                                "parent_id": township.id,
                                "is_active": True,
                            }
                            for i in range(n)
                        ],
                    )
                )
                .scalars()
                .all()
            )
            report_ids = (
                (
                    await s.execute(
                        insert(Report).returning(Report.id),
                        [
                            {
                                "cycle_id": cycle.id,
                                "org_id": oid,
                                "position": start + i,
                                "title": "述职报告",
                                "body": "",
                                "status": ReportStatus.accepted,
                            }
                            for i, oid in enumerate(org_ids)
                        ],
                    )
                )
                .scalars()
                .all()
            )
            rows: list[dict[str, Any]] = []
            for rid in report_ids:
                quality = rng.uniform(0.55, 0.98)
                for gid in group_ids:
                    for _ in range(per_group):
                        scores = [min(ITEM_MAX, Decimal(round(rng.gauss(quality, 0.08) * 20)) / 2) for _ in range(9)]
                        scores = [max(Decimal(0), x) for x in scores]
                        tier = TIERS[min(3, max(0, int((1 - quality) * 8 + rng.random())))]
                        items = {f"q{i}": format(x, "f") for i, x in enumerate(scores)} | {"overall": tier}
                        shares = {x / ITEM_MAX for x in scores} | {FRACTION[tier]}
                        rows.append(
                            {
                                "id": os.urandom(16).hex(),
                                "meeting_id": meeting.id,
                                "report_id": rid,
                                "group_id": gid,
                                "source": BallotSource.paper,
                                "receipt": os.urandom(8).hex()[:16],
                                "items": items,
                                "total": sum(scores, Decimal(0)) + FRACTION[tier] * TIER_MAX,
                                "first_tier": tier,
                                "straight": len(shares) == 1,
                                "signature": signature_digest((*map(Fraction, scores), tier)),
                            }
                        )
            for i in range(0, len(rows), CHUNK):
                await s.execute(insert(Ballot), rows[i : i + CHUNK])
            await s.commit()
            print(f"  loaded {start + n:>7} reports", end="\r", flush=True)
        print()
    # What autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) would do after a load this size.
    async with engine.connect() as conn:
        await conn.execute(text("ANALYZE"))
        await conn.commit()
    await engine.dispose()
    return cycle.id, time.perf_counter() - t0


async def timed(db_url: str, cycle_id: int, work: Callable[[AsyncSession, Cycle, User], Awaitable[T]]) -> Timed[T]:
    """Run `work` on the cycle as the admin: its seconds, its answer, and the memory it took at its peak."""
    engine = make_engine(db_url)
    async with AsyncSession(engine, expire_on_commit=False) as s:
        admin = (await s.execute(select(User).where(User.username == "admin"))).scalar_one()
        cycle = await cycles_service.get_cycle(s, cycle_id)
        before = resident_mib()
        reset_peak()
        t0 = time.perf_counter()
        answer = await work(s, cycle, admin)
        await s.commit()
        elapsed = time.perf_counter() - t0
    await engine.dispose()
    return Timed(elapsed, answer, peak_mib() - before)


async def compute(s: AsyncSession, cycle: Cycle, admin: User) -> None:
    """Compute, rank and store the cycle's result."""
    await results_service.compute(s, cycle=cycle, actor=admin)


async def export(s: AsyncSession, cycle: Cycle, admin: User) -> bytes:
    """The workbook as `GET …/results.xlsx` makes it (ranking and item averages read, sheets written)."""
    return await excel.export(s, cycle=cycle, user=admin)


def report_keys(cycle_id: int) -> Select[int, int, int]:
    return select(Report.id, Report.org_id, Report.cycle_id).where(Report.cycle_id == cycle_id)


async def indicator_points(db_url: str, cycle_id: int) -> tuple[float, int, int]:
    """Give the rubric two indicator items — one entered for every report, one computed by the
    `ledger_completion` formula — and read every report's indicators as the results and the report
    page do (`reports.assessment.indicators`): seconds, statements sent, values answered."""
    engine = make_engine(db_url)
    async with AsyncSession(engine, expire_on_commit=False) as s:
        cycle = await cycles_service.get_cycle(s, cycle_id)
        assert cycle.rubric_id is not None
        for position, key, formula in ((10, "entered", "manual"), (11, "ledger", "ledger_completion")):
            s.add(
                RubricItem(
                    rubric_id=cycle.rubric_id,
                    position=position,
                    key=key,
                    title=key,
                    category="",
                    source=ItemSource.indicator,
                    kind=ItemKind.score,
                    max_points=Decimal(5),
                    formula=formula,
                    description="",
                )
            )
        rows = (
            await s.execute(select(Report.id, Report.org_id, Report.cycle_id).where(Report.cycle_id == cycle_id))
        ).all()
        admin_id = (await s.execute(select(User.id).where(User.username == "admin"))).scalar_one()
        for start in range(0, len(rows), CHUNK):
            await s.execute(
                insert(ReportIndicator),
                [
                    {"report_id": r.id, "item_key": "entered", "points": Decimal(r.id % 6), "set_by_id": admin_id}
                    for r in rows[start : start + CHUNK]
                ],
            )
        await s.commit()
    statements = 0

    def count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine.sync_engine, "before_cursor_execute", count)
    async with AsyncSession(engine, expire_on_commit=False) as s:
        rubric = await rubrics_service.get_rubric(s, cycle.rubric_id)
        reports = (
            await s.execute(select(Report.id, Report.org_id, Report.cycle_id).where(Report.cycle_id == cycle_id))
        ).all()
        statements = 0
        t0 = time.perf_counter()
        values = await assessment.indicators(s, rubric, reports)
        elapsed = time.perf_counter() - t0
    await engine.dispose()
    return elapsed, statements, sum(len(v) for v in values.values())


async def baseline(db_url: str, cycle_id: int) -> float:
    """pandas: read the ballot rows, mean per report and group, weight, rank."""
    engine = make_engine(db_url)
    t0 = time.perf_counter()
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                select(Ballot.report_id, Ballot.group_id, Ballot.total)
                .join(Meeting)
                .where(Meeting.cycle_id == cycle_id)
            )
        ).all()
    frame = pd.DataFrame(rows, columns=["report_id", "group_id", "total"])
    frame["total"] = frame["total"].astype(float)
    means = frame.groupby(["report_id", "group_id"])["total"].mean().unstack()
    weights = pd.Series([0.4, 0.3, 0.3], index=sorted(means.columns))
    ranked = (means * weights).sum(axis=1).rank(ascending=False, method="min")
    assert len(ranked) > 0
    elapsed = time.perf_counter() - t0
    await engine.dispose()
    return elapsed


def synthetic_results(
    reports: int,
) -> tuple[results_service.StoredRanking, dict[int, dict[str, str]], dict[str, str]]:
    """A ranking of `reports` items (3 groups each) and their 10 item averages, shaped as the export receives them."""
    rng = random.Random(7)
    titles = {f"q{i}": f"测评项{i}" for i in range(9)} | {"overall": "总体评价"}
    counts = TierCounts(good=4, fairly_good=3, average=2, poor=1)
    items: list[ResultItem] = []
    averages: dict[int, dict[str, str]] = {}
    for n in range(reports):
        total = rng.uniform(50, 100)
        groups = [
            GroupResultRead.model_construct(
                key=key,
                name=key,
                weight=weight,
                ballots=10,
                dropped=2 if key != "leaders" else 0,
                score=f"{rng.uniform(50, 100):.2f}",
                approval_rate=f"{rng.random():.4f}",
                tier_counts=counts,
                quorum=1,
                quorum_ok=True,
            )
            for key, weight in (("leaders", "0.40"), ("deputies", "0.30"), ("members", "0.30"))
        ]
        items.append(
            ResultItem.model_construct(
                report_id=n + 1,
                org_id=n + 1,
                org_code=f"B-{n}",
                org_name=f"合成村{n}",
                total=f"{total:.2f}",
                max_total="100.00",
                ballot_part=f"{total * 0.8:.2f}",
                tier=TIERS[n % 4],
                rank=n + 1,
                flagged=n % 50 == 0,
                vetoed=False,
                tier_rule="按比例定等",
                indicator_points=f"{total * 0.2:.2f}",
                missing_indicators=[],
                incomplete=False,
                quorum_ok=True,
                consistency_flags=["打分雷同"] if n % 97 == 0 else [],
                groups=groups,
            )
        )
        averages[n + 1] = {key: f"{rng.uniform(5, 10):.2f}" for key in titles}
    # As the route reads it: each item's stored JSON, parsed as each sheet reaches it.
    ranking = results_service.StoredRanking(
        [i.report_id for i in items], [results_service.encode_item(i.model_dump(mode="json")).decode() for i in items]
    )
    return ranking, averages, titles


def export_only(reports: int) -> None:
    """Time the workbook of a synthetic ranking, with no database."""
    ranking, averages, titles = synthetic_results(reports)
    holding = resident_mib()
    reset_peak()
    t0 = time.perf_counter()
    data = excel.build_workbook(ranking, lambda: averages, titles, f"基准 {reports}")
    elapsed = time.perf_counter() - t0
    print(
        f"excel export    {elapsed:8.2f} s   {len(data) / 1e6:.1f} MB ({reports} rows, {reports * 3} group rows)   "
        f"memory +{peak_mib() - holding:.0f} MiB at its peak"
    )


def main() -> None:
    wire()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=50_000)
    parser.add_argument("--ballots", type=int, default=10, help="ballots per group and report")
    parser.add_argument("--databases", default="postgresql,sqlite")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("SHUPING_BENCH_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--export-only", action="store_true", help="time only the workbook of a synthetic ranking")
    args = parser.parse_args()
    if args.export_only:
        export_only(args.reports)
        return
    scores = args.reports * 3 * args.ballots * 10
    for kind in args.databases.split(","):
        url = plan_database(None if kind == "sqlite" else args.pg_url, "results")
        create_database(url)
        try:
            prepare(url)
            print(
                f"== {kind}: {args.reports} reports × 3 groups × {args.ballots} ballots × 10 items "
                f"= {scores:,} item scores"
            )
            cycle_id, load_s = asyncio.run(load(url, args.reports, args.ballots))
            print(f"load            {load_s:8.1f} s")
            computed = asyncio.run(timed(url, cycle_id, compute))
            compute_s = computed.seconds
            print(f"compute + rank  {compute_s:8.1f} s   memory +{computed.grew_mib:.0f} MiB at its peak")
            base_s = asyncio.run(baseline(url, cycle_id))
            print(f"pandas baseline {base_s:8.1f} s   ratio compute/baseline {compute_s / base_s:.2f}")
            points_s, statements, values = asyncio.run(indicator_points(url, cycle_id))
            print(
                f"indicator points{points_s:8.1f} s   {values:,} values of {args.reports} reports "
                f"in {statements} statements (entered + ledger_completion)"
            )
            exported = asyncio.run(timed(url, cycle_id, export))
            print(
                f"excel export    {exported.seconds:8.1f} s   {len(exported.answer) / 1e6:.1f} MB "
                f"({args.reports} rows, with item averages)   memory +{exported.grew_mib:.0f} MiB at its peak"
            )
        finally:
            drop_database(url)


if __name__ == "__main__":
    main()
