"""Builders for an evaluation cycle ready for meetings: rubric, groups, members, accepted reports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from shuping.cycles.models import (
    Aggregation,
    Cycle,
    CycleStage,
    EvaluatorGroup,
    EvaluatorGroupMember,
    GradingMethod,
    OpinionCategory,
)
from shuping.reports.models import Report, ReportStatus
from shuping.rubrics.models import ItemKind, ItemSource, Rubric, RubricItem
from tests.support.builders import get_org, get_user

TOWNSHIPS = ("410326101", "410326104", "410326105")


@dataclass
class EvaluationCycle:
    cycle: Cycle
    reports: list[Report]
    groups: dict[str, EvaluatorGroup]


async def make_rubric(session: AsyncSession) -> Rubric:
    rubric = Rubric(
        name="乡镇党委书记抓基层党建工作测评表",
        tier_good=Decimal("1.00"),
        tier_fairly_good=Decimal("0.85"),
        tier_average=Decimal("0.70"),
        tier_poor=Decimal("0.50"),
        items=[
            RubricItem(
                position=0,
                key="duty",
                title="履行第一责任人职责",
                category="责任落实",
                source=ItemSource.ballot,
                kind=ItemKind.score,
                max_points=Decimal("30"),
            ),
            RubricItem(
                position=1,
                key="overall",
                title="总体评价",
                category="总体评价",
                source=ItemSource.ballot,
                kind=ItemKind.tier,
                max_points=Decimal("60"),
            ),
            RubricItem(
                position=2,
                key="petition_rate",
                title="信访化解率",
                category="服务群众",
                source=ItemSource.indicator,
                kind=None,
                max_points=Decimal("10"),
                formula="manual",
            ),
        ],
    )
    session.add(rubric)
    await session.flush()
    return rubric


async def make_evaluation_cycle(
    session: AsyncSession, *, stage: CycleStage = CycleStage.evaluation, **overrides: Any
) -> EvaluationCycle:
    rubric = await make_rubric(session)
    county = await get_org(session, "410326")
    fields: dict[str, Any] = {
        "name": f"测试周期 {uuid.uuid4().hex[:6]}",
        "period_start": date(2013, 1, 1),
        "period_end": date(2013, 6, 30),
        "host_org_id": county.id,
        "rubric_id": rubric.id,
        "stage": stage,
        "grading_method": GradingMethod.thresholds,
        "grade_good": Decimal("0.90"),
        "grade_fairly_good": Decimal("0.80"),
        "grade_average": Decimal("0.60"),
        "poor_vote_share": Decimal("0.3333"),
        "consequence_count": 1,
    }
    fields.update(overrides)
    groups = [
        EvaluatorGroup(
            position=0,
            key="leaders",
            name="上级领导",
            weight=Decimal("0.4"),
            aggregation=Aggregation.mean,
            trim=0,
            anonymous=False,
            expected=3,
            quorum=1,
        ),
        EvaluatorGroup(
            position=1,
            key="deputies",
            name="两代表一委员",
            weight=Decimal("0.3"),
            aggregation=Aggregation.trimmed_mean,
            trim=1,
            anonymous=True,
            expected=24,
            quorum=1,
        ),
        EvaluatorGroup(
            position=2,
            key="members",
            name="党员群众",
            weight=Decimal("0.3"),
            aggregation=Aggregation.trimmed_mean,
            trim=1,
            anonymous=True,
            expected=60,
            quorum=1,
        ),
    ]
    cycle = Cycle(
        **fields,
        groups=groups,
        opinion_categories=[
            OpinionCategory(position=i, name=n)
            for i, n in enumerate(["班子建设", "党员队伍", "服务群众", "发展经济", "作风建设"])
        ],
    )
    session.add(cycle)
    await session.flush()
    for i in (1, 2, 3):
        leader = await get_user(session, f"leader0{i}")
        session.add(EvaluatorGroupMember(cycle_id=cycle.id, group_id=groups[0].id, user_id=leader.id))
    reports = []
    for i, code in enumerate(TOWNSHIPS):
        org = await get_org(session, code)
        report = Report(
            cycle_id=cycle.id,
            org_id=org.id,
            position=i,
            title=f"{org.name}党委书记述职报告",
            body="",
            status=ReportStatus.accepted,
        )
        session.add(report)
        reports.append(report)
    await session.flush()
    return EvaluationCycle(cycle=cycle, reports=reports, groups={g.key: g for g in groups})


async def computed_results(client: Any, cycle_id: int, headers: dict[str, str]) -> dict[str, Any]:
    """Compute a cycle's results as its staff would, then read the whole ranking (GET)."""
    r = await client.post(f"/api/v1/cycles/{cycle_id}/results/compute", headers=headers)
    assert r.status_code == 200, r.text
    assert "items" not in r.json()  # compute answers the summary; the ranking is read page by page
    ranking = await client.get(f"/api/v1/cycles/{cycle_id}/results", headers=headers)
    assert ranking.status_code == 200, ranking.text
    assert ranking.json()["hash"] == r.json()["hash"]
    return dict(ranking.json())
