"""Indicator formulas: the township's petition resolution rate counts in its evaluation."""

from __future__ import annotations

from decimal import Decimal

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.cycles.models import CycleStage
from shuping.petitions import stats as petition_stats
from shuping.petitions.models import PetitionCase
from shuping.petitions.statemachine import CaseStatus
from shuping.rubrics.models import RubricItem
from tests.support.builders import auth_headers, get_user
from tests.support.evaluation import computed_results, make_evaluation_cycle


async def test_petition_resolution_rate_becomes_indicator_points(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ev = await make_evaluation_cycle(session, stage=CycleStage.assessment)
    item = (
        await session.execute(
            select(RubricItem).where(RubricItem.rubric_id == ev.cycle.rubric_id, RubricItem.key == "petition_rate")
        )
    ).scalar_one()
    item.formula = "petition_resolution_rate"
    await session.flush()
    admin = auth_headers(await get_user(session, "admin"))
    expected = {}
    for report in ev.reports:
        rate = await petition_stats.resolution_rate_for(session, report.org_id)
        assert rate is not None  # the demo county has cases in every township
        expected[report.id] = rate * 10
    for i in (await computed_results(client, ev.cycle.id, admin))["items"]:
        assert i["missing_indicators"] == []
        assert Decimal(i["indicator_points"]) == expected[i["report_id"]].quantize(Decimal("0.01"))
    explain = (
        await client.get(f"/api/v1/cycles/{ev.cycle.id}/results/{ev.reports[0].id}/explain", headers=admin)
    ).json()
    petition = next(x for x in explain["indicators"] if x["key"] == "petition_rate")
    assert petition["formula"] == "petition_resolution_rate" and petition["missing"] is False


async def test_the_snapshot_freezes_the_figure_used(client: httpx.AsyncClient, session: AsyncSession) -> None:
    ev = await make_evaluation_cycle(session, stage=CycleStage.assessment)
    report = ev.reports[0]
    await petition_stats.snapshot_stats(session, cycle_id=ev.cycle.id)
    frozen = await petition_stats.resolution_rate_for(session, report.org_id, cycle_id=ev.cycle.id)
    # Resolve nothing, accept many more cases: the live rate drops, the frozen one does not.
    template = (
        (await session.execute(select(PetitionCase).where(PetitionCase.org_id == report.org_id))).scalars().first()
    )
    assert template is not None
    for n in range(20):
        session.add(
            PetitionCase(
                **{
                    c.key: getattr(template, c.key)
                    for c in PetitionCase.__table__.columns
                    if c.key not in ("id", "external_id", "status")
                },
                external_id=f"FROZEN-{n}",
                status=CaseStatus.in_progress,
            )
        )
    await session.flush()
    live = await petition_stats.resolution_rate_for(session, report.org_id)
    assert live != frozen
    assert await petition_stats.resolution_rate_for(session, report.org_id, cycle_id=ev.cycle.id) == frozen
