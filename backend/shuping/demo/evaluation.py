"""The demo cycle carried through its meeting to published results, and a village cycle to walk through.

* 2012年下半年 (the county's previous cycle): its ledger worked through by May 2013, so the
  2013 cycle's 整改落实 indicator has figures when it is assessed (see `demo.previous`).
* 2013年上半年 (the county's township cycle): reports accepted, the county meeting held on
  2013-08-30 with ballots from all three groups (leaders and deputies by name, party members
  with one-time codes), comments that become opinions, assessment with the petition snapshot,
  a published ranking in all four tiers, interviews and notices for the flagged ones; the cycle
  then stands in rectification.
* 小店镇's village cycle, the one in the present: this half-year, 20 villages, in evaluation, its
  meeting scheduled three days from today, so a newcomer can start it in the console, open
  voting, print codes and vote on a phone.

Every date of the past cycles is in `demo.timeline`.

Every person is fictional; scores come from a seeded generator, so every run gives the same.
"""

from __future__ import annotations

import random
import secrets
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import Role, User
from shuping.core import calendar as cal
from shuping.cycles import groups as cycles_groups
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle, CycleStage, EvaluatorGroup, EvaluatorGroupMember, GradingMethod
from shuping.cycles.schemas import GradingIn, GroupIn, TierSharesIn
from shuping.demo import cycle as demo_cycle
from shuping.demo import previous
from shuping.demo import timeline as t
from shuping.meetings import tokens as codes
from shuping.meetings.anonymise import anonymise
from shuping.meetings.models import (
    AgendaItem,
    Ballot,
    BallotSource,
    BallotToken,
    Direction,
    EvaluatorUse,
    Meeting,
    MeetingStatus,
    TokenUse,
    Voting,
)
from shuping.orgs import service as orgs_service
from shuping.orgs.models import Organization, OrgKind
from shuping.petitions import stats as petition_stats
from shuping.reports.models import Report, ReportStatus, ReportVeto
from shuping.results import consequences
from shuping.results import publishing as results_publishing
from shuping.results import service as results_service
from shuping.results.models import Interview, NoticeStatus, RectificationNotice
from shuping.rubrics import service as rubrics_service
from shuping.rubrics.models import ItemKind, ItemSource
from shuping.rubrics.schemas import RubricIn, RubricItemIn
from shuping.scoring.inputs import scoring_rubric
from shuping.scoring.rules import score_ballot

XIAODIAN = "410326104"
MEETING_DAY = t.at(t.MEETING_DAY)


def village_cycle_name(today: date) -> str:
    """The present-day village cycle's name: this half-year's."""
    return f"{t.half_year(today)[0]}小店镇村党支部书记述职评议"


VILLAGE_CYCLE_NAME = village_cycle_name(cal.china_today())
MEMBER_BALLOTS = 60

# How well each unit did, by organisation code: the generator scatters ballots around these.
QUALITY = {
    "410326101": 0.93,
    "410326102": 0.88,
    "410326103": 0.79,
    "410326104": 0.95,
    "410326105": 0.91,
    "410326106": 0.84,
    "410326107": 0.81,
    "410326201": 0.90,
    "410326202": 0.76,
    "410326203": 0.72,
    "410326204": 0.86,
    "410326205": 0.83,
    "410326206": 0.58,
    "410326301": 0.70,
}
VETOED = {"410326203": ("major_incident", "2013年5月辖区内发生一起较大安全生产责任事故")}

COMMENTS = {
    "班子建设": ["班子成员分工要更明确，议事规则要落实到位", "党委会研究党建工作的次数偏少", "班子团结协作还需加强"],
    "党员队伍": ["发展年轻党员力度不够", "流动党员管理要跟上", "党员教育培训形式单一"],
    "服务群众": ["群众办事跑腿多，便民服务要下沉到村", "信访问题化解要更及时", "困难群众帮扶要精准"],
    "发展经济": ["村集体经济收入偏低，要找准产业路子", "招商引资项目落地慢", "农民增收渠道要拓宽"],
    "作风建设": ["下村调研要多听群众意见", "会议文件偏多，要求实效", "干部考勤制度执行不严"],
}


def _tier_for(share: float) -> str:
    if share >= 0.9:
        return "good"
    if share >= 0.8:
        return "fairly_good"
    if share >= 0.65:
        return "average"
    return "poor"


def _ballot_items(rng: random.Random, quality: float, keys: list[tuple[str, str, Decimal]]) -> dict[str, object]:
    """One evaluator's answers near a unit's quality: scores to half points, a tier for 总体评价."""
    items: dict[str, object] = {}
    for key, kind, max_points in keys:
        share = min(1.0, max(0.3, rng.gauss(quality, 0.06)))
        if kind == "tier":
            items[key] = _tier_for(share)
        else:
            items[key] = min(max_points, Decimal(round(float(max_points) * share * 2)) / 2)
    return items


async def _admin(session: AsyncSession) -> User:
    return (await session.execute(select(User).where(User.username == "admin"))).scalar_one()


async def _hold_county_meeting(session: AsyncSession, cycle: Cycle, rng: random.Random) -> None:
    assert cycle.rubric is not None
    rubric = scoring_rubric(cycle.rubric)
    keys = [(i.key, i.kind or "score", i.max_points) for i in rubric.ballot_items]
    reports = list(
        (
            await session.execute(
                select(Report, Organization)
                .join(Organization)
                .where(Report.cycle_id == cycle.id)
                .order_by(Report.position)
            )
        ).all()
    )
    admin = await _admin(session)
    for report, _org in reports:
        report.status = ReportStatus.accepted
        report.reviewed_at = t.at(t.REPORTS_REVIEWED, 10)
        report.reviewed_by_id = admin.id
    # Tiers by quota: the county grades by shares of the 14 units (30 % 好, 40 % 较好, 20 % 一般).
    cycles_service.apply_grading(
        cycle,
        GradingIn(
            method=GradingMethod.quota,
            quotas=TierSharesIn(good=Decimal("0.3"), fairly_good=Decimal("0.4"), average=Decimal("0.2")),
        ),
    )
    cycle.stage = CycleStage.evaluation
    meeting = Meeting(
        cycle_id=cycle.id,
        title="2013年上半年乡镇党委书记抓基层党建工作述职评议大会",
        direction=Direction.upward,
        starts_at=MEETING_DAY,
        status=MeetingStatus.ended,
        revealed=True,
        screen_key=secrets.token_urlsafe(24),
        started_at=MEETING_DAY,
        ended_at=MEETING_DAY + timedelta(hours=4),
        agenda=[AgendaItem(report_id=r.id, position=i, voting=Voting.closed) for i, (r, _o) in enumerate(reports, 1)],
    )
    session.add(meeting)
    await session.flush()
    groups = {g.key: g for g in cycle.groups}
    members = {
        m.user_id: m.group_id
        for m in (
            await session.execute(select(EvaluatorGroupMember).where(EvaluatorGroupMember.cycle_id == cycle.id))
        ).scalars()
    }
    tokens = [
        BallotToken(
            meeting_id=meeting.id, group_id=groups["members"].id, token_hash=codes.token_hash(codes.new_token())
        )
        for _ in range(MEMBER_BALLOTS)
    ]
    session.add_all(tokens)
    await session.flush()
    categories = list(COMMENTS)
    for report, org in reports:
        quality = QUALITY.get(org.code, 0.8)
        voters: list[tuple[EvaluatorGroup, int | None, BallotSource]] = []
        for uid, gid in members.items():
            group = next(g for g in cycle.groups if g.id == gid)
            if group.anonymous:  # signed in to vote, but the ballot names nobody (DESIGN §4)
                session.add(EvaluatorUse(meeting_id=meeting.id, report_id=report.id, user_id=uid))
                voters.append((group, None, BallotSource.token))
            else:
                voters.append((group, uid, BallotSource.named))
        voters += [(groups["members"], None, BallotSource.token)] * MEMBER_BALLOTS
        for n, (group, user_id, source) in enumerate(voters):
            items = _ballot_items(rng, quality, keys)
            if org.code == "410326206" and group.key == "members" and n % 3 != 0:
                items["overall"] = "poor"  # many party members voted 较差: the share rule applies
            scored = score_ballot(rubric, group.key, items)
            comment = category = None
            if source == BallotSource.token and rng.random() < 0.2:
                category = rng.choice(categories)
                comment = rng.choice(COMMENTS[category])
            session.add(
                Ballot(
                    id=codes.new_ballot_id(),
                    meeting_id=meeting.id,
                    report_id=report.id,
                    group_id=group.id,
                    source=source,
                    evaluator_id=user_id,
                    receipt=codes.new_receipt(),
                    items={k: format(v, "f") if isinstance(v, Decimal) else str(v) for k, v in items.items()},
                    **scored.stored(),
                    comment=comment,
                    comment_category=category,
                )
            )
        for token in tokens:
            session.add(TokenUse(token_id=token.id, report_id=report.id))
        if org.code in VETOED:
            key, reason = VETOED[org.code]
            session.add(ReportVeto(report_id=report.id, veto_key=key, reason=reason, set_by_id=admin.id))
    await session.flush()
    # As closing each report's voting would have done.
    await anonymise(session, meeting_id=meeting.id, report_ids=[r.id for r, _o in reports])


async def _assess_and_publish(session: AsyncSession, cycle: Cycle) -> None:
    admin = await _admin(session)
    cycle.stage = CycleStage.assessment
    await session.flush()
    await petition_stats.snapshot_stats(session, cycle_id=cycle.id, today=t.ASSESSED)
    await results_service.compute(session, cycle=cycle, actor=admin)
    result_set = await results_service.get_result_set(session, cycle.id)
    assert result_set is not None
    result_set.computed_at = t.COMPUTED  # the demo's past: computed and published after its meeting
    await results_publishing.publish(session, cycle=cycle, override=None, actor=admin)
    result_set.published_at = cycle.frozen_at = t.PUBLISHED
    flagged = [i for i in await results_service.stored_items(session, cycle.id) if i.flagged]
    prefix = orgs_service.document_settings(await orgs_service.get_org(session, cycle.host_org_id)).prefix
    for n, item in enumerate(flagged, start=1):
        session.add(
            Interview(
                cycle_id=cycle.id,
                report_id=item.report_id,
                held_at=t.at(t.INTERVIEWS, 9, 30),
                led_by="县委常委、组织部部长",
                attendees="县委组织部组织科；乡镇党委副书记、组织委员",
                notes="通报测评结果，逐项指出存在问题，提出限期整改要求；本人表态认领问题、制定整改方案。",
                recorded_by_id=admin.id,
                created_at=t.at(t.INTERVIEWS, 11, 30),  # recorded the morning it was held
            )
        )
        acknowledged = n % 2 == 1
        findings = await consequences.findings_for(session, cycle, item)
        session.add(
            RectificationNotice(
                cycle_id=cycle.id,
                report_id=item.report_id,
                org_id=item.org_id,
                number=f"{prefix}〔2013〕{n}号",
                findings=findings,
                measures="一、召开专题民主生活会，查摆问题、制定整改方案\n二、整改台账逐项销号，每月向县委组织部报送进度\n"
                "三、年底向县委专题汇报整改情况",
                deadline_date=t.DEADLINE,
                status=NoticeStatus.acknowledged if acknowledged else NoticeStatus.issued,
                issued_at=t.at(t.LEDGER_START, 10),
                issued_by_id=admin.id,
                acknowledged_at=t.at(t.NOTICES_ACKNOWLEDGED, 11) if acknowledged else None,
            )
        )
    cycle.stage = CycleStage.rectification
    await session.flush()


def _village_rubric() -> RubricIn:
    return RubricIn(
        name="村党支部书记抓基层党建工作测评表",
        items=[
            RubricItemIn(
                key="duty",
                title="履行抓党建第一责任",
                category="责任落实",
                source=ItemSource.ballot,
                kind=ItemKind.score,
                max_points=Decimal(20),
                description="三会一课、主题党日落实情况",
            ),
            RubricItemIn(
                key="service",
                title="服务群众、带富致富",
                category="服务群众",
                source=ItemSource.ballot,
                kind=ItemKind.score,
                max_points=Decimal(20),
                description="为民办实事、发展村集体经济",
            ),
            RubricItemIn(
                key="overall",
                title="总体评价",
                category="总体评价",
                source=ItemSource.ballot,
                kind=ItemKind.tier,
                max_points=Decimal(60),
                description="好、较好、一般、较差",
            ),
        ],
    )


async def _village_cycle(session: AsyncSession, today: date) -> bool:
    town = (await session.execute(select(Organization).where(Organization.code == XIAODIAN))).scalar_one_or_none()
    if town is None:
        return False
    exists = await session.scalar(select(Cycle.id).where(Cycle.host_org_id == town.id).limit(1))
    if exists is not None:
        return False
    _half, period_start, period_end = t.half_year(today)
    meeting_at = t.village_meeting(today)
    submitted = t.at(today - timedelta(days=6), 10)
    rubric = await rubrics_service.add_rubric(session, _village_rubric())
    groups = [
        GroupIn(key="leaders", name="镇党委班子", weight=Decimal("0.4"), expected=3, quorum=1),
        GroupIn(
            key="deputies",
            name="两代表一委员",
            weight=Decimal("0.2"),
            aggregation="trimmed_mean",
            trim=1,
            anonymous=True,
            expected=10,
            quorum=1,
        ),
        GroupIn(
            key="members",
            name="党员群众",
            weight=Decimal("0.4"),
            aggregation="trimmed_mean",
            trim=1,
            anonymous=True,
            expected=30,
            quorum=1,
        ),
    ]
    cycle = Cycle(
        name=village_cycle_name(today),
        period_start=period_start,
        period_end=period_end,
        report_due_date=today - timedelta(days=5),
        host_org_id=town.id,
        rubric_id=rubric.id,
        stage=CycleStage.evaluation,
        grading_method=GradingMethod.thresholds,
        grade_good=Decimal("0.90"),
        grade_fairly_good=Decimal("0.80"),
        grade_average=Decimal("0.60"),
        poor_vote_share=Decimal("0.3333"),
        consequence_count=1,
        groups=[cycles_groups.build_group(g, i) for i, g in enumerate(groups)],
        opinion_categories=cycles_service.build_categories(None),
    )
    session.add(cycle)
    await session.flush()
    leaders = (
        (await session.execute(select(User).where(User.role == Role.leader).order_by(User.username).limit(3)))
        .scalars()
        .all()
    )
    leader_group = next(g for g in cycle.groups if g.key == "leaders")
    session.add_all(EvaluatorGroupMember(cycle_id=cycle.id, group_id=leader_group.id, user_id=u.id) for u in leaders)
    villages = (
        (
            await session.execute(
                select(Organization)
                .where(Organization.parent_id == town.id, Organization.kind == OrgKind.village)
                .order_by(Organization.code)
            )
        )
        .scalars()
        .all()
    )
    reports = []
    for i, village in enumerate(villages, start=1):
        report = Report(
            cycle_id=cycle.id,
            org_id=village.id,
            position=i,
            title=f"{village.name}党支部书记抓基层党建工作述职报告",
            body=f"# {village.name}党支部书记述职报告\n\n本村上半年落实“三会一课”，制作述职幻灯片，"
            "围绕村级重大事项决策“四议两公开”开展工作。",
            status=ReportStatus.accepted,
            submitted_at=submitted,
            reviewed_at=submitted + timedelta(days=1),
        )
        session.add(report)
        reports.append(report)
    await session.flush()
    session.add(
        Meeting(
            cycle_id=cycle.id,
            title="小店镇村党支部书记述职评议大会",
            direction=Direction.upward,
            starts_at=meeting_at,
            status=MeetingStatus.scheduled,
            screen_key=secrets.token_urlsafe(24),
            agenda=[AgendaItem(report_id=r.id, position=i, voting=Voting.pending) for i, r in enumerate(reports, 1)],
        )
    )
    await session.flush()
    return True


async def load_demo_evaluation(session: AsyncSession, today: date | None = None) -> int:
    """Hold the demo meetings and publish the results (idempotent); return how many cycles were added."""
    added = 0
    if await previous.load_previous_cycle(session):
        added += 1
    county_cycle = (
        await session.execute(select(Cycle).where(Cycle.name == demo_cycle.CYCLE_NAME))
    ).scalar_one_or_none()
    if county_cycle is not None:
        held = await session.scalar(select(Meeting.id).where(Meeting.cycle_id == county_cycle.id))
        if held is None and county_cycle.stage == CycleStage.preparation:
            cycle = await cycles_service.get_cycle(session, county_cycle.id)
            await _hold_county_meeting(session, cycle, random.Random(2013))  # noqa: S311  (demo scores, not secrets)
            await _assess_and_publish(session, cycle)
    if await _village_cycle(session, today or cal.china_today()):
        added += 1
    return added
