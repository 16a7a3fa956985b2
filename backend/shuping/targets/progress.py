"""A programme's completion on a day, read from the database and computed by `completion` (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.targets import completion as calc
from shuping.targets.models import (
    ProjectStage,
    Target,
    TargetMeasure,
    TargetProgramme,
    TargetProject,
    TargetProjectStage,
)
from shuping.targets.schemas import (
    CompletionRead,
    MeasureCompletion,
    MeasureRead,
    UnitCompletion,
)
from shuping.targets.service import (
    measures_of,
    org_ref,
    orgs_by_id,
)

Facts = tuple[list[TargetMeasure], dict[tuple[int, str], Decimal], list[calc.ProjectFacts]]


async def facts(session: AsyncSession, programme: TargetProgramme) -> Facts:
    """The programme's measures, targets and projects with their stage moves (three queries)."""
    measures = await measures_of(session, programme.id)
    keys = {m.id: m.key for m in measures}
    targets = {
        (org_id, keys[measure_id]): value
        for org_id, measure_id, value in (
            await session.execute(
                select(Target.org_id, Target.measure_id, Target.value).where(Target.programme_id == programme.id)
            )
        ).all()
    }
    moves: dict[int, list[tuple[date, ProjectStage]]] = {}
    for project_id, on, stage in (
        await session.execute(
            select(TargetProjectStage.project_id, TargetProjectStage.on_date, TargetProjectStage.to_stage)
            .join(TargetProject, TargetProject.id == TargetProjectStage.project_id)
            .where(TargetProject.programme_id == programme.id)
            .order_by(TargetProjectStage.id)
        )
    ).all():
        moves.setdefault(project_id, []).append((on, stage))
    projects = [
        calc.ProjectFacts(org_id, moves.get(pid, []), contract, funds)
        for pid, org_id, contract, funds in (
            await session.execute(
                select(
                    TargetProject.id, TargetProject.org_id, TargetProject.contract_amount, TargetProject.funds_in_place
                ).where(TargetProject.programme_id == programme.id)
            )
        ).all()
    ]
    return measures, targets, projects


def results_on(
    programme: TargetProgramme, known: Facts, day: date, units: Iterable[int] = ()
) -> dict[int, calc.UnitResult]:
    """Each unit's results on `day` from the programme's facts: those with a target or a project, and `units`."""
    measures, targets, projects = known
    return calc.compute(
        start=programme.period_start,
        end=programme.period_end,
        day=day,
        measures=[calc.MeasureSpec(m.key, m.weight, m.stage, m.basis, m.more_is_better) for m in measures],
        targets=targets,
        projects=projects,
        units=units,
    )


async def completion_at(session: AsyncSession, programme: TargetProgramme, day: date) -> dict[int, calc.UnitResult]:
    """Each unit's results on `day` (for formulas and bulletins)."""
    return results_on(programme, await facts(session, programme), day)


async def read_completion(session: AsyncSession, *, programme: TargetProgramme, day: date) -> CompletionRead:
    known = await facts(session, programme)
    measures = known[0]
    now = results_on(programme, known, day)
    previous_day = calc.previous_month_end(min(day, programme.period_end))
    before: dict[int, calc.UnitResult] = {}
    has_previous = previous_day >= programme.period_start
    if has_previous:
        before = results_on(programme, known, previous_day, units=now)
    orgs = await orgs_by_id(session, set(now))
    units: list[UnitCompletion] = []
    for org_id, unit in sorted(now.items(), key=lambda kv: (kv[1].rank is None, kv[1].rank or 0, orgs[kv[0]].code)):
        prev = before.get(org_id)
        change = (
            None
            if prev is None or prev.weighted is None or unit.weighted is None
            else calc.rounded(unit.weighted - prev.weighted)
        )
        units.append(
            UnitCompletion(
                org=org_ref(orgs[org_id]),
                measures=[
                    MeasureCompletion(
                        measure_key=m.key,
                        target=r.target,
                        actual=r.actual,
                        completion=calc.rounded(r.completion),
                        light=r.light,
                        previous_actual=prev.measures[m.key].actual if prev is not None else None,
                    )
                    for m in measures
                    for r in [unit.measures[m.key]]
                ],
                weighted_completion=calc.rounded(unit.weighted),
                rank=unit.rank,
                light=unit.light,
                previous_weighted_completion=calc.rounded(prev.weighted) if prev is not None else None,
                change=change,
                landed_projects=unit.landed_projects,
                no_project_landed=unit.no_project_landed,
            )
        )
    return CompletionRead(
        programme_id=programme.id,
        as_of=day,
        previous_as_of=previous_day if has_previous else None,
        expected_pace=calc.rounded(calc.expected_pace(programme.period_start, programme.period_end, day)) or Decimal(0),
        measures=[MeasureRead.model_validate(m) for m in measures],
        units=units,
    )
