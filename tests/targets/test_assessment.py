"""The `target_completion` indicator: the programme that feeds a cycle, the points, and the freeze at assessment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from shuping.cycles.models import CycleStage
from shuping.reports import assessment as report_assessment
from shuping.rubrics import formulas
from shuping.rubrics import service as rubrics_service
from shuping.rubrics.models import ItemSource, RubricItem
from shuping.targets import assessment
from shuping.targets.models import (
    MeasureBasis,
    ProgrammeStatus,
    ProjectStage,
    Target,
    TargetMeasure,
    TargetProgramme,
    TargetProject,
    TargetProjectStage,
)
from shuping.wiring import wire
from tests.support.builders import get_org
from tests.support.evaluation import make_evaluation_cycle

XIAODIAN, CHENGGUAN, SANTUN = "410326104", "410326101", "410326105"


async def _programme(
    session: AsyncSession, *, status: ProgrammeStatus = ProgrammeStatus.active, end: date = date(2013, 12, 31)
) -> TargetProgramme:
    county = await get_org(session, "410326")
    programme = TargetProgramme(
        name="2013年招商引资目标责任",
        host_org_id=county.id,
        period_start=date(2013, 9, 1),
        period_end=end,
        status=status,
    )
    session.add(programme)
    await session.flush()
    measure = TargetMeasure(
        programme_id=programme.id,
        key="landed",
        name="落地项目数",
        unit="个",
        weight=Decimal(1),
        stage=ProjectStage.landed,
        basis=MeasureBasis.projects,
    )
    session.add(measure)
    await session.flush()
    for code, value in ((XIAODIAN, 2), (CHENGGUAN, 1)):
        org = await get_org(session, code)
        session.add(Target(programme_id=programme.id, measure_id=measure.id, org_id=org.id, value=Decimal(value)))
    await session.flush()
    return programme


async def _landed_project(session: AsyncSession, programme: TargetProgramme, code: str, on: date) -> None:
    org = await get_org(session, code)
    project = TargetProject(
        programme_id=programme.id,
        org_id=org.id,
        company="洛阳某公司",
        stage=ProjectStage.landed,
        negotiating_date=date(2013, 9, 1),
        landed_date=on,
    )
    project.history = [
        TargetProjectStage(to_stage=ProjectStage.negotiating, on_date=date(2013, 9, 1)),
        TargetProjectStage(from_stage=ProjectStage.negotiating, to_stage=ProjectStage.landed, on_date=on),
    ]
    session.add(project)
    await session.flush()


async def test_points_and_the_freeze(session: AsyncSession) -> None:
    wire()
    assert formulas.computing(assessment.FORMULA) is assessment.completion_points
    ev = await make_evaluation_cycle(
        session,
        report_codes=[XIAODIAN, CHENGGUAN, SANTUN],
        period_start=date(2013, 1, 1),
        period_end=date(2013, 12, 31),
    )
    # Neither a draft programme nor one ending after the cycle feeds it.
    await _programme(session, status=ProgrammeStatus.draft)
    await _programme(session, end=date(2014, 6, 30))
    assert await assessment.programme_for(session, ev.cycle) is None
    programme = await _programme(session)
    assert (await assessment.programme_for(session, ev.cycle)).id == programme.id  # type: ignore[union-attr]
    await _landed_project(session, programme, XIAODIAN, date(2013, 10, 8))

    session.add(
        RubricItem(
            rubric_id=ev.cycle.rubric_id,
            position=20,
            key="target",
            title="招商引资目标完成率",
            source=ItemSource.indicator,
            max_points=Decimal(10),
            formula=assessment.FORMULA,
        )
    )
    await session.flush()
    assert ev.cycle.rubric_id is not None
    rubric = await rubrics_service.get_rubric(session, ev.cycle.rubric_id)
    by_org = {r.org_id: r.id for r in ev.reports}
    ids = {code: by_org[(await get_org(session, code)).id] for code in (XIAODIAN, CHENGGUAN, SANTUN)}

    async def points() -> dict[str, Decimal | None]:
        values = await report_assessment.indicators(session, rubric, ev.reports)
        return {code: values[rid]["target"].points for code, rid in ids.items()}

    # 小店镇 1 of 2 landed → 5 of 10; 城关镇 none of 1 → 0; 三屯镇 has no target → missing.
    assert await points() == {XIAODIAN: Decimal(5), CHENGGUAN: Decimal(0), SANTUN: None}

    await assessment.freeze_on_entering_assessment(session, ev.cycle, CycleStage.evaluation, CycleStage.assessment)
    await _landed_project(session, programme, CHENGGUAN, date(2013, 12, 1))
    # Frozen: 城关镇's later landing does not move the cycle's figure, and freezing again changes nothing.
    assert await points() == {XIAODIAN: Decimal(5), CHENGGUAN: Decimal(0), SANTUN: None}
    await assessment.freeze(session, ev.cycle)
    assert await points() == {XIAODIAN: Decimal(5), CHENGGUAN: Decimal(0), SANTUN: None}
    # Live figures (the programme's own completion) do see it.
    live = await assessment.completions(session, ev.cycle)
    assert live[(await get_org(session, CHENGGUAN)).id] == 0


async def test_no_programme_freezes_as_missing(session: AsyncSession) -> None:
    ev = await make_evaluation_cycle(
        session, report_codes=[XIAODIAN], period_start=date(2013, 1, 1), period_end=date(2013, 12, 31)
    )
    await assessment.freeze(session, ev.cycle)
    programme = await _programme(session)  # too late: the cycle froze without one
    await _landed_project(session, programme, XIAODIAN, date(2013, 10, 8))
    assert await assessment.completions(session, ev.cycle) == {}
