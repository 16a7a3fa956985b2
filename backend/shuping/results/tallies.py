"""A cycle's ballots tallied by the database: per report and group, what DESIGN §3's rules need.

Results (all of a cycle's meetings) and a meeting's live tally (one meeting) both read ballots this way,
so neither loads the ballots one by one.
"""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction

from sqlalchemy import BigInteger, ColumnElement, and_, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.cycles.models import Aggregation, Cycle
from shuping.meetings.models import Ballot
from shuping.reports.models import Report
from shuping.results import scoring

UNITS = 10_000  # ballot totals are stored to 4 places: the database sums them as whole units, exactly


async def tally_ballots(
    session: AsyncSession, cycle: Cycle, groups: list[scoring.Group], *, meeting_id: int | None = None
) -> dict[int, dict[str, scoring.GroupTally]]:
    """Per report and group, what the rules need of a cycle's ballots (or one meeting's), summed by the
    database.

    One pass groups the ballots by report, group and answers digest (the largest of those groups is
    the identical-ballots count), then by report and group. A trimmed mean dropping one ballot at
    each end is the sum less the lowest and highest; deeper trims rank the ballots once more.
    """
    key_of = {g.id: g.key for g in cycle.groups}
    spec = {g.key: g for g in groups}
    units = cast(func.round(Ballot.total * UNITS), BigInteger)
    # A report's ballots all come from its own cycle's meetings: the report alone selects them.
    chosen: ColumnElement[bool] = Ballot.report_id.in_(select(Report.id).where(Report.cycle_id == cycle.id))
    if meeting_id is not None:
        chosen = and_(chosen, Ballot.meeting_id == meeting_id)
    by_answers = (
        select(
            Ballot.report_id,
            Ballot.group_id,
            func.count().label("n"),
            func.sum(units).label("units"),
            func.min(units).label("low"),
            func.max(units).label("high"),
            func.sum(case((Ballot.straight, 1), else_=0)).label("straight"),
            *[func.sum(case((Ballot.first_tier == t.value, 1), else_=0)).label(t.value) for t in scoring.TIER_ORDER],
        )
        .where(chosen)
        .group_by(Ballot.report_id, Ballot.group_id, Ballot.signature)
        .subquery()
    )
    c = by_answers.c
    rows = await session.execute(
        select(
            c.report_id,
            c.group_id,
            func.sum(c.n),
            func.sum(c.units),
            func.min(c.low),
            func.max(c.high),
            func.sum(c.straight),
            func.max(c.n),
            *[func.sum(c[t.value]) for t in scoring.TIER_ORDER],
        ).group_by(c.report_id, c.group_id)
    )
    deep = {gid: spec[key].trim for gid, key in key_of.items() if _trims(spec[key]) and spec[key].trim > 1}
    dropped_units = await _deep_trims(session, chosen, units, deep) if deep else {}
    out: dict[int, dict[str, scoring.GroupTally]] = defaultdict(dict)
    for rid, gid, n, total, low, high, straight, most, *tiers in rows:
        n, total, group = int(n), int(total), spec[key_of[gid]]
        kept, kept_units = n, total
        if _trims(group) and n > 2 * group.trim:
            kept = n - 2 * group.trim
            kept_units = total - (int(low) + int(high) if group.trim == 1 else dropped_units[rid, gid])
        out[rid][group.key] = scoring.GroupTally(
            ballots=n,
            kept=kept,
            kept_sum=Fraction(kept_units, UNITS),
            tier_counts={t: int(k) for t, k in zip(scoring.TIER_ORDER, tiers, strict=True)},
            straight=int(straight),
            most_identical=int(most),
        )
    return out


def _trims(group: scoring.Group) -> bool:
    return group.aggregation == Aggregation.trimmed_mean and group.trim > 0


async def _deep_trims(
    session: AsyncSession, chosen: ColumnElement[bool], units: ColumnElement[int], trims: dict[int, int]
) -> dict[tuple[int, int], int]:
    """The units a trimmed mean drops, per report and group, for groups trimming more than one each end."""
    ranked = (
        select(
            Ballot.report_id,
            Ballot.group_id,
            units.label("units"),
            func.row_number().over(partition_by=(Ballot.report_id, Ballot.group_id), order_by=Ballot.total).label("rn"),
            func.count().over(partition_by=(Ballot.report_id, Ballot.group_id)).label("n"),
        )
        .where(chosen, Ballot.group_id.in_(trims))
        .subquery()
    )
    r = ranked.c
    trim = case(trims, value=r.group_id)
    rows = await session.execute(
        select(r.report_id, r.group_id, func.sum(r.units))
        .where(r.n > 2 * trim, or_(r.rn <= trim, r.rn > r.n - trim))
        .group_by(r.report_id, r.group_id)
    )
    return {(rid, gid): int(dropped) for rid, gid, dropped in rows}
