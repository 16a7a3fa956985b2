"""The Luolong demo (洛龙区招商引资目标责任): units, teams, programme, pipeline and figures, as `make run` loads it."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import Role, User
from shuping.core.calendar import CHINA_TZ
from shuping.cycles.models import Cycle, CycleStage
from shuping.demo import luolong as ll
from shuping.ledger.models import LedgerItem, LedgerItemFinding
from shuping.ledger.statemachine import ItemStatus
from shuping.orgs.models import Organization, OrgKind
from shuping.results.models import ResultEntry, ResultSet, ResultStatus
from shuping.targets import progress
from shuping.targets.models import (
    BulletinStatus,
    ProgrammeStatus,
    ProjectStage,
    Ranking,
    SupervisionBody,
    Target,
    TargetBulletin,
    TargetCycleFigure,
    TargetCycleFreeze,
    TargetFinding,
    TargetMeasure,
    TargetMonthlyReport,
    TargetProgramme,
    TargetProject,
    TargetProjectStage,
    TargetSupervisionRound,
    TargetTeam,
)
from tests.demo.conftest import query

ANLE, LILOU, FENGLI, KAIYUAN, GUCHENG = (f"{ll.DISTRICT_CODE}{n}" for n in ("101", "102", "103", "104", "105"))


async def _programme(s: AsyncSession) -> TargetProgramme:
    return (await s.execute(select(TargetProgramme).where(TargetProgramme.name == ll.PROGRAMME_NAME))).scalar_one()


def test_the_district_its_units_and_their_secretaries(demo_url: str) -> None:
    async def look(s: AsyncSession):  # type: ignore[no-untyped-def]
        district = (await s.execute(select(Organization).where(Organization.code == ll.DISTRICT_CODE))).scalar_one()
        units = list((await s.execute(select(Organization).where(Organization.parent_id == district.id))).scalars())
        users = (
            await s.execute(
                select(User.username, User.role, Organization.code).join(Organization, Organization.id == User.org_id)
            )
        ).all()
        return district, units, users

    district, units, users = query(demo_url, look)
    assert (district.name, district.kind, district.parent_id) == ("洛龙区委", OrgKind.county, None)
    names = {u.name: u for u in units}
    article = ["洛龙产业集聚区", "洛阳经济技术开发区产业集聚区", "区商务局", "安乐镇", "李楼镇", "丰李镇"]
    assert {*article, "开元办", "古城办"} <= set(names)
    assert names["区商务局"].code == ll.COMMERCE_CODE and names["区商务局"].kind == OrgKind.department
    by_name = {u: (role, code) for u, role, code in users}
    for org in units:
        assert by_name[f"s{org.code}"] == (Role.secretary, org.code)
    assert by_name[ll.COMMERCE_CLERK] == (Role.clerk, ll.COMMERCE_CODE)


def test_the_programme_its_measures_targets_and_teams(demo_url: str) -> None:
    async def look(s: AsyncSession):  # type: ignore[no-untyped-def]
        p = await _programme(s)
        measures = list(
            (
                await s.execute(
                    select(TargetMeasure).where(TargetMeasure.programme_id == p.id).order_by(TargetMeasure.position)
                )
            ).scalars()
        )
        targets = (
            await s.execute(
                select(Organization.code, TargetMeasure.key, Target.value)
                .join(Organization, Organization.id == Target.org_id)
                .join(TargetMeasure, TargetMeasure.id == Target.measure_id)
                .where(Target.programme_id == p.id)
            )
        ).all()
        teams = list((await s.execute(select(TargetTeam).where(TargetTeam.programme_id == p.id))).scalars())
        office = await s.get(Organization, p.office_org_id)
        return p, measures, targets, teams, office

    p, measures, targets, teams, office = query(demo_url, look)
    assert (p.period_start, p.period_end, p.status) == (date(2013, 9, 1), date(2013, 12, 31), ProgrammeStatus.active)
    assert office.name == "区商务局"
    assert [m.name for m in measures] == ["签约项目数", "合同金额", "到位资金", "落地项目数", "开工项目数"]
    assert sum(m.weight for m in measures) == 100
    assert len({code for code, _k, _v in targets}) == 10 and len(targets) == 10 * 5 - 1
    assert (KAIYUAN, "started") not in {(code, key) for code, key, _v in targets}  # 开元办 has no 开工 target
    assert len(teams) == 13 and all(t.leader_name for t in teams)
    assert {i for t in teams for i in t.industries} == set(ll.INDUSTRIES)


def test_the_pipeline_moved_through_the_autumn(demo_url: str) -> None:
    async def look(s: AsyncSession):  # type: ignore[no-untyped-def]
        p = await _programme(s)
        projects = list((await s.execute(select(TargetProject).where(TargetProject.programme_id == p.id))).scalars())
        history = (
            await s.execute(
                select(TargetProjectStage, TargetProject.company)
                .join(TargetProject, TargetProject.id == TargetProjectStage.project_id)
                .where(TargetProject.programme_id == p.id)
                .order_by(TargetProjectStage.id)
            )
        ).all()
        return projects, history

    projects, history = query(demo_url, look)
    assert len(projects) == len(ll.LEADS) == 30
    assert {p.origin_region for p in projects} >= {"京津冀", "长三角", "珠三角"}
    assert {p.ranking for p in projects} >= {Ranking.global_500, Ranking.china_500, Ranking.industry_100}
    assert all(date(2013, 9, 1) <= h.on_date <= date(2013, 12, 31) for h, _c in history)
    assert all(h.recorded_at.date() == h.on_date for h, _c in history)  # 17:00 in Luoyang, 09:00 UTC
    backs = [(h, c) for h, c in history if h.reason]
    assert [(c, h.from_stage, h.to_stage, h.on_date) for h, c in backs] == [
        ("天津诚达汽车零部件有限公司", ProjectStage.landed, ProjectStage.signed, date(2013, 11, 28))
    ]
    # Every project's moves are in date order.
    by_company: dict[str, list[date]] = {}
    for h, company in history:
        by_company.setdefault(company, []).append(h.on_date)
    assert all(days == sorted(days) for days in by_company.values())


def test_december_completion_by_hand_and_the_ranks(demo_url: str) -> None:
    async def look(s: AsyncSession):  # type: ignore[no-untyped-def]
        p = await _programme(s)
        december = await progress.read_completion(s, programme=p, day=date(2013, 12, 31))
        november = await progress.read_completion(s, programme=p, day=date(2013, 11, 30))
        return december, november

    december, november = query(demo_url, look)
    units = {u.org.code: u for u in december.units}
    anle = {m.measure_key: m for m in units[ANLE].measures}
    # 安乐镇 by 31 December: 苏州晶阳 (12000/3000, 开工), 北京华轴 (15000/2500, 落地), 深圳鹏城 (4000/0, 签约).
    assert {k: (m.target, m.actual) for k, m in anle.items()} == {
        "signed": (3, 3),
        "contract": (30000, 31000),
        "funds": (6000, 5500),
        "landed": (2, 2),
        "started": (1, 1),
    }
    # 20 × 1 + 25 × min(31000/30000, 1) + 25 × 5500/6000 + 15 × 1 + 15 × 1, over 100.
    expected = (Decimal(20) + 25 + 25 * Decimal(5500) / 6000 + 15 + 15) / 100
    assert units[ANLE].weighted_completion == expected.quantize(Decimal("0.000001"))
    # 李楼镇's 佛山南海 brought 800 of funds: 5800/6000 puts it first, 安乐镇 second.
    assert [u.org.code for u in december.units[:2]] == [LILOU, ANLE]
    assert [u.rank for u in december.units] == list(range(1, 11))
    # 开元办 has no 开工 target: its completion is over the four measures it has (weights 85).
    kaiyuan = {m.measure_key: m for m in units[KAIYUAN].measures}
    assert kaiyuan["started"].target is None and kaiyuan["started"].completion is None
    # 古城办's one signed project never landed: last, red, and the veto fact holds.
    gucheng = units[GUCHENG]
    assert (gucheng.rank, gucheng.light, gucheng.no_project_landed) == (10, "red", True)
    assert all(not u.no_project_landed for code, u in units.items() if code != GUCHENG)
    # 丰李镇's project was back at 签约 at the end of November, so it had none landed then.
    assert {u.org.code: u.no_project_landed for u in november.units}[FENGLI] is True
    assert units[FENGLI].landed_projects == 1


def test_loading_the_demo_twice_adds_no_second_programme(demo_url: str) -> None:
    async def look(s: AsyncSession):  # type: ignore[no-untyped-def]
        return await s.scalar(
            select(func.count()).select_from(TargetProgramme).where(TargetProgramme.name == ll.PROGRAMME_NAME)
        )

    assert query(demo_url, look) == 1


def test_four_monthly_reports_per_unit_submitted_early_the_next_month(demo_url: str) -> None:
    async def look(s: AsyncSession):  # type: ignore[no-untyped-def]
        p = await _programme(s)
        return (
            await s.execute(
                select(TargetMonthlyReport, Organization.code)
                .join(Organization, Organization.id == TargetMonthlyReport.org_id)
                .where(TargetMonthlyReport.programme_id == p.id)
            )
        ).all()

    reports = query(demo_url, look)
    assert len(reports) == 10 * 4
    months = {(code, r.month): r for r, code in reports}
    assert {m for _c, m in months} == {date(2013, m, 1) for m in (9, 10, 11, 12)}
    for r, _code in reports:
        assert r.as_of.month == r.month.month and r.as_of.day >= 30
        assert r.submitted_at.date() > r.as_of and r.note
    # As computed on 31 October: 签约 2/3, 合同 27000/30000, 到位 5500/6000, 落地 1/2, 开工 0/1.
    october = months[(ANLE, date(2013, 10, 1))]
    assert october.weighted_completion == Decimal("0.6625")
    assert october.note == "10月新洽谈项目1个，新签约项目1个，新落地项目1个。"
    assert "退回签约" in months[(FENGLI, date(2013, 11, 1))].note


def test_four_bulletins_published_month_by_month(demo_url: str) -> None:
    async def look(s: AsyncSession):  # type: ignore[no-untyped-def]
        p = await _programme(s)
        return list(
            (
                await s.execute(
                    select(TargetBulletin).where(TargetBulletin.programme_id == p.id).order_by(TargetBulletin.number)
                )
            ).scalars()
        )

    bulletins = query(demo_url, look)
    assert [(b.number, b.month, b.status) for b in bulletins] == [
        (n, date(2013, 8 + n, 1), BulletinStatus.published) for n in range(1, 5)
    ]
    assert [b.published_at.astimezone(CHINA_TZ).date() for b in bulletins if b.published_at] == list(
        ll.PUBLISHED.values()
    )
    december = bulletins[-1].snapshot
    assert december is not None
    ranked = [(u["org"]["code"], u["rank"]) for u in december["units"]]
    assert ranked[:2] == [(LILOU, 1), (ANLE, 2)] and ranked[-1] == (GUCHENG, 10)


def test_the_year_end_cycle_takes_the_frozen_figures_and_the_veto(demo_url: str) -> None:
    async def look(s: AsyncSession):  # type: ignore[no-untyped-def]
        cycle = (await s.execute(select(Cycle).where(Cycle.name == ll.CYCLE_NAME))).scalar_one()
        rs = (await s.execute(select(ResultSet).where(ResultSet.cycle_id == cycle.id))).scalar_one()
        items = [
            json.loads(i)
            for i in await s.scalars(
                select(ResultEntry.item).where(ResultEntry.cycle_id == cycle.id).order_by(ResultEntry.position)
            )
        ]
        freeze = await s.get(TargetCycleFreeze, cycle.id)
        figures = (
            await s.execute(
                select(Organization.code, TargetCycleFigure.weighted_completion, TargetCycleFigure.landed_projects)
                .join(Organization, Organization.id == TargetCycleFigure.org_id)
                .where(TargetCycleFigure.cycle_id == cycle.id)
            )
        ).all()
        return cycle, rs, items, freeze, figures

    cycle, rs, items, freeze, figures = query(demo_url, look)
    assert cycle.stage == CycleStage.rectification and rs.status == ResultStatus.published
    assert freeze is not None and freeze.as_of == ll.ASSESSED
    frozen = {code: (w, n) for code, w, n in figures}
    assert frozen[ANLE] == (Decimal("0.97916667"), 2) and frozen[GUCHENG][1] == 0
    by_code = {i["org_code"]: i for i in items}
    assert len(items) == 10 and [i["rank"] for i in items] == list(range(1, 11))
    # 目标责任完成率, 60 points: 安乐镇's weighted completion 0.979167 × 60.
    assert by_code[ANLE]["indicator_points"] == "58.75" and by_code[LILOU]["indicator_points"] == "59.50"
    # 古城办: no project landed, the veto fact makes it poor and last.
    assert (by_code[GUCHENG]["tier"], by_code[GUCHENG]["tier_rule"]) == ("poor", "veto:landing")
    assert by_code[GUCHENG]["rank"] == 10 and by_code[GUCHENG]["flagged"]
    assert all(not i["vetoed"] for code, i in by_code.items() if code != GUCHENG)


def test_two_supervision_rounds_whose_findings_are_ledger_items(demo_url: str) -> None:
    async def look(s: AsyncSession):  # type: ignore[no-untyped-def]
        p = await _programme(s)
        rounds = list(
            (
                await s.execute(
                    select(TargetSupervisionRound)
                    .where(TargetSupervisionRound.programme_id == p.id)
                    .order_by(TargetSupervisionRound.started_on)
                )
            ).scalars()
        )
        found = (
            await s.execute(
                select(TargetFinding, LedgerItem, Organization.code, Cycle.name)
                .join(LedgerItemFinding, LedgerItemFinding.finding_id == TargetFinding.id)
                .join(LedgerItem, LedgerItem.id == LedgerItemFinding.item_id)
                .join(Organization, Organization.id == TargetFinding.org_id)
                .join(Cycle, Cycle.id == LedgerItem.cycle_id)
                .order_by(TargetFinding.id)
            )
        ).all()
        return rounds, found

    rounds, found = query(demo_url, look)
    assert [r.body for r in rounds] == [SupervisionBody.congress, SupervisionBody.office]
    assert len(found) == 6
    for finding, item, _code, cycle_name in found:
        assert cycle_name == ll.CYCLE_NAME and item.category == "督查发现问题"
        assert (item.start_date, item.due_date) == (finding.visited_on, finding.deadline)
        assert item.org_id == finding.org_id and item.title
    statuses = [(code, item.status) for _f, item, code, _n in found]
    assert statuses.count((GUCHENG, ItemStatus.in_progress)) == 1  # the landing still not secured
    assert sum(s == ItemStatus.verified for _c, s in statuses) == 5
    fengli = next(item for _f, item, code, _n in found if code == FENGLI)
    assert fengli.done_date == date(2013, 12, 23) and fengli.verified_date == date(2013, 12, 27)
