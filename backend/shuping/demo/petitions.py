"""The demo county's Sunshine Petition cases: 346 taken in, 210 resolved, 136 assigned or transferred.

Generated deterministically per case number. A fifth of them are the 2013 cases that feed the
2013年上半年 cycle's 信访化解率: accepted within its period (January to June 2013) and, but for a
few still handed on, resolved before its figures were frozen on 2 September 2013, their clocks on
the 2013 working-day calendar. The rest are recent, relative to today, so some open cases are
overdue. Each case gets its full history, a closed one its petitioner's rating (some 未评价), and a
few recent ones a video reception with a leader, held, missed, cancelled or booked.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import Role, User
from shuping.core import calendar as cal
from shuping.demo import county as c
from shuping.demo import timeline as t
from shuping.orgs.models import Organization, OrgKind
from shuping.petitions import service
from shuping.petitions.models import (
    DEFAULT_SOURCE,
    Appointment,
    AppointmentStatus,
    EventKind,
    PetitionCase,
    PetitionEvent,
    Satisfaction,
    Via,
)
from shuping.petitions.statemachine import Action, CaseStatus

TOTAL = 346
RESOLVED = 90  # then closed ones, up to 210 resolved in all
CLOSED = 120
ASSIGNED = 80  # then transferred ones, up to 136 handed on in all
TRANSFERRED = 56
APPOINTMENTS = 8
PREFIX = "YGXF-DEMO-"

CATEGORIES = {
    "土地征收": "反映土地征收补偿款发放不到位",
    "劳动社保": "反映务工工资被拖欠",
    "城乡建设": "反映小区配套设施长期未完善",
    "农村农业": "反映村道损毁影响出行",
    "环境保护": "反映养殖场气味扰民",
    "教育医疗": "反映子女入学划片问题",
    "民政救助": "申请低保未获答复",
    "涉法涉诉": "对诉讼执行进度有异议",
}
_WHO = service.Who(None, Via.demo, "demo")


def external_id(n: int) -> str:
    return f"{PREFIX}{n:04d}"


def in_2013(n: int) -> bool:
    """Whether case `n` is one of the 2013 cases (76 of them: 70 resolved, 6 still handed on)."""
    if n <= RESOLVED + CLOSED:
        return n % 3 == 0
    return n % 23 == 0


def _status(n: int) -> CaseStatus:
    if n <= RESOLVED:
        return CaseStatus.resolved
    if n <= RESOLVED + CLOSED:
        return CaseStatus.closed
    if n <= RESOLVED + CLOSED + ASSIGNED:
        return CaseStatus.assigned
    return CaseStatus.transferred


APPOINTMENT_STATES = (
    AppointmentStatus.held,
    AppointmentStatus.booked,
    AppointmentStatus.held,
    AppointmentStatus.booked,
    AppointmentStatus.missed,
    AppointmentStatus.booked,
    AppointmentStatus.cancelled,
    AppointmentStatus.booked,
)
OUTCOMES = {
    AppointmentStatus.held: "已当面答复，信访人表示理解",
    AppointmentStatus.missed: "信访人未按约上线，已电话联系改约",
    AppointmentStatus.cancelled: "信访人申请撤回，取消接访",
}
LOCATIONS = ("乡镇视频接访室", "县信访局视频接访室")


def n_of(case: PetitionCase) -> int:
    return int(case.external_id.removeprefix(PREFIX))


def rating(n: int) -> Satisfaction | None:
    """Case n's rating on closing: about half 满意, a quarter 基本满意, some 不满意 and some 未评价."""
    return (
        Satisfaction.satisfied,
        Satisfaction.basically_satisfied,
        Satisfaction.satisfied,
        None,
        Satisfaction.satisfied,
        Satisfaction.basically_satisfied,
        Satisfaction.dissatisfied,
    )[(n * 5 + n // 7) % 7]


def _at(day: date, rng: random.Random) -> datetime:
    moment = datetime.combine(day, time(8 + rng.randint(0, 8), rng.randint(0, 59)), cal.CHINA_TZ)
    return min(moment.astimezone(UTC), datetime.now(UTC) - timedelta(minutes=1))  # a step of today happened already


async def load_petitions(session: AsyncSession, today: date | None = None) -> int:
    """Add the demo cases that are missing; return how many were added."""
    today = today or cal.china_today()
    present = set(
        (
            await session.execute(
                select(PetitionCase.external_id).where(
                    PetitionCase.source == DEFAULT_SOURCE, PetitionCase.external_id.like(f"{PREFIX}%")
                )
            )
        ).scalars()
    )
    missing = [n for n in range(1, TOTAL + 1) if external_id(n) not in present]
    if not missing:
        return 0
    orgs = list((await session.execute(select(Organization).order_by(Organization.code))).scalars())
    townships = [o for o in orgs if o.kind in (OrgKind.township, OrgKind.working_committee)]
    departments = [o for o in orgs if o.kind == OrgKind.department]
    leaders = list((await session.execute(select(User).where(User.role == Role.leader).order_by(User.id))).scalars())
    clk = service.clock()
    categories = list(CATEGORIES)

    plans: list[tuple[PetitionCase, list[tuple[date, Action, Organization | None]], random.Random]] = []
    for n in missing:
        rng = random.Random(n * 7919)  # noqa: S311  (demo data, reproducible per case)
        town = townships[n % len(townships)]
        dept = departments[(n * 7) % len(departments)]
        final = _status(n)
        category = categories[n % len(categories)]
        horizon = today
        if in_2013(n):
            # all its steps before the snapshot of 2 September 2013
            received = t.PETITIONS_FROM + timedelta(days=rng.randint(0, (t.PETITIONS_TO - t.PETITIONS_FROM).days))
            horizon = t.ASSESSED - timedelta(days=1)
        elif final in (CaseStatus.resolved, CaseStatus.closed):
            received = today - timedelta(days=rng.randint(40, 330))
        else:
            # Most open cases are recent; every fifth one has run past its handling deadline.
            received = today - timedelta(days=rng.randint(100, 200) if n % 5 == 0 else rng.randint(3, 60))
        case = service.new_case(
            external_id=external_id(n),
            org=town,
            dept=dept,
            category=category,
            summary=f"{town.name}群众{CATEGORIES[category]}（演示）",
            name=c.person_name(1000 + n),
            phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
            received=received,
            note=None,
            external_updated_at=None,
            source=DEFAULT_SOURCE,
        )
        # Most are accepted within days; every seventeenth only after its 15 working days ran out.
        started = min(received + timedelta(days=rng.randint(1, 10) if n % 17 else rng.randint(24, 32)), horizon)
        handed = min(started + timedelta(days=rng.randint(1, 5)), horizon)
        action = Action.transfer if final == CaseStatus.transferred or n % 3 == 0 else Action.assign
        steps: list[tuple[date, Action, Organization | None]] = [
            (started, Action.start, None),
            (handed, action, dept),
        ]
        if final in (CaseStatus.resolved, CaseStatus.closed):
            solved = min(handed + timedelta(days=rng.randint(5, 70)), horizon)
            steps.append((solved, Action.resolve, None))
            if final == CaseStatus.closed:
                steps.append((min(solved + timedelta(days=rng.randint(2, 10)), horizon), Action.close, None))
        if final == CaseStatus.assigned:
            steps[-1] = (handed, Action.assign, dept)
        plans.append((case, steps, rng))
        session.add(case)
    await session.flush()

    for case, steps, rng in plans:
        session.add(_event(case, EventKind.created, None, None, _at(case.received_date, rng), False))
        last = case.received_date
        for day, action, target in steps:
            before = case.status
            late = service.apply_step(case, action, day, target, clk)
            session.add(_event(case, EventKind.status, action, before, _at(day, rng), late))
            last = day
        if case.status == CaseStatus.closed:
            case.satisfaction = rating(n_of(case))
        case.external_updated_at = _at(last, rng)
    await session.flush()

    # Video receptions with the cases handed on at least a fortnight ago: some held, one missed,
    # one cancelled in the past ten days, the rest booked for the coming days (this week and next).
    recent = [p for p in plans if p[0].received_date > t.ASSESSED and p[1][-1][0] <= today - timedelta(days=14)]
    booked = [p for p in recent if p[0].status in (CaseStatus.assigned, CaseStatus.transferred)][:APPOINTMENTS]
    for i, (case, _, _rng) in enumerate(booked):
        if not leaders:
            break
        leader = leaders[i % len(leaders)]
        status = APPOINTMENT_STATES[i % len(APPOINTMENT_STATES)]
        past = status != AppointmentStatus.booked
        day = today - timedelta(days=3 + i) if past else today + timedelta(days=1 + i)
        starts = datetime.combine(day, time(9 + i % 6, 0), cal.CHINA_TZ).astimezone(UTC)
        outcome_note = OUTCOMES.get(status)
        session.add(
            Appointment(
                case_id=case.id,
                leader_id=leader.id,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=30),
                status=status,
                location=LOCATIONS[i % len(LOCATIONS)],
                outcome=outcome_note,
            )
        )
        booked_at = min(starts - timedelta(days=2), _at(today - timedelta(days=1), rng))  # booked before today
        booked_event = _event(case, EventKind.appointment_booked, None, None, booked_at, False)
        booked_event.note = f"{leader.full_name} {starts.astimezone(cal.CHINA_TZ):%Y-%m-%d %H:%M}"
        session.add(booked_event)
        if past:
            outcome = _event(case, EventKind.appointment_outcome, None, None, starts + timedelta(minutes=30), False)
            outcome.note = f"{status.value}: {outcome_note}" if outcome_note else status.value
            session.add(outcome)
    await session.flush()
    return len(missing)


def _event(
    case: PetitionCase,
    kind: EventKind,
    action: Action | None,
    before: CaseStatus | None,
    at: datetime,
    late: bool,
) -> PetitionEvent:
    return PetitionEvent(
        case_id=case.id,
        at=at,
        kind=kind,
        action=action,
        from_status=before,
        to_status=case.status if kind in (EventKind.created, EventKind.status) else None,
        stage=case.stage,
        due_date=case.due_date,
        late=late,
        holder_org_id=case.holder_org_id,
        owner_org_id=case.owner_org_id,
        via=Via.demo,
        actor_name=_WHO.name,
    )
