"""Builders for an evaluation cycle ready for meetings: rubric, groups, members, accepted reports."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
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
from shuping.meetings.models import AgendaItem, Ballot, BallotSource, Meeting, MeetingStatus, Voting
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
    session: AsyncSession,
    *,
    stage: CycleStage = CycleStage.evaluation,
    report_codes: Sequence[str] = TOWNSHIPS,
    leaders: Sequence[str] = ("leader01", "leader02", "leader03"),
    **overrides: Any,
) -> EvaluationCycle:
    """A cycle hosted by the county (unless `host_org_id` says otherwise) with accepted reports of
    `report_codes`, the named leaders in its leaders group and two anonymous groups."""
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
    for username in leaders:
        leader = await get_user(session, username)
        session.add(EvaluatorGroupMember(cycle_id=cycle.id, group_id=groups[0].id, user_id=leader.id))
    reports = []
    for i, code in enumerate(report_codes):
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


async def ended_meeting(session: AsyncSession, ev: EvaluationCycle, reports: list[Report]) -> Meeting:
    """A meeting held and ended on the reports, every report's voting closed, put straight in."""
    meeting = Meeting(
        cycle_id=ev.cycle.id,
        title="评议大会",
        direction="upward",
        starts_at=datetime(2013, 7, 10, tzinfo=UTC),
        status=MeetingStatus.ended,
        screen_key=secrets.token_urlsafe(16),
        agenda=[AgendaItem(report_id=r.id, position=i, voting=Voting.closed) for i, r in enumerate(reports)],
    )
    session.add(meeting)
    await session.flush()
    return meeting


def paper_ballot(meeting_id: int, report_id: int, group_id: int, items: dict[str, str], **figures: Any) -> Ballot:
    """A counted paper ballot with the given answers and figures (total, first_tier, …), put straight in;
    unless given, its answers digest is its own, so it is never counted as identical to another."""
    figures.setdefault("signature", secrets.token_hex(16))
    return Ballot(
        id=secrets.token_hex(16),
        meeting_id=meeting_id,
        report_id=report_id,
        group_id=group_id,
        source=BallotSource.paper,
        receipt=secrets.token_hex(5).upper(),
        items=items,
        **figures,
    )


async def started_meeting(client: httpx.AsyncClient, ev: EvaluationCycle, admin: dict[str, str]) -> dict[str, Any]:
    """A meeting on every report of the cycle, made, started and with its first report speaking, through the API."""
    r = await client.post(
        f"/api/v1/cycles/{ev.cycle.id}/meetings",
        headers=admin,
        json={
            "title": "乡镇党委书记向上级述职评议大会",
            "direction": "upward",
            "report_ids": [r.id for r in ev.reports],
            "starts_at": "2013-07-10T01:00:00Z",
        },
    )
    assert r.status_code == 201, r.text
    meeting: dict[str, Any] = r.json()
    for step, body in (("start", None), ("speaker", {"report_id": ev.reports[0].id})):
        r = await client.post(f"/api/v1/meetings/{meeting['id']}/{step}", json=body, headers=admin)
        assert r.status_code == 200, r.text
    return meeting
