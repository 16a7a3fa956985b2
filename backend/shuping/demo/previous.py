"""The county's previous cycle, 2012年下半年: its meeting in January 2013 and its ledger.

Only what the 2013 cycle needs of it is kept in the demo: its meeting, the ledger items the meeting
raised and what became of them by the deadline of 31 May 2013 (verified, rejected, or finished
late), so the 2013 cycle's 整改落实 indicator (the previous cycle's completion rate × 5) has figures
when the 2013 cycle is assessed. Its reports, ballots and results are not part of the demo (so a
secretary's 我的述职报告 lists the 2013 report alone).
"""

from __future__ import annotations

import random
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import Role, User
from shuping.cycles import groups as cycles_groups
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle, CycleStage
from shuping.cycles.schemas import GradingIn
from shuping.demo import county as c
from shuping.demo import cycle as demo_cycle
from shuping.demo import ledger as demo_ledger
from shuping.demo import timeline as t
from shuping.ledger import service as ledger
from shuping.ledger.models import EventKind, LedgerEvent, LedgerItem, LedgerItemOpinion, Opinion, OpinionSource
from shuping.ledger.statemachine import Action, ItemStatus
from shuping.meetings.models import Direction, Meeting, MeetingStatus
from shuping.orgs.models import Organization, OrgKind

CYCLE_NAME = "2012年下半年乡镇党委书记抓基层党建述职评议"
ITEMS_PER_UNIT = 6
# Per unit in code order, how many of its six items were verified by the deadline; one of the
# rest was rejected where noted, the others were finished late and still await verification.
VERIFIED = (6, 5, 4, 6, 5, 4, 5, 5, 3, 4, 5, 6, 3, 4)
REJECTED = {2, 8, 12}


async def load_previous_cycle(session: AsyncSession) -> bool:
    """Add the 2012年下半年 cycle with its ledger unless it is there; answer whether it was added."""
    county = (await session.execute(select(Organization).where(Organization.code == c.COUNTY_CODE))).scalar_one()
    if await session.scalar(select(Cycle.id).where(Cycle.name == CYCLE_NAME, Cycle.host_org_id == county.id)):
        return False
    current = (
        await session.execute(select(Cycle).where(Cycle.name == demo_cycle.CYCLE_NAME, Cycle.host_org_id == county.id))
    ).scalar_one_or_none()
    if current is None:
        return False
    cycle = Cycle(
        name=CYCLE_NAME,
        period_start=t.PREVIOUS_PERIOD[0],
        period_end=t.PREVIOUS_PERIOD[1],
        report_due_date=t.PREVIOUS_REPORTS_SUBMITTED,
        host_org_id=county.id,
        rubric_id=current.rubric_id,
        stage=CycleStage.rectification,
        groups=[cycles_groups.build_group(g, i) for i, g in enumerate(demo_cycle.DEMO_GROUPS)],
        opinion_categories=cycles_service.build_categories(None),
    )
    cycles_service.apply_grading(cycle, GradingIn())
    session.add(cycle)
    await session.flush()
    units = list(
        (
            await session.execute(
                select(Organization)
                .where(
                    Organization.parent_id == county.id,
                    Organization.kind.in_([OrgKind.township, OrgKind.working_committee]),
                )
                .order_by(Organization.code)
            )
        ).scalars()
    )
    meeting_at = t.at(t.PREVIOUS_MEETING_DAY)
    meeting = Meeting(
        cycle_id=cycle.id,
        title="2012年下半年乡镇党委书记抓基层党建工作述职评议大会",
        direction=Direction.upward,
        starts_at=meeting_at,
        status=MeetingStatus.ended,
        screen_key=secrets.token_urlsafe(24),
        started_at=meeting_at,
        ended_at=meeting_at + timedelta(hours=4),
    )
    session.add(meeting)
    await session.flush()
    await _ledger(session, cycle, meeting, units)
    return True


async def _ledger(session: AsyncSession, cycle: Cycle, meeting: Meeting, units: list[Organization]) -> None:
    rng = random.Random(2012)  # noqa: S311  (demo data, not secrets)
    clerk = (await session.execute(select(User).where(User.username == "clerk"))).scalar_one_or_none()
    of_units = select(User).where(User.role == Role.secretary, User.org_id.in_([o.id for o in units]))
    secretaries = {u.org_id: u for u in (await session.execute(of_units)).scalars()}
    due_days = ledger.calendar().working_days_between(t.PREVIOUS_LEDGER_START, t.PREVIOUS_DEADLINE)
    opened = t.at(t.PREVIOUS_LEDGER_START, 9)
    plans: list[tuple[LedgerItem, Opinion, ItemStatus]] = []
    for u, org in enumerate(units):
        verified = VERIFIED[u % len(VERIFIED)]
        for k in range(ITEMS_PER_UNIT):
            if k < verified:
                status = ItemStatus.verified
            elif k == verified and u in REJECTED:
                status = ItemStatus.rejected
            else:
                status = ItemStatus.done
            category = demo_ledger.CATEGORIES[(u + k) % len(demo_ledger.CATEGORIES)]
            problem, measure = demo_ledger.TEMPLATES[category][(u * 3 + k) % len(demo_ledger.TEMPLATES[category])]
            owner = secretaries.get(org.id)
            item = LedgerItem(
                cycle_id=cycle.id,
                org_id=org.id,
                owner_user_id=owner.id if owner else None,
                category=category,
                title=ledger.default_title(f"{org.name}{problem}"),
                measures=measure,
                status=ItemStatus.open,
                start_date=t.PREVIOUS_LEDGER_START,
                due_days=due_days,
                due_date=t.PREVIOUS_DEADLINE,
                created_at=opened,
                updated_at=opened,
            )
            opinion = Opinion(
                cycle_id=cycle.id,
                org_id=org.id,
                category=category,
                text=f"{org.name}{problem}（述职评议大会上提出）",
                source=OpinionSource.meeting,
                meeting_id=meeting.id,
                created_by_id=clerk.id if clerk else None,
                created_at=t.at(t.PREVIOUS_MEETING_DAY, 15),
            )
            plans.append((item, opinion, status))
    session.add_all([p for item, opinion, _ in plans for p in (item, opinion)])
    await session.flush()
    rows: list[object] = []
    for item, opinion, status in plans:
        rows.append(LedgerItemOpinion(opinion_id=opinion.id, item_id=item.id, added_at=opened))
        rows.append(
            LedgerEvent(
                item_id=item.id,
                at=opened,
                kind=EventKind.created,
                to_status=ItemStatus.open,
                actor_id=clerk.id if clerk else None,
                actor_name=clerk.full_name if clerk else "组织部",
                note=f"opinion {opinion.id} ({opinion.source.value})",
            )
        )
        owner = secretaries.get(item.org_id)
        steps = demo_ledger.progress(item, status, owner, clerk, rng)
        if status == ItemStatus.done:  # finished after the deadline, verification still pending
            late = item.due_date + timedelta(days=rng.randint(5, 30))
            item.done_date = late
            for step in steps:
                if isinstance(step, LedgerEvent) and step.action == Action.complete:
                    step.at = t.at(late, 16)
            item.updated_at = t.at(late, 16)
        rows += steps
    session.add_all(rows)
    await session.flush()
