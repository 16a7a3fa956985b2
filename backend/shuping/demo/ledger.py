"""The demo cycle's opinions (420 in the 5 categories) and its rectification ledger (405 items).

Attached to the demo cycle when it exists (skipped with a message otherwise, and added on a
later load once it does). Generated deterministically on the demo's calendar (`demo.timeline`):
the opinions were raised at and after the meeting of 30 August 2013, every item starts when the
notices issue and is due when they say (31 October 2013); most were finished by then, a few were
rejected and a few are still open, so they are overdue. The meeting's ballot comments, filed by
the clerk, are dated and carried the same way. Each
township's first verified and first in-progress item are marked for the public board under a title
of the org department's own; the board shows them once the cycle's results are published.
"""

from __future__ import annotations

import logging
import random
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.auth.models import Role, User
from shuping.core import calendar as cal
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle
from shuping.demo import county as c
from shuping.demo import timeline as t
from shuping.ledger import opinions as ledger_opinions
from shuping.ledger import service as ledger
from shuping.ledger.models import (
    EventKind,
    LedgerEvent,
    LedgerItem,
    LedgerItemOpinion,
    LedgerNote,
    Opinion,
    OpinionSource,
)
from shuping.ledger.statemachine import Action, ItemStatus
from shuping.orgs.models import Organization, OrgKind
from shuping.reports.models import Report

log = logging.getLogger("shuping.demo")
T = TypeVar("T")

CYCLE_NAME = "2013年上半年乡镇党委书记抓基层党建述职评议"
OPINIONS = 420
MERGED = 15  # items that hold two opinions each: 405 items in all
SEED = 2013
REJECT_REASON = "经核实，该问题已在上级统一部署中解决，不再单列整改"

# category → (problem, measure) pairs; each opinion picks one and names its township.
TEMPLATES: dict[str, list[tuple[str, str]]] = {
    "班子建设": [
        ("班子成员分工不够明确，抓党建合力不足", "重新明确班子成员党建工作分工，建立月度碰头会制度"),
        ("民主生活会批评与自我批评不够深入", "按要求召开专题民主生活会，逐条整改查摆问题"),
        ("党委会议事规则执行不严格", "修订党委议事规则，重大事项集体研究决定"),
        ("对村级班子调研指导次数偏少", "班子成员分包联系村，每月至少到村调研两次"),
    ],
    "党员队伍": [
        ("发展年轻党员偏少，党员队伍老化", "制定三年发展党员规划，向致富能手和返乡青年倾斜"),
        ("流动党员管理不到位，联系不经常", "建立流动党员台账，依托微信群定期联系"),
        ("“三会一课”落实不规范，记录不完整", "统一会议记录本，乡镇党委每季度抽查"),
        ("党员教育培训形式单一", "开设党员夜校，结合远程教育分批轮训"),
    ],
    "服务群众": [
        ("便民服务中心窗口人员不足，群众办事排队", "增设综合窗口，推行错时延时服务"),
        ("村级活动场所利用率不高", "完善村级活动场所功能，定期开展服务活动"),
        ("对困难群众帮扶措施不够精准", "逐户建立帮扶台账，落实结对帮扶责任人"),
        ("群众反映问题回应不够及时", "建立群众诉求登记办理反馈机制，限时办结"),
    ],
    "发展经济": [
        ("村集体经济薄弱，空壳村仍然存在", "每村制定集体经济发展方案，盘活闲置资产资源"),
        ("特色产业带动能力不强", "扶持合作社和龙头企业，推广“党支部+合作社”模式"),
        ("招商引资项目落地慢", "实行项目包联责任制，定期调度推进"),
        ("农村基础设施短板明显", "争取项目资金，硬化村组道路、完善灌溉设施"),
    ],
    "作风建设": [
        ("个别干部工作作风漂浮，深入基层不够", "落实干部驻村值班制度，开展作风纪律专项整治"),
        ("会议文件偏多，基层负担较重", "精简会议文件，统筹督查检查事项"),
        ("个别村干部优亲厚友，群众有意见", "推行村务公开和“四议两公开”，接受群众监督"),
        ("纪律规矩意识有待加强", "开展警示教育，签订廉洁承诺书"),
    ],
}
CATEGORIES = list(TEMPLATES)
# problem → the title the org department shows it under on the public board (its own words, no one quoted).
PUBLIC_TITLES: dict[str, str] = {
    "班子成员分工不够明确，抓党建合力不足": "明确班子成员抓党建分工",
    "民主生活会批评与自我批评不够深入": "开好专题民主生活会",
    "党委会议事规则执行不严格": "严格执行党委议事规则",
    "对村级班子调研指导次数偏少": "加强对村级班子的调研指导",
    "发展年轻党员偏少，党员队伍老化": "做好发展年轻党员工作",
    "流动党员管理不到位，联系不经常": "加强流动党员管理",
    "“三会一课”落实不规范，记录不完整": "规范落实“三会一课”",
    "党员教育培训形式单一": "丰富党员教育培训形式",
    "便民服务中心窗口人员不足，群众办事排队": "优化便民服务中心窗口服务",
    "村级活动场所利用率不高": "提高村级活动场所利用率",
    "对困难群众帮扶措施不够精准": "精准帮扶困难群众",
    "群众反映问题回应不够及时": "及时回应群众诉求",
    "村集体经济薄弱，空壳村仍然存在": "发展壮大村集体经济",
    "特色产业带动能力不强": "增强特色产业带动能力",
    "招商引资项目落地慢": "推动招商项目落地",
    "农村基础设施短板明显": "补齐农村基础设施短板",
    "个别干部工作作风漂浮，深入基层不够": "转变干部作风、深入基层",
    "会议文件偏多，基层负担较重": "精简会议文件、为基层减负",
    "个别村干部优亲厚友，群众有意见": "规范村务公开和民主决策",
    "纪律规矩意识有待加强": "强化纪律规矩意识",
}
# Per township, the first item in each of these statuses is shown on the public board.
PUBLIC_STATUSES = (ItemStatus.verified, ItemStatus.in_progress)
# Share of items per status (out of 100): a 2013 ledger mostly finished by its deadline.
STATUS_SPREAD = (
    (ItemStatus.verified, 80),
    (ItemStatus.done, 3),
    (ItemStatus.in_progress, 6),
    (ItemStatus.open, 3),
    (ItemStatus.rejected, 8),
)
SOURCES = (
    (OpinionSource.ballot, 40),
    (OpinionSource.meeting, 25),
    (OpinionSource.paper, 20),
    (OpinionSource.clerk, 15),
)


def _pick(rng: random.Random, spread: tuple[tuple[T, int], ...]) -> T:
    roll = rng.randrange(100)
    for value, share in spread:
        if roll < share:
            return value
        roll -= share
    return spread[-1][0]


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(9 + rng.randint(0, 7), rng.randint(0, 59)), cal.CHINA_TZ).astimezone(UTC)


async def _demo_cycle(session: AsyncSession) -> Cycle | None:
    county = await session.scalar(select(Organization.id).where(Organization.code == c.COUNTY_CODE))
    stmt = select(Cycle).where(Cycle.name == CYCLE_NAME, Cycle.host_org_id == county).order_by(Cycle.id).limit(1)
    return (await session.execute(stmt)).scalar_one_or_none()


async def _orgs(session: AsyncSession, cycle: Cycle) -> list[Organization]:
    reporting = select(Report.org_id).where(Report.cycle_id == cycle.id)
    orgs = list(
        (await session.execute(select(Organization).where(Organization.id.in_(reporting)).order_by(Organization.code)))
        .scalars()
        .all()
    )
    if orgs:
        return orgs
    stmt = (
        select(Organization)
        .where(Organization.kind.in_([OrgKind.township, OrgKind.working_committee]))
        .order_by(Organization.code)
    )
    return list((await session.execute(stmt)).scalars())


async def load_ledger(session: AsyncSession) -> int:
    """Add the demo opinions and items unless the cycle has opinions, and file its ballot comments; return how many."""
    cycle = await _demo_cycle(session)
    if cycle is None:
        log.info("demo ledger skipped: the cycle %s does not exist yet", CYCLE_NAME)
        print(f"demo ledger skipped: no cycle named {CYCLE_NAME} yet (loaded once it exists)")
        return 0
    added = 0
    if not await session.scalar(select(func.count()).where(Opinion.cycle_id == cycle.id)):
        added = await _paper_ledger(session, cycle)
    return added + await _harvest(session, cycle)


async def _harvest(session: AsyncSession, cycle: Cycle) -> int:
    """File the comments of the demo meeting's ballots, as the org department's clerk would (idempotent)."""
    if cycle.stage not in ledger.OPINION_STAGES:
        return 0
    clerk = (
        await session.execute(select(User).options(selectinload(User.org)).where(User.username == "clerk"))
    ).scalar_one_or_none()
    if clerk is None or not cycles_service.can_manage(clerk, cycle):
        return 0
    harvested = await ledger_opinions.harvest(session, cycle=cycle, actor=clerk)
    await _settle_harvest(session, harvested.opinion_ids, clerk)
    return harvested.created


async def _settle_harvest(session: AsyncSession, opinion_ids: list[int], clerk: User) -> None:
    """Date the comments as filed after the meeting, their items as started with the notices, and carry
    those items on as the paper ones were (the harvest itself stamps the moment it runs)."""
    if not opinion_ids:
        return
    rng = random.Random(SEED + 1)  # noqa: S311  (demo data, not secrets)
    filed = t.at(t.OPINIONS_FILED, 15)
    await session.execute(update(Opinion).where(Opinion.id.in_(opinion_ids)).values(created_at=filed))
    linked = select(LedgerItemOpinion.item_id).where(LedgerItemOpinion.opinion_id.in_(opinion_ids))
    items = list(
        (await session.execute(select(LedgerItem).where(LedgerItem.id.in_(linked)).order_by(LedgerItem.id))).scalars()
    )
    ids = [i.id for i in items]
    opened = t.at(t.LEDGER_START, 9)
    await session.execute(
        update(LedgerItemOpinion).where(LedgerItemOpinion.opinion_id.in_(opinion_ids)).values(added_at=opened)
    )
    await session.execute(update(LedgerEvent).where(LedgerEvent.item_id.in_(ids)).values(at=opened))
    owners = {
        u.id: u
        for u in (
            await session.execute(select(User).where(User.id.in_([i.owner_user_id for i in items if i.owner_user_id])))
        ).scalars()
    }
    clock = ledger.calendar()
    rows: list[LedgerEvent | LedgerNote] = []
    for item in items:
        item.start_date = t.LEDGER_START
        item.due_date = t.DEADLINE
        item.due_days = clock.working_days_between(t.LEDGER_START, t.DEADLINE)
        item.created_at = opened
        if item.status == ItemStatus.open:
            owner = owners.get(item.owner_user_id) if item.owner_user_id else None
            rows += progress(item, _pick(rng, STATUS_SPREAD), owner, clerk, rng)
        else:
            item.updated_at = opened
    session.add_all(rows)
    await session.flush()


def progress(
    item: LedgerItem, status: ItemStatus, owner: User | None, clerk: User | None, rng: random.Random
) -> list[LedgerEvent | LedgerNote]:
    """Carry an open item to `status` as it went: started after the notices, finished before the deadline
    (verified within two weeks of that), or rejected early on; its events and notes, and its dates."""
    owner_name = owner.full_name if owner else "乡镇党委"
    clerk_name = clerk.full_name if clerk else "组织部"
    steps: list[tuple[Action, ItemStatus, ItemStatus, str, str | None]] = []
    if status == ItemStatus.rejected:
        item.status_reason = REJECT_REASON
        steps.append((Action.reject, ItemStatus.open, status, clerk_name, REJECT_REASON))
    if status in (ItemStatus.in_progress, ItemStatus.done, ItemStatus.verified):
        steps.append((Action.start, ItemStatus.open, ItemStatus.in_progress, owner_name, "制定整改方案，明确责任人"))
    if status in (ItemStatus.done, ItemStatus.verified):
        steps.append((Action.complete, ItemStatus.in_progress, ItemStatus.done, owner_name, "整改完成，提请验收"))
    if status == ItemStatus.verified:
        steps.append((Action.verify, ItemStatus.done, ItemStatus.verified, clerk_name, "经实地查看，整改到位"))
    rows: list[LedgerEvent | LedgerNote] = []
    day = item.start_date
    for action, frm, to, who, note in steps:
        if action == Action.complete:
            day = min(item.due_date - timedelta(days=1), day + timedelta(days=rng.randint(10, 40)))
        elif action == Action.verify:
            day = day + timedelta(days=rng.randint(2, 14))
        else:
            day = day + timedelta(days=rng.randint(1, 5))
        rows.append(
            LedgerEvent(
                item_id=item.id,
                at=_at(day, rng),
                kind=EventKind.status,
                action=action,
                from_status=frm,
                to_status=to,
                actor_id=(owner.id if owner else None) if who == owner_name else (clerk.id if clerk else None),
                actor_name=who,
                note=note,
            )
        )
        if action == Action.start:
            rows.append(
                LedgerNote(
                    item_id=item.id,
                    note_date=day,
                    text=f"召开专题会议研究整改，{item.measures or '制定整改措施'}。",
                    author_id=owner.id if owner else None,
                    author_name=owner_name,
                    created_at=_at(day, rng),
                )
            )
        if action == Action.complete:
            item.done_date = day
        if action == Action.verify:
            item.verified_date = day
    item.status = status
    item.updated_at = _at(day, rng) if steps else item.created_at
    return rows


async def _paper_ledger(session: AsyncSession, cycle: Cycle) -> int:
    """The opinions gathered in the half-year, each in the ledger, with their progress so far."""
    rng = random.Random(SEED)  # noqa: S311  (demo data, not secrets)
    clock = ledger.calendar()
    orgs = await _orgs(session, cycle)
    secretaries = {
        u.org_id: u
        for u in (
            await session.execute(
                select(User).where(User.role == Role.secretary, User.org_id.in_([o.id for o in orgs])).order_by(User.id)
            )
        ).scalars()
    }
    clerk = (await session.execute(select(User).where(User.username == "clerk"))).scalar_one_or_none()
    clerk_name = clerk.full_name if clerk else "组织部"

    # Opinions first: each names a township and a category; the first MERGED items take two.
    specs: list[tuple[Organization, str, str, str, OpinionSource, str]] = []
    for n in range(OPINIONS):
        org = orgs[n % len(orgs)]
        category = CATEGORIES[(n // len(orgs)) % len(CATEGORIES)]
        problem, measure = TEMPLATES[category][rng.randrange(len(TEMPLATES[category]))]
        village = c.village_names(org.name, 20)[rng.randrange(20)]
        text = f"{org.name}{problem}（{village}群众反映，第{n + 1}条）"
        specs.append((org, category, text, measure, _pick(rng, SOURCES), PUBLIC_TITLES[problem]))

    groups: list[list[int]] = []
    merged_with: dict[int, int] = {}
    for n in range(OPINIONS):
        if n in merged_with:
            continue
        partner = n + len(orgs) * len(CATEGORIES)  # the same township and category, a later round
        if len(merged_with) < MERGED * 2 and partner < OPINIONS and specs[partner][0].id == specs[n][0].id:
            merged_with[partner] = n
            merged_with[n] = n
            groups.append([n, partner])
        else:
            groups.append([n])

    items: list[tuple[LedgerItem, list[int], ItemStatus]] = []
    shown: set[tuple[int, ItemStatus]] = set()
    due_days = clock.working_days_between(t.LEDGER_START, t.DEADLINE)
    opened = t.at(t.LEDGER_START, 9)
    for group in groups:
        org, category, text, measure, _, public_title = specs[group[0]]
        status = _pick(rng, STATUS_SPREAD)
        public = status in PUBLIC_STATUSES and (org.id, status) not in shown
        if public:
            shown.add((org.id, status))
        owner = secretaries.get(org.id)
        # Every item starts when the notices issue and is due when they say.
        item = LedgerItem(
            cycle_id=cycle.id,
            org_id=org.id,
            owner_user_id=owner.id if owner else None,
            category=category,
            title=ledger.default_title(text.split("（", 1)[0]),
            measures=measure if status != ItemStatus.open or rng.random() < 0.5 else None,
            status=ItemStatus.open,
            start_date=t.LEDGER_START,
            due_days=due_days,
            due_date=t.DEADLINE,
            public=public,
            public_title=public_title if public else None,
            created_at=opened,
            updated_at=opened,
        )
        items.append((item, group, status))
    session.add_all([i for i, *_ in items])
    await session.flush()

    opinions: list[Opinion] = []
    for n, (org, category, text, _, source, _) in enumerate(specs):
        opinions.append(
            Opinion(
                cycle_id=cycle.id,
                org_id=org.id,
                category=category,
                text=text,
                source=source,
                created_by_id=clerk.id if clerk else None,
                # raised at the meeting or in the week after it, before the notices issue
                created_at=_at(t.MEETING_DAY + timedelta(days=n % 7), rng),
            )
        )
    session.add_all(opinions)
    await session.flush()

    rows: list[LedgerItemOpinion | LedgerEvent | LedgerNote] = []
    for item, group, status in items:
        for n in group:
            rows.append(LedgerItemOpinion(opinion_id=opinions[n].id, item_id=item.id, added_at=item.created_at))
        rows.append(
            LedgerEvent(
                item_id=item.id,
                at=item.created_at,
                kind=EventKind.created,
                to_status=ItemStatus.open,
                actor_id=clerk.id if clerk else None,
                actor_name=clerk_name,
                note=f"opinion {opinions[group[0]].id} ({opinions[group[0]].source.value})",
            )
        )
        if len(group) > 1:
            rows.append(
                LedgerEvent(
                    item_id=item.id,
                    at=item.created_at,
                    kind=EventKind.opinion_added,
                    actor_name=clerk_name,
                    note=f"opinion {opinions[group[1]].id} ({opinions[group[1]].source.value})",  # a like one joins
                )
            )
        rows += progress(item, status, secretaries.get(item.org_id), clerk, rng)
    session.add_all(rows)
    await session.flush()
    return len(opinions)
