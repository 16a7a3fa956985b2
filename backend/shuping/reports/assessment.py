"""A report's assessment: the indicator items the organisation department enters or a formula
computes, and the one-vote vetoes (一票否决).

`indicators` is the one place that says what an indicator item counts: the points its formula
computes when one is plugged in (`rubrics.formulas`, filled by `shuping.wiring`), else what was
entered; it answers a whole cycle in a fixed number of queries and serves the results and this
report's page alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import User
from shuping.core.errors import FieldErrors, InvalidState
from shuping.core.i18n import N_, translate
from shuping.core.values import decimal_text
from shuping.cycles import freeze
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle
from shuping.db import utcnow
from shuping.reports.models import Report, ReportIndicator, ReportVeto
from shuping.reports.schemas import AssessmentIn, AssessmentRead, IndicatorRead, VetoRead
from shuping.reports.service import ASSESSABLE_STAGES, cycle_of
from shuping.rubrics import formulas, veto_facts
from shuping.rubrics import service as rubrics_service
from shuping.rubrics.formulas import ReportKeys
from shuping.rubrics.models import ItemSource, Rubric, RubricVeto

# Up to this many reports, what was entered is read report by report id; beyond, by their cycle.
_BY_ID = 500


@dataclass(frozen=True, slots=True)
class Indicator:
    points: Decimal | None
    computed: bool
    set_at: datetime | None = None


async def indicators(
    session: AsyncSession, rubric: Rubric, reports: Sequence[ReportKeys]
) -> dict[int, dict[str, Indicator]]:
    """Per report (all of one cycle or a few): each indicator item as the results take it."""
    items = [i for i in rubric.items if i.source == ItemSource.indicator]
    entered: dict[int, dict[str, tuple[Decimal, datetime]]] = defaultdict(dict)
    if reports and items:
        chosen = (
            ReportIndicator.report_id.in_([r.id for r in reports])
            if len(reports) <= _BY_ID
            else ReportIndicator.report_id.in_(
                select(Report.id).where(Report.cycle_id.in_({r.cycle_id for r in reports}))
            )
        )
        rows = await session.execute(
            select(
                ReportIndicator.report_id, ReportIndicator.item_key, ReportIndicator.points, ReportIndicator.set_at
            ).where(chosen)
        )
        for rid, key, points, set_at in rows:
            entered[rid][key] = (points, set_at)
    computed: dict[str, dict[int, Decimal | None]] = {}
    for item in items:
        compute = formulas.computing(item.formula)
        if compute is not None and reports:
            computed[item.key] = dict(await compute(session, reports, item))
    out: dict[int, dict[str, Indicator]] = {}
    for report in reports:
        values: dict[str, Indicator] = {}
        for item in items:
            if item.key in computed:
                values[item.key] = Indicator(computed[item.key].get(report.id), computed=True)
            elif (row := entered[report.id].get(item.key)) is not None:
                values[item.key] = Indicator(row[0], computed=False, set_at=row[1])
            else:
                values[item.key] = Indicator(None, computed=formulas.computing(item.formula) is not None)
        out[report.id] = values
    return out


async def vetoes(session: AsyncSession, rubric: Rubric, reports: Sequence[ReportKeys]) -> dict[int, dict[str, str]]:
    """Per report (all of one cycle or a few): the vetoes that apply, key → reason in words.

    A veto named by a veto fact is decided by the fact alone (whatever was entered for it); the
    others are as entered. A fact whose decision is not plugged in vetoes no one.
    """
    out: dict[int, dict[str, str]] = {r.id: {} for r in reports}
    if not reports:
        return out
    # Read here, not through `rubric.vetoes`: the results' rubric comes without its vetoes loaded.
    rubric_vetoes = list((await session.execute(select(RubricVeto).where(RubricVeto.rubric_id == rubric.id))).scalars())
    decided = {v.key for v in rubric_vetoes if v.fact is not None}
    chosen = (
        ReportVeto.report_id.in_([r.id for r in reports])
        if len(reports) <= _BY_ID
        else ReportVeto.report_id.in_(select(Report.id).where(Report.cycle_id.in_({r.cycle_id for r in reports})))
    )
    for rid, key, reason in await session.execute(
        select(ReportVeto.report_id, ReportVeto.veto_key, ReportVeto.reason).where(chosen)
    ):
        if rid in out and key not in decided:
            out[rid][key] = reason
    for veto in rubric_vetoes:
        decide = veto_facts.deciding(veto.fact)
        if decide is None:
            continue
        for rid, why in (await decide(session, reports, veto)).items():
            if why is not None and rid in out:
                out[rid][veto.key] = why
    return out


async def _rubric_of(session: AsyncSession, cycle: Cycle) -> Rubric:
    if cycle.rubric_id is None:
        raise InvalidState(N_("The cycle has no rubric yet, so there is nothing to assess"))
    return await rubrics_service.get_rubric(session, cycle.rubric_id)


async def read_assessment(session: AsyncSession, *, report: Report, actor: User) -> AssessmentRead:
    cycle = await cycle_of(session, report)
    cycles_service.require_manage(actor, cycle)
    rubric = await _rubric_of(session, cycle)
    assessed = (await indicators(session, rubric, [report]))[report.id]
    items = [
        IndicatorRead(
            key=i.key,
            title=i.title,
            max_points=i.max_points,
            formula=i.formula,
            computed=assessed[i.key].computed,
            points=assessed[i.key].points,
            missing=assessed[i.key].points is None,
            set_at=assessed[i.key].set_at,
        )
        for i in rubric.items
        if i.source == ItemSource.indicator
    ]
    entered = {
        v.veto_key: v
        for v in (await session.execute(select(ReportVeto).where(ReportVeto.report_id == report.id))).scalars()
    }
    applied = (await vetoes(session, rubric, [report]))[report.id]
    return AssessmentRead(
        report_id=report.id,
        indicators=items,
        vetoes=[
            VetoRead(
                key=v.key,
                title=v.title,
                fact=v.fact,
                vetoed=v.key in applied,
                reason=translate(applied[v.key]) if v.key in applied else None,
                set_at=entered[v.key].set_at if v.key in entered and v.fact is None else None,
            )
            for v in rubric.vetoes
        ],
        indicator_total=sum((i.points for i in items if i.points is not None), Decimal(0)),
        missing_count=sum(1 for i in items if i.missing),
    )


async def put_assessment(
    session: AsyncSession, *, report: Report, assessment_in: AssessmentIn, actor: User
) -> AssessmentRead:
    cycle = await cycle_of(session, report)
    cycles_service.require_manage(actor, cycle)
    cycles_service.require_stage(cycle, *ASSESSABLE_STAGES, doing=N_("change indicators or vetoes"))
    await freeze.require_not_frozen(session, cycle.id, N_("change indicators or vetoes"))
    rubric = await _rubric_of(session, cycle)
    items = {i.key: i for i in rubric.items}
    rubric_vetoes = {v.key: v for v in rubric.vetoes}
    errors: list[dict[str, Any]] = []
    for key, points in assessment_in.indicators.items():
        loc: list[str | int] = ["body", "indicators", key]
        item = items.get(key)
        if item is None:
            errors.append({"loc": loc, "msg": N_("The rubric has no item {key!r}", key=key)})
        elif item.source != ItemSource.indicator:
            errors.append({"loc": loc, "msg": N_("{key!r} is a ballot item: evaluators score it", key=key)})
        elif formulas.computing(item.formula) is not None:
            errors.append(
                {
                    "loc": loc,
                    "msg": N_(
                        "{title} is computed by its formula ({formula}); it cannot be entered",
                        title=item.title,
                        formula=item.formula,
                    ),
                }
            )
        elif points > item.max_points:
            errors.append(
                {
                    "loc": loc,
                    "msg": N_(
                        "Points must be between 0 and {max_points} for {title}",
                        max_points=decimal_text(item.max_points),
                        title=item.title,
                    ),
                }
            )
    for key in assessment_in.vetoes:
        veto = rubric_vetoes.get(key)
        if veto is None:
            errors.append({"loc": ["body", "vetoes", key], "msg": N_("The rubric has no veto item {key!r}", key=key)})
        elif veto.fact is not None:
            errors.append(
                {
                    "loc": ["body", "vetoes", key],
                    "msg": N_(
                        "{title} is decided by the cycle's data ({fact}); it cannot be set or cleared by hand",
                        title=veto.title,
                        fact=veto.fact,
                    ),
                }
            )
    if errors:
        raise FieldErrors(errors)

    now = utcnow()
    before = await read_assessment(session, report=report, actor=actor)
    rows = {
        r.item_key: r
        for r in (
            await session.execute(select(ReportIndicator).where(ReportIndicator.report_id == report.id))
        ).scalars()
    }
    for key, old in rows.items():
        if key not in assessment_in.indicators:
            await session.delete(old)
    for key, points in assessment_in.indicators.items():
        row = rows.get(key)
        if row is None:
            session.add(
                ReportIndicator(report_id=report.id, item_key=key, points=points, set_by_id=actor.id, set_at=now)
            )
        elif row.points != points:
            row.points, row.set_by_id, row.set_at = points, actor.id, now
    veto_rows = {
        v.veto_key: v
        for v in (await session.execute(select(ReportVeto).where(ReportVeto.report_id == report.id))).scalars()
    }
    for key, old_veto in veto_rows.items():
        if key not in assessment_in.vetoes:
            await session.delete(old_veto)
    for key, reason in assessment_in.vetoes.items():
        vrow = veto_rows.get(key)
        if vrow is None:
            session.add(ReportVeto(report_id=report.id, veto_key=key, reason=reason, set_by_id=actor.id, set_at=now))
        elif vrow.reason != reason:
            vrow.reason, vrow.set_by_id, vrow.set_at = reason, actor.id, now
    await session.flush()
    after = await read_assessment(session, report=report, actor=actor)
    await audit.record(
        session,
        actor=actor,
        action="report.assessment",
        entity_type="report",
        entity_id=report.id,
        data={
            "before": {
                "indicators": {
                    i.key: str(i.points) for i in before.indicators if i.points is not None and not i.computed
                },
                "vetoes": {v.key: v.reason for v in before.vetoes if v.vetoed},
            },
            "after": assessment_in.model_dump(mode="json"),
        },
    )
    return after
