"""A cycle's ballots tallied by the database: per report and group, what DESIGN §3's rules need.

Results (all of a cycle's meetings) and a meeting's live tally (one meeting) both read ballots this way,
so neither loads the ballots one by one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, and_, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from shuping.cycles.models import Aggregation, Cycle
from shuping.meetings.models import Ballot
from shuping.reports.models import Report
from shuping.scoring import rules

UNITS = 10_000  # ballot totals are stored to 4 places: the database sums them as whole units, exactly


async def tally_ballots(
    session: AsyncSession, cycle: Cycle, groups: list[rules.Group], *, meeting_id: int | None = None
) -> dict[int, dict[str, rules.GroupTally]]:
    """Per report and group, what the rules need of a cycle's ballots (or one meeting's), summed by the
    database.

    One pass counts and sums per report and group; a second finds the largest set of identical answers
    where any two agree (elsewhere it is one ballot). A trimmed mean dropping one ballot at each end is
    the sum less the lowest and highest; deeper trims rank the ballots once more.
    """
    key_of = {g.id: g.key for g in cycle.groups}
    spec = {g.key: g for g in groups}
    # A report's ballots all come from its own cycle's meetings: the report alone selects them.
    chosen: ColumnElement[bool] = Ballot.report_id.in_(select(Report.id).where(Report.cycle_id == cycle.id))
    if meeting_id is not None:
        chosen = and_(chosen, Ballot.meeting_id == meeting_id)
    per_row = to_units(Ballot.total)
    figures = [aggregate_units(session, f, Ballot.total) for f in (func.sum, func.min, func.max)]
    rows = await session.execute(
        select(
            Ballot.report_id,
            Ballot.group_id,
            func.count(),
            *figures,
            func.sum(case((Ballot.straight, 1), else_=0)),
            *[func.sum(case((Ballot.first_tier == t.value, 1), else_=0)) for t in rules.TIER_ORDER],
        )
        .where(chosen)
        .group_by(Ballot.report_id, Ballot.group_id)
    )
    same = (
        select(Ballot.report_id, Ballot.group_id, func.count().label("n"))
        .where(chosen)
        .group_by(Ballot.report_id, Ballot.group_id, Ballot.signature)
        .having(func.count() > 1)
        .subquery()
    )
    identical = {
        (rid, gid): int(n)
        for rid, gid, n in await session.execute(
            select(same.c.report_id, same.c.group_id, func.max(same.c.n)).group_by(same.c.report_id, same.c.group_id)
        )
    }
    deep = {gid: spec[key].trim for gid, key in key_of.items() if _trims(spec[key]) and spec[key].trim > 1}
    dropped_units = await _deep_trims(session, chosen, per_row, deep) if deep else {}
    out: dict[int, dict[str, rules.GroupTally]] = defaultdict(dict)
    groups_of = {gid: (spec[key], _trims(spec[key])) for gid, key in key_of.items()}
    tiers = rules.TIER_ORDER
    for rid, gid, n, total, low, high, straight, good, fairly_good, average, poor in rows:
        group, trims = groups_of[gid]
        kept, kept_units = n, total
        if trims and n > 2 * group.trim:
            kept = n - 2 * group.trim
            kept_units = total - (low + high if group.trim == 1 else dropped_units[rid, gid])
        out[rid][group.key] = rules.GroupTally(
            ballots=n,
            kept=kept,
            kept_sum=Fraction(kept_units, UNITS),
            tier_counts=dict(zip(tiers, (good, fairly_good, average, poor), strict=True)),
            straight=straight,
            most_identical=identical.get((rid, gid), 1),
        )
    return out


def to_units(value: ColumnElement[Any] | InstrumentedAttribute[Any]) -> ColumnElement[int]:
    """A ballot figure in whole 1/10,000 units, as an integer column."""
    return cast(func.round(value * UNITS), BigInteger)


def aggregate_units(
    session: AsyncSession, aggregate: Callable[[Any], ColumnElement[Any]], value: ColumnElement[Any] | Any
) -> ColumnElement[int]:
    """sum / min / max of a decimal figure, in whole 1/10,000 units, exactly.

    PostgreSQL's NUMERIC aggregates are exact, so the group's figure is scaled once; SQLite holds
    decimals as floats, so each row is rounded to whole units before it is added.
    """
    if session.get_bind().dialect.name == "postgresql":
        return to_units(aggregate(value))
    return cast(aggregate(to_units(value)), BigInteger)


def _trims(group: rules.Group) -> bool:
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
