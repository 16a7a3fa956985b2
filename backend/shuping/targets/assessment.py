"""Target completion into a cycle's assessment: the `target_completion` indicator formula, frozen as
the cycle enters assessment.

Which programme feeds a cycle: the one hosted by the cycle's host, active or closed (a draft is not
yet in force), whose period ends within the cycle's period — the latest ending (then the latest
made) when several do. A year-end cycle (2013年度) so takes the programme of that year, and a
programme still running when the cycle ends feeds the next one. Points = the unit's weighted
completion at the programme's end (`completion`) × the item's maximum; a unit without targets, or a
cycle no programme feeds, has none (shown as missing). Entering assessment freezes each unit's
figure with the programme chosen, so later changes to the pipeline do not move a published result.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.core import calendar as cal
from shuping.core.i18n import N_
from shuping.cycles.models import Cycle, CycleStage
from shuping.rubrics.formulas import ReportKeys
from shuping.rubrics.models import RubricItem, RubricVeto
from shuping.targets import progress
from shuping.targets.completion import UnitResult
from shuping.targets.models import ProgrammeStatus, TargetCycleFigure, TargetCycleFreeze, TargetProgramme

FORMULA = "target_completion"
DESCRIPTION = (
    "The unit's weighted target completion (目标责任完成率) in the programme its host ran over the cycle's"
    " period × max points, frozen at assessment"
)


async def programme_for(session: AsyncSession, cycle: Cycle) -> TargetProgramme | None:
    """The programme that feeds the cycle (see the module's rule), or None."""
    stmt = (
        select(TargetProgramme)
        .where(
            TargetProgramme.host_org_id == cycle.host_org_id,
            TargetProgramme.status.in_([ProgrammeStatus.active, ProgrammeStatus.closed]),
            TargetProgramme.period_end >= cycle.period_start,
            TargetProgramme.period_end <= cycle.period_end,
        )
        .order_by(TargetProgramme.period_end.desc(), TargetProgramme.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def _live(session: AsyncSession, cycle: Cycle) -> tuple[int | None, dict[int, UnitResult]]:
    programme = await programme_for(session, cycle)
    if programme is None:
        return None, {}
    return programme.id, await progress.completion_at(session, programme, programme.period_end)


async def completions(session: AsyncSession, cycle: Cycle) -> dict[int, Decimal | None]:
    """Each unit's weighted completion for the cycle: frozen when it has been, else live."""
    freeze = await session.get(TargetCycleFreeze, cycle.id)
    if freeze is not None:
        rows = await session.execute(
            select(TargetCycleFigure.org_id, TargetCycleFigure.weighted_completion).where(
                TargetCycleFigure.cycle_id == cycle.id
            )
        )
        return {org_id: value for org_id, value in rows.all()}
    return {org_id: u.weighted for org_id, u in (await _live(session, cycle))[1].items()}


async def completion_points(
    session: AsyncSession, reports: Sequence[ReportKeys], item: RubricItem
) -> dict[int, Decimal | None]:
    """The `target_completion` formula: each report's unit's weighted completion × the item's max points."""
    out: dict[int, Decimal | None] = {}
    for cycle_id in {r.cycle_id for r in reports}:
        cycle = await session.get(Cycle, cycle_id)
        values = await completions(session, cycle) if cycle is not None else {}
        for r in reports:
            if r.cycle_id == cycle_id:
                value = values.get(r.org_id)
                out[r.id] = None if value is None else value * item.max_points
    return out


VETO_FACT = "target_no_landing"


async def _landed(session: AsyncSession, cycle: Cycle) -> tuple[TargetProgramme | None, date | None, dict[int, int]]:
    """The programme feeding the cycle, the day its figures were frozen (None: live) and each of its
    units' landed projects: frozen when the cycle has been, else live at the programme's end."""
    freeze_row = await session.get(TargetCycleFreeze, cycle.id)
    if freeze_row is not None:
        programme = (
            await session.get(TargetProgramme, freeze_row.programme_id) if freeze_row.programme_id is not None else None
        )
        rows = await session.execute(
            select(TargetCycleFigure.org_id, TargetCycleFigure.landed_projects).where(
                TargetCycleFigure.cycle_id == cycle.id
            )
        )
        return programme, freeze_row.as_of, {org_id: n for org_id, n in rows.all()}
    programme = await programme_for(session, cycle)
    if programme is None:
        return None, None, {}
    units = await progress.completion_at(session, programme, programme.period_end)
    return programme, None, {org_id: u.landed_projects for org_id, u in units.items()}


async def no_landing_vetoes(
    session: AsyncSession, reports: Sequence[ReportKeys], veto: RubricVeto
) -> dict[int, str | None]:
    """The `target_no_landing` veto fact (项目落地一票否决): a report's unit is vetoed when it is a unit of
    the programme feeding the cycle and none of its projects stood at 落地 or later at the programme's
    end. A unit outside the programme, or a cycle no programme feeds, is not vetoed by it."""
    out: dict[int, str | None] = {}
    for cycle_id in {r.cycle_id for r in reports}:
        cycle = await session.get(Cycle, cycle_id)
        programme, frozen_on, landed = await _landed(session, cycle) if cycle is not None else (None, None, {})
        for r in reports:
            if r.cycle_id != cycle_id:
                continue
            if programme is None or landed.get(r.org_id, 1) > 0:
                out[r.id] = None
            elif frozen_on is not None:
                out[r.id] = N_(
                    "no project of {programme} reached landing (落地) by {day} (frozen on {frozen})",
                    programme=programme.name,
                    day=programme.period_end.isoformat(),
                    frozen=frozen_on.isoformat(),
                )
            else:
                out[r.id] = N_(
                    "no project of {programme} reached landing (落地) by {day}",
                    programme=programme.name,
                    day=programme.period_end.isoformat(),
                )
    return out


async def freeze(session: AsyncSession, cycle: Cycle) -> TargetCycleFreeze:
    """Freeze the cycle's target figures (idempotent: a frozen cycle keeps its figures)."""
    existing = await session.get(TargetCycleFreeze, cycle.id)
    if existing is not None:
        return existing
    programme_id, units = await _live(session, cycle)
    row = TargetCycleFreeze(cycle_id=cycle.id, programme_id=programme_id, as_of=cal.china_today())
    session.add(row)
    await session.flush()
    session.add_all(
        TargetCycleFigure(
            cycle_id=cycle.id, org_id=org_id, weighted_completion=u.weighted, landed_projects=u.landed_projects
        )
        for org_id, u in units.items()
    )
    await session.flush()
    return row


async def freeze_on_entering_assessment(
    session: AsyncSession, cycle: Cycle, before: CycleStage, after: CycleStage
) -> None:
    """A stage hook: the target figures a cycle uses are frozen as it enters assessment."""
    if before == CycleStage.evaluation and after == CycleStage.assessment:
        await freeze(session, cycle)
