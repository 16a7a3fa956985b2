"""Petition statistics per township or department, and the snapshots evaluations are scored on.

Definitions (each a count over the cases, so accepted = resolved + assigned_or_transferred + in_progress):

* ``accepted``: every case taken in, whatever its status now (cumulative);
* ``resolved``: status ``resolved`` or ``closed``;
* ``assigned_or_transferred``: status ``assigned`` or ``transferred`` — now held by the body it
  was assigned (交办) or transferred (转办) to;
* ``in_progress``: status ``accepted`` or ``in_progress`` — still with the receiving body;
* ``overdue``: open cases whose current stage ran past its due date (Beijing date);
* ``resolution_rate``: resolved / accepted (None without cases);
* ``median_days_to_resolve``: median calendar days from receipt to resolution, over resolved cases.

The counts are over the cases received in the period (all received up to the as-of day without
one); the four measures of petition work over the same period by their own clocks (see
``petitions.measures``). Rows group by the case's township (``org``) or county department
(``department``); ``total`` counts every case the caller may see. A cycle's frozen snapshot counts
every case received by the day it is taken and judges the measures over the cycle's period.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from shuping.auth.models import Role, User
from shuping.core import calendar as cal
from shuping.cycles.models import Cycle, CycleStage
from shuping.orgs.models import Organization, OrgKind
from shuping.orgs.scope import host_org_ids, is_county_staff
from shuping.petitions import service
from shuping.petitions.measures import CaseDates, MeasureCounts, Period
from shuping.petitions.measures import tally as tally_measures
from shuping.petitions.models import PetitionCase, PetitionStatsSnapshot, StatsGroup
from shuping.petitions.repository import ALL_CASES_ROLES, visible_to
from shuping.petitions.schemas import OrgRef, StatsFigures, StatsRead, StatsRow
from shuping.petitions.statemachine import HANDED_ON_STATUSES, OPEN_STATUSES, RESOLVED_STATUSES, CaseStatus
from shuping.rubrics.formulas import Compute, ReportKeys
from shuping.rubrics.models import RubricItem

RATE_PLACES = Decimal("0.000001")
DAYS_PLACES = Decimal("0.1")
GROUP_KINDS: dict[StatsGroup, tuple[OrgKind, ...]] = {
    StatsGroup.org: (OrgKind.township, OrgKind.working_committee),
    StatsGroup.department: (OrgKind.department,),
}


@dataclass
class Tally:
    accepted: int = 0
    resolved: int = 0
    assigned_or_transferred: int = 0
    in_progress: int = 0
    overdue: int = 0
    days_to_resolve: list[int] = field(default_factory=list)
    # None: not known (a snapshot frozen before the measures existed).
    measures: MeasureCounts | None = field(default_factory=MeasureCounts)

    def add(self, other: Tally) -> None:
        self.accepted += other.accepted
        self.resolved += other.resolved
        self.assigned_or_transferred += other.assigned_or_transferred
        self.in_progress += other.in_progress
        self.overdue += other.overdue
        self.days_to_resolve.extend(other.days_to_resolve)
        if self.measures is not None and other.measures is not None:
            self.measures.add(other.measures)
        else:
            self.measures = None

    def figures(self) -> StatsFigures:
        return StatsFigures(
            accepted=self.accepted,
            resolved=self.resolved,
            assigned_or_transferred=self.assigned_or_transferred,
            in_progress=self.in_progress,
            overdue=self.overdue,
            resolution_rate=resolution_rate(self.resolved, self.accepted),
            median_days_to_resolve=median_days(self.days_to_resolve),
            **measure_figures(self.measures),
        )


def measure_figures(m: MeasureCounts | None) -> dict[str, int | Decimal | None]:
    """The measures' counts and rates as the statistics show them (all None when not known)."""
    if m is None:
        names = ("acceptance_due", "accepted_in_time", "handling_due", "handled_in_time", "closed", "rated")
        return dict.fromkeys(
            (
                *names,
                "satisfied",
                "timely_acceptance_rate",
                "on_time_completion_rate",
                "satisfaction_rate",
                "rating_rate",
            )
        )
    return {
        "acceptance_due": m.acceptance_due,
        "accepted_in_time": m.accepted_in_time,
        "timely_acceptance_rate": m.timely_acceptance_rate,
        "handling_due": m.handling_due,
        "handled_in_time": m.handled_in_time,
        "on_time_completion_rate": m.on_time_completion_rate,
        "closed": m.closed,
        "rated": m.rated,
        "satisfied": m.satisfied,
        "satisfaction_rate": m.satisfaction_rate,
        "rating_rate": m.rating_rate,
    }


def resolution_rate(resolved: int, accepted: int) -> Decimal | None:
    if accepted == 0:
        return None
    return (Decimal(resolved) / Decimal(accepted)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def median_days(days: Sequence[int]) -> Decimal | None:
    if not days:
        return None
    return Decimal(str(statistics.median(days))).quantize(DAYS_PLACES, rounding=ROUND_HALF_UP)


def points_for(rate: Decimal | None, max_points: Decimal) -> Decimal | None:
    """Indicator points for a resolution rate: rate × max_points (None when there is no rate)."""
    return None if rate is None else rate * max_points


# The longest a stage clock can run in calendar days, with room for the longest holidays: how far
# before a period a case may have been received (or decided) and still fall due in it.
_ACCEPTANCE_REACH = timedelta(days=60)
_HANDLING_REACH = timedelta(days=200)


def _measure_candidates(period: Period, today: date) -> ColumnElement[bool]:
    """A cheap superset of the cases that can count towards a measure in the period (judged exactly after)."""
    end = min(period.end, today) if period.end is not None else today
    if period.start is None:
        return PetitionCase.received_date <= end
    return or_(
        PetitionCase.received_date.between(period.start - _ACCEPTANCE_REACH, end),
        PetitionCase.accepted_date.between(period.start - _HANDLING_REACH, end),
        and_(PetitionCase.closed_date.is_not(None), PetitionCase.closed_date.between(period.start, end)),
    )


async def _measure_counts(
    session: AsyncSession,
    column: InstrumentedAttribute[int | None],
    scope: ColumnElement[bool],
    period: Period,
    today: date,
) -> dict[int | None, MeasureCounts]:
    """The measures' counts per group: one query, then each case judged on the configured clock."""
    clk = service.clock()
    rows = await session.execute(
        select(
            column,
            PetitionCase.received_date,
            PetitionCase.accepted_date,
            PetitionCase.handled_date,
            PetitionCase.closed_date,
            PetitionCase.extended,
            PetitionCase.satisfaction,
        ).where(scope, _measure_candidates(period, today))
    )
    cases: dict[int | None, list[CaseDates]] = {}
    for key, received, accepted, handled, closed, extended, satisfaction in rows.all():
        cases.setdefault(key, []).append(CaseDates(received, accepted, handled, closed, extended, satisfaction))
    return {
        key: tally_measures(group, period=period, as_of=today, calendar=clk.calendar, limits=clk.limits)
        for key, group in cases.items()
    }


async def _tallies(
    session: AsyncSession,
    group_by: StatsGroup,
    today: date,
    user: User | None,
    received_in: Period | None = None,
    measured: Period | None = None,
) -> tuple[dict[int | None, Tally], list[int]]:
    column = PetitionCase.org_id if group_by == StatsGroup.org else PetitionCase.department_id
    visible = visible_to(user) if user is not None else PetitionCase.id.is_not(None)
    # Figures as of `today` count the cases received by then (a snapshot of a past cycle counts its own),
    # within the period when one is given.
    scope = visible & (PetitionCase.received_date <= today)
    if received_in is not None and received_in.start is not None:
        scope = scope & (PetitionCase.received_date >= received_in.start)
    if received_in is not None and received_in.end is not None:
        scope = scope & (PetitionCase.received_date <= received_in.end)

    def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.coalesce(func.sum(sql_case((condition, 1), else_=0)), 0)

    stmt = (
        select(
            column,
            func.count(),
            count_if(PetitionCase.status.in_(RESOLVED_STATUSES)),
            count_if(PetitionCase.status.in_(HANDED_ON_STATUSES)),
            count_if(PetitionCase.status.in_([CaseStatus.accepted, CaseStatus.in_progress])),
            count_if(PetitionCase.status.in_(OPEN_STATUSES) & (PetitionCase.due_date < today)),
        )
        .where(scope)
        .group_by(column)
    )
    tallies: dict[int | None, Tally] = {}
    for key, accepted, resolved, handed_on, in_progress, overdue in (await session.execute(stmt)).all():
        tallies[key] = Tally(int(accepted), int(resolved), int(handed_on), int(in_progress), int(overdue))
    days_stmt = select(column, PetitionCase.received_date, PetitionCase.resolved_date).where(
        scope, PetitionCase.status.in_(RESOLVED_STATUSES), PetitionCase.resolved_date.is_not(None)
    )
    for key, received, resolved_on in (await session.execute(days_stmt)).all():
        if resolved_on is not None:
            tallies.setdefault(key, Tally()).days_to_resolve.append(max(0, (resolved_on - received).days))
    for key, counts in (await _measure_counts(session, column, visible, measured or Period(), today)).items():
        tallies.setdefault(key, Tally()).measures = counts
    return tallies, _own_rows(user)


def _own_rows(user: User | None) -> list[int]:
    """The rows a user who sees part of the county always gets: a secretary's organisation, a
    township clerk's township; empty for those who see every row."""
    if user is None or user.role in ALL_CASES_ROLES or is_county_staff(user):
        return []
    if user.role == Role.clerk:
        return sorted(host_org_ids(user))
    return [user.org_id]


async def _groups(session: AsyncSession, group_by: StatsGroup, extra_ids: Iterable[int]) -> list[Organization]:
    stmt = (
        select(Organization)
        .where(
            (Organization.kind.in_(GROUP_KINDS[group_by]) & Organization.is_active.is_(True))
            | Organization.id.in_(list(extra_ids))
        )
        .order_by(Organization.code)
    )
    return list((await session.execute(stmt)).scalars())


async def compute_stats(
    session: AsyncSession,
    *,
    group_by: StatsGroup,
    user: User | None = None,
    today: date | None = None,
    period: Period | None = None,
    count_all: bool = False,
) -> StatsRead:
    """Figures per township or department over the cases the user may see (all cases without a user):
    the counts over the cases received in the period (every case received by today with `count_all`),
    the measures over the period."""
    today = today or cal.china_today()
    period = period or Period()
    tallies, own = await _tallies(session, group_by, today, user, None if count_all else period, period)
    orgs = await _groups(session, group_by, [k for k in tallies if k is not None])
    if own:
        # A secretary or a township's clerk sees their own rows only (and the total of the cases they see).
        orgs = [o for o in orgs if o.id in own or tallies.get(o.id)]
    total = Tally()
    for t in tallies.values():
        total.add(t)
    rows = [
        StatsRow(org=OrgRef(id=o.id, code=o.code, name=o.name), **tallies.get(o.id, Tally()).figures().model_dump())
        for o in orgs
    ]
    return StatsRead(
        group_by=group_by,
        as_of=today,
        period_from=period.start,
        period_to=period.end,
        rows=rows,
        total=total.figures(),
    )


# ---------------------------------------------------------------- snapshots for evaluations


async def snapshot_stats(
    session: AsyncSession, *, cycle_id: int, today: date | None = None, period: Period | None = None
) -> list[PetitionStatsSnapshot]:
    """Freeze every township's and department's figures for an evaluation cycle: the counts of every
    case received by today, the measures over the cycle's period (read from the cycle when not given).

    Call this when the cycle enters assessment. Idempotent: a cycle that has a snapshot keeps it
    unchanged, so a published evaluation always shows the figures it was scored on.
    """
    existing = await _snapshot_rows(session, cycle_id)
    if existing:
        return existing
    today = today or cal.china_today()
    if period is None:
        period = (await cycle_periods(session, [cycle_id])).get(cycle_id, Period())
    for group_by in StatsGroup:
        stats = await compute_stats(session, group_by=group_by, today=today, period=period, count_all=True)
        for row in stats.rows:
            session.add(
                PetitionStatsSnapshot(
                    cycle_id=cycle_id,
                    group_by=group_by,
                    org_id=row.org.id,
                    as_of=today,
                    accepted=row.accepted,
                    resolved=row.resolved,
                    assigned_or_transferred=row.assigned_or_transferred,
                    in_progress=row.in_progress,
                    overdue=row.overdue,
                    resolution_rate=row.resolution_rate,
                    median_days_to_resolve=row.median_days_to_resolve,
                    acceptance_due=row.acceptance_due,
                    accepted_in_time=row.accepted_in_time,
                    handling_due=row.handling_due,
                    handled_in_time=row.handled_in_time,
                    closed=row.closed,
                    rated=row.rated,
                    satisfied=row.satisfied,
                )
            )
    await session.flush()
    return await _snapshot_rows(session, cycle_id)


async def _snapshot_rows(
    session: AsyncSession, cycle_id: int, group_by: StatsGroup | None = None
) -> list[PetitionStatsSnapshot]:
    stmt = select(PetitionStatsSnapshot).where(PetitionStatsSnapshot.cycle_id == cycle_id)
    if group_by is not None:
        stmt = stmt.where(PetitionStatsSnapshot.group_by == group_by)
    return list((await session.execute(stmt.order_by(PetitionStatsSnapshot.id))).scalars())


async def snapshot_read(session: AsyncSession, *, cycle_id: int, group_by: StatsGroup) -> StatsRead | None:
    """A frozen snapshot in the shape of the live statistics, or None if the cycle has none."""
    rows = await _snapshot_rows(session, cycle_id, group_by)
    if not rows:
        return None
    orgs = {
        o.id: o
        for o in (
            await session.execute(select(Organization).where(Organization.id.in_([r.org_id for r in rows])))
        ).scalars()
    }
    out: list[StatsRow] = []
    totals = Tally()
    medians: list[tuple[int, Decimal]] = []
    for r in sorted(rows, key=lambda r: orgs[r.org_id].code):
        o = orgs[r.org_id]
        measures = snapshot_measures(r)
        out.append(
            StatsRow(
                org=OrgRef(id=o.id, code=o.code, name=o.name),
                accepted=r.accepted,
                resolved=r.resolved,
                assigned_or_transferred=r.assigned_or_transferred,
                in_progress=r.in_progress,
                overdue=r.overdue,
                resolution_rate=r.resolution_rate,
                median_days_to_resolve=r.median_days_to_resolve,
                **measure_figures(measures),
            )
        )
        totals.add(Tally(r.accepted, r.resolved, r.assigned_or_transferred, r.in_progress, r.overdue, [], measures))
        if r.median_days_to_resolve is not None:
            medians.append((r.resolved, r.median_days_to_resolve))
    figures = totals.figures()
    # Per-case days are not frozen: the total's median is left out rather than guessed.
    period = (await cycle_periods(session, [cycle_id])).get(cycle_id, Period())
    return StatsRead(
        group_by=group_by,
        as_of=rows[0].as_of,
        period_from=period.start,
        period_to=period.end,
        cycle_id=cycle_id,
        rows=out,
        total=figures.model_copy(update={"median_days_to_resolve": None}),
    )


def snapshot_measures(row: PetitionStatsSnapshot) -> MeasureCounts | None:
    """A frozen row's measure counts, or None when it was frozen before the measures existed."""
    counts = (
        row.acceptance_due,
        row.accepted_in_time,
        row.handling_due,
        row.handled_in_time,
        row.closed,
        row.rated,
        row.satisfied,
    )
    if any(c is None for c in counts):
        return None
    return MeasureCounts(*(int(c or 0) for c in counts))


async def cycle_periods(session: AsyncSession, cycle_ids: Iterable[int]) -> dict[int, Period]:
    """The evaluation period of each cycle (one query)."""
    ids = list(set(cycle_ids))
    if not ids:
        return {}
    rows = await session.execute(select(Cycle.id, Cycle.period_start, Cycle.period_end).where(Cycle.id.in_(ids)))
    return {cycle_id: Period(start, end) for cycle_id, start, end in rows.all()}


async def resolution_rate_for(session: AsyncSession, org_id: int, *, cycle_id: int | None = None) -> Decimal | None:
    """The township's petition resolution rate (0..1), for the `petition_resolution_rate` indicator.

    With a cycle that has a snapshot (see `snapshot_stats`), the frozen figure; otherwise the live
    one. None when the township has no cases: the indicator is then shown as missing.
    Points = rate × the rubric item's max_points (`points_for`).
    """
    return (await resolution_rates(session, cycle_id=cycle_id)).get(org_id)


async def resolution_rates(session: AsyncSession, *, cycle_id: int | None = None) -> dict[int, Decimal | None]:
    """Every township's resolution rate at once (two queries): the cycle's snapshot when it has one."""
    if cycle_id is not None:
        frozen = (
            await session.execute(
                select(
                    PetitionStatsSnapshot.group_by, PetitionStatsSnapshot.org_id, PetitionStatsSnapshot.resolution_rate
                ).where(PetitionStatsSnapshot.cycle_id == cycle_id)
            )
        ).all()
        if frozen:  # a snapshot of the departments alone still freezes the townships' figures (at none)
            return {org_id: rate for group_by, org_id, rate in frozen if group_by == StatsGroup.org}
    rows = await session.execute(
        select(
            PetitionCase.org_id,
            func.count(),
            func.coalesce(func.sum(sql_case((PetitionCase.status.in_(RESOLVED_STATUSES), 1), else_=0)), 0),
        ).group_by(PetitionCase.org_id)
    )
    return {org_id: resolution_rate(int(resolved), int(total)) for org_id, total, resolved in rows}


async def resolution_points(
    session: AsyncSession, reports: Sequence[ReportKeys], item: RubricItem
) -> dict[int, Decimal | None]:
    """The `petition_resolution_rate` formula: each report's township rate × the item's max points,
    frozen with its cycle's snapshot; a fixed number of queries however many reports there are."""
    rates: dict[int, dict[int, Decimal | None]] = {}
    for cycle_id in {r.cycle_id for r in reports}:
        rates[cycle_id] = await resolution_rates(session, cycle_id=cycle_id)
    return {r.id: points_for(rates[r.cycle_id].get(r.org_id), item.max_points) for r in reports}


async def measure_counts_for_cycles(
    session: AsyncSession, cycle_ids: Iterable[int]
) -> dict[int, dict[int, MeasureCounts | None]]:
    """Each cycle's townships' measure counts: frozen with the cycle's snapshot when it has one, else
    live over the cycle's period as of today; a fixed number of queries per distinct period."""
    ids = set(cycle_ids)
    out: dict[int, dict[int, MeasureCounts | None]] = {}
    frozen = (
        (
            await session.execute(
                select(PetitionStatsSnapshot).where(
                    PetitionStatsSnapshot.cycle_id.in_(ids), PetitionStatsSnapshot.group_by == StatsGroup.org
                )
            )
        )
        .scalars()
        .all()
        if ids
        else []
    )
    has_snapshot = set(
        (await session.execute(select(PetitionStatsSnapshot.cycle_id).where(PetitionStatsSnapshot.cycle_id.in_(ids))))
        .scalars()
        .all()
        if ids
        else []
    )
    for row in frozen:
        out.setdefault(row.cycle_id, {})[row.org_id] = snapshot_measures(row)
    periods = await cycle_periods(session, ids - has_snapshot)
    today = cal.china_today()
    live: dict[Period, dict[int | None, MeasureCounts]] = {}
    for cycle_id in ids - has_snapshot:
        period = periods.get(cycle_id, Period())
        if period not in live:
            live[period] = await _measure_counts(
                session, PetitionCase.org_id, PetitionCase.id.is_not(None), period, today
            )
        out[cycle_id] = {k: v for k, v in live[period].items() if k is not None}
    for cycle_id in has_snapshot:
        out.setdefault(cycle_id, {})
    return out


def measure_points(measure: str) -> Compute:
    """The formula of one measure (`petition_<measure>`): each report's township rate × the item's max
    points, over its cycle's period, frozen with the cycle's snapshot."""

    async def compute(
        session: AsyncSession, reports: Sequence[ReportKeys], item: RubricItem
    ) -> dict[int, Decimal | None]:
        counts = await measure_counts_for_cycles(session, {r.cycle_id for r in reports})
        points: dict[int, Decimal | None] = {}
        for r in reports:
            m = counts.get(r.cycle_id, {}).get(r.org_id)
            points[r.id] = points_for(getattr(m, measure) if m is not None else None, item.max_points)
        return points

    compute.__doc__ = f"The {measure} formula of a township's petition work."
    return compute


async def snapshot_on_entering_assessment(
    session: AsyncSession, cycle: Cycle, before: CycleStage, after: CycleStage
) -> None:
    """A stage hook: the petition figures an evaluation uses are frozen as it enters assessment."""
    if before == CycleStage.evaluation and after == CycleStage.assessment:
        await snapshot_stats(session, cycle_id=cycle.id)
