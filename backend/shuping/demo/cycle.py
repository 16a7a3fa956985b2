"""The demo county's 2013年上半年 township cycle: rubric, three evaluator groups, 14 submitted reports."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import User
from shuping.cycles import groups as cycles_groups
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Aggregation, Cycle, CycleStage, EvaluatorGroupMember
from shuping.cycles.schemas import GradingIn, GroupIn
from shuping.demo import county as c
from shuping.demo import timeline as t
from shuping.orgs.models import Organization, OrgKind
from shuping.reports import service as reports_service
from shuping.reports.models import Report, ReportStatus
from shuping.rubrics import service as rubrics_service
from shuping.rubrics.models import ItemKind, ItemSource
from shuping.rubrics.schemas import RubricIn, RubricItemIn, RubricVetoIn

CYCLE_NAME = "2013年上半年乡镇党委书记抓基层党建述职评议"
RUBRIC_NAME = "乡镇党委书记抓基层党建工作测评表"


def demo_rubric() -> RubricIn:
    """100 points: four ballot items (one a tier, 总体评价) and two indicators."""

    def ballot(key: str, title: str, category: str, kind: ItemKind, points: int, description: str) -> RubricItemIn:
        return RubricItemIn(
            key=key,
            title=title,
            category=category,
            source=ItemSource.ballot,
            kind=kind,
            max_points=Decimal(points),
            description=description,
        )

    def indicator(key: str, title: str, category: str, formula: str, points: int, description: str) -> RubricItemIn:
        return RubricItemIn(
            key=key,
            title=title,
            category=category,
            source=ItemSource.indicator,
            formula=formula,
            max_points=Decimal(points),
            description=description,
        )

    return RubricIn(
        name=RUBRIC_NAME,
        items=[
            ballot("duty", "履行第一责任人职责", "责任落实", ItemKind.score, 20, "研究部署、督促指导基层党建工作情况"),
            ballot("organisation", "基层组织建设", "组织建设", ItemKind.score, 15, "软弱涣散村党组织整顿、阵地建设"),
            ballot("cadres", "党员干部队伍建设", "队伍建设", ItemKind.score, 10, "党员教育管理、村干部队伍建设"),
            ballot("overall", "总体评价", "总体评价", ItemKind.tier, 40, "好、较好、一般、较差"),
            indicator(
                "petition_rate", "信访化解率", "服务群众", "petition_resolution_rate", 10, "阳光信访案件化解率 × 10 分"
            ),
            indicator("ledger", "整改落实", "述后整改", "ledger_completion", 5, "上期整改台账完成率 × 5 分"),
        ],
        vetoes=[
            RubricVetoIn(key="major_incident", title="发生重大责任事故"),
            RubricVetoIn(key="mass_petition", title="发生重大群体性事件或越级集体上访"),
        ],
    )


DEMO_GROUPS = [
    GroupIn(key="leaders", name="上级领导", weight=Decimal("0.4"), expected=7, quorum=1),
    GroupIn(
        key="deputies",
        name="两代表一委员",
        weight=Decimal("0.3"),
        aggregation=Aggregation.trimmed_mean,
        trim=1,
        anonymous=True,
        expected=24,
        quorum=1,
    ),
    GroupIn(
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


def report_body(org: Organization, villages: int) -> str:
    committee = f"{org.name}党委" if org.kind == OrgKind.township else org.name
    return (
        f"# {reports_service.default_title(org)}\n\n"
        "## 一、履行第一责任人职责情况\n\n"
        f"今年上半年，{committee}坚持把抓基层党建作为最大政绩，书记带头研究部署、"
        f"深入全镇（乡）{villages} 个村（社区）调研指导，落实“三会一课”等制度。\n\n"
        "## 二、主要做法和成效\n\n"
        "1. 整顿软弱涣散村党组织，选优配强村党支部书记；\n"
        "2. 加强党员教育管理，开展承诺践诺活动；\n"
        "3. 推进“阳光信访”，及时化解群众反映的问题。\n\n"
        "## 三、存在的问题\n\n"
        "- 个别村党组织活动不经常、不规范；\n"
        "- 年轻党员发展偏少。\n\n"
        "## 四、下一步打算\n\n"
        "坚持问题导向，逐条整改，确保述职评议中提出的意见建议件件有着落。\n"
    )


async def load_demo_cycle(session: AsyncSession) -> int:
    """Add the demo cycle unless it is there; return how many cycles were added (0 or 1)."""
    county = (await session.execute(select(Organization).where(Organization.code == c.COUNTY_CODE))).scalar_one()
    existing = await session.scalar(select(Cycle.id).where(Cycle.name == CYCLE_NAME, Cycle.host_org_id == county.id))
    if existing is not None:
        return 0
    rubric = await rubrics_service.add_rubric(session, demo_rubric())
    cycle = Cycle(
        name=CYCLE_NAME,
        period_start=t.PERIOD[0],
        period_end=t.PERIOD[1],
        report_due_date=t.REPORT_DUE,
        host_org_id=county.id,
        rubric_id=rubric.id,
        stage=CycleStage.preparation,
        groups=[cycles_groups.build_group(g, i) for i, g in enumerate(DEMO_GROUPS)],
        opinion_categories=cycles_service.build_categories(None),
    )
    cycles_service.apply_grading(cycle, GradingIn())
    session.add(cycle)
    await session.flush()

    units = (
        (
            await session.execute(
                select(Organization)
                .where(
                    Organization.parent_id == county.id,
                    Organization.kind.in_([OrgKind.township, OrgKind.working_committee]),
                )
                .order_by(Organization.code)
            )
        )
        .scalars()
        .all()
    )
    villages = {name: n for _, name, n in [*c.TOWNSHIPS, c.WORKING_COMMITTEE]}
    submitted = t.at(t.REPORTS_SUBMITTED)
    for i, org in enumerate(units, start=1):
        session.add(
            Report(
                cycle_id=cycle.id,
                org_id=org.id,
                position=i,
                title=reports_service.default_title(org),
                body=report_body(org, villages.get(org.name, 0)),
                status=ReportStatus.submitted,
                submitted_at=submitted + timedelta(hours=i),
            )
        )

    groups = {g.key: g for g in cycle.groups}
    users = (
        (await session.execute(select(User).where(User.username.like("leader%") | User.username.like("deputy%"))))
        .scalars()
        .all()
    )
    for u in sorted(users, key=lambda u: u.username):
        key = "leaders" if u.username.startswith("leader") else "deputies"
        session.add(EvaluatorGroupMember(cycle_id=cycle.id, group_id=groups[key].id, user_id=u.id))
    await session.flush()
    return 1
