"""Petition cases: lifecycle, clocks, history, appointments and the upsert every integration uses."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.audit import service as audit
from shuping.auth.models import Role, User
from shuping.config import Settings, get_settings
from shuping.core import calendar as cal
from shuping.core.errors import AppError, FieldError, Forbidden, NotFound
from shuping.core.pagination import paginate
from shuping.db import utcnow
from shuping.orgs.models import Organization, OrgKind
from shuping.orgs.scope import reaches, within_reach
from shuping.petitions import calendar as clocks
from shuping.petitions.errors import AlreadyExtended, SlotTaken, TransitionRefused
from shuping.petitions.masking import mask_name, mask_phone
from shuping.petitions.models import (
    DEFAULT_SOURCE,
    Appointment,
    AppointmentStatus,
    EventKind,
    PetitionCase,
    PetitionEvent,
    SyncKind,
    SyncRun,
    SyncStatus,
    Via,
    WebhookMessage,
)
from shuping.petitions.schemas import (
    AppointmentCreate,
    AppointmentRead,
    AppointmentUpdate,
    CaseCreate,
    CaseDetail,
    CaseRead,
    CaseResult,
    EventRead,
    OrgRef,
    PushResult,
    SunshineCase,
)
from shuping.petitions.statemachine import (
    OPEN_STATUSES,
    Action,
    CaseStatus,
    IllegalTransition,
    action_for,
    allowed_targets,
    clock_restarts,
    path,
    stage_after,
    target_of,
)

log = logging.getLogger("shuping.petitions")

TOWNSHIP_KINDS = (OrgKind.township, OrgKind.working_committee)
# Roles that read every case (leaders receive petitioners); a clerk reads the cases of the
# organisations they reach, a secretary those of their own organisation.
ALL_CASES_ROLES = frozenset({Role.admin, Role.leader})
MAX_PUSH_CASES = 500


class MalformedPayload(AppError):
    status, code, title = 422, "validation-error", "Validation failed"


class ExternalCaseError(Exception):
    """One external case cannot be applied; the others go on."""


# ---------------------------------------------------------------- clocks


@dataclass(frozen=True)
class Clock:
    calendar: cal.WorkCalendar
    limits: clocks.StageLimits

    def due(self, stage: clocks.Stage, started: date, *, extended: bool) -> date | None:
        return clocks.due_date(self.calendar, self.limits, stage, started, extended=extended)


def clock_from_settings(settings: Settings) -> Clock:
    return Clock(
        cal.make_calendar(
            cal.parse_dates(settings.holidays),
            cal.parse_dates(settings.workdays),
            builtin=settings.builtin_holidays,
        ),
        clocks.StageLimits(
            acceptance=settings.petition_acceptance_days,
            handling=settings.petition_handling_days,
            extension=settings.petition_extension_days,
            review=settings.petition_review_days,
            re_review=settings.petition_re_review_days,
        ),
    )


@lru_cache
def _default_clock() -> Clock:
    return clock_from_settings(get_settings())


def clock() -> Clock:
    """The clock configured for this process."""
    return _default_clock()


# ---------------------------------------------------------------- reading


def visible_to(user: User) -> ColumnElement[bool]:
    """The one scoping rule: which cases a user may see."""
    if user.role in ALL_CASES_ROLES:
        return PetitionCase.id.is_not(None)
    if user.role == Role.clerk:
        return or_(
            within_reach(user, PetitionCase.org_id),
            within_reach(user, PetitionCase.owner_org_id),
            within_reach(user, PetitionCase.holder_org_id),
        )
    if user.role == Role.secretary:
        return or_(
            PetitionCase.org_id == user.org_id,
            PetitionCase.department_id == user.org_id,
            PetitionCase.owner_org_id == user.org_id,
            PetitionCase.holder_org_id == user.org_id,
        )
    return false()


def _case_query() -> Select[PetitionCase]:
    return select(PetitionCase).options(
        selectinload(PetitionCase.org),
        selectinload(PetitionCase.department),
        selectinload(PetitionCase.owner),
        selectinload(PetitionCase.holder),
    )


async def get_case(session: AsyncSession, case_id: int, *, user: User | None = None) -> PetitionCase:
    """Load a case with its organisations, or 404 (also when the user may not see it)."""
    stmt = _case_query().where(PetitionCase.id == case_id).execution_options(populate_existing=True)
    if user is not None:
        stmt = stmt.where(visible_to(user))
    case = (await session.execute(stmt)).scalar_one_or_none()
    if case is None:
        raise NotFound(f"Petition case {case_id} does not exist")
    return case


def _ref(org: Organization | None) -> OrgRef | None:
    return OrgRef(id=org.id, code=org.code, name=org.name) if org is not None else None


def is_overdue(case: PetitionCase, today: date) -> bool:
    return case.status in OPEN_STATUSES and clocks.is_overdue(case.due_date, today)


def to_read(case: PetitionCase, today: date | None = None) -> CaseRead:
    today = today or cal.china_today()
    owner, holder = _ref(case.owner), _ref(case.holder)
    assert owner is not None and holder is not None
    return CaseRead(
        id=case.id,
        source=case.source,
        external_id=case.external_id,
        org=_ref(case.org),
        department=_ref(case.department),
        owner=owner,
        holder=holder,
        category=case.category,
        summary=case.summary,
        petitioner_name=case.petitioner_name,
        petitioner_phone=case.petitioner_phone,
        received_date=case.received_date,
        status=case.status,
        stage=case.stage,
        stage_started_date=case.stage_started_date,
        due_date=case.due_date,
        overdue=is_overdue(case, today),
        extended=case.extended,
        extension_reason=case.extension_reason,
        reopen_count=case.reopen_count,
        resolved_date=case.resolved_date,
        note=case.note,
        allowed_transitions=list(allowed_targets(case.status)),
        external_updated_at=case.external_updated_at,
        created_at=case.created_at,
        updated_at=case.updated_at,
    )


def case_filter(
    stmt: Select[Any],
    *,
    user: User,
    org_id: int | None = None,
    department_id: int | None = None,
    status: Sequence[CaseStatus] | None = None,
    stage: Sequence[clocks.Stage] | None = None,
    overdue: bool | None = None,
    q: str | None = None,
    today: date | None = None,
) -> Select[Any]:
    today = today or cal.china_today()
    stmt = stmt.where(visible_to(user))
    if org_id is not None:
        stmt = stmt.where(PetitionCase.org_id == org_id)
    if department_id is not None:
        stmt = stmt.where(PetitionCase.department_id == department_id)
    if status:
        stmt = stmt.where(PetitionCase.status.in_(status))
    if stage:
        stmt = stmt.where(PetitionCase.stage.in_(stage))
    late = PetitionCase.status.in_(OPEN_STATUSES) & (PetitionCase.due_date < today)
    if overdue is True:
        stmt = stmt.where(late)
    elif overdue is False:
        stmt = stmt.where(~late | PetitionCase.due_date.is_(None))
    if q:
        like = f"%{q}%"
        stmt = stmt.where(
            PetitionCase.external_id.ilike(like) | PetitionCase.summary.ilike(like) | PetitionCase.category.ilike(like)
        )
    return stmt


async def list_cases(
    session: AsyncSession, *, user: User, limit: int, offset: int, **filters: Any
) -> tuple[list[CaseRead], int]:
    today = cal.china_today()
    stmt = case_filter(_case_query(), user=user, today=today, **filters).order_by(
        PetitionCase.received_date.desc(), PetitionCase.id.desc()
    )
    rows, total = await paginate(session, stmt, limit=limit, offset=offset)
    return [to_read(c, today) for c in rows], total


async def _org_map(session: AsyncSession, ids: set[int]) -> dict[int, Organization]:
    if not ids:
        return {}
    return {o.id: o for o in (await session.execute(select(Organization).where(Organization.id.in_(ids)))).scalars()}


async def appointments_read(session: AsyncSession, rows: Sequence[Appointment]) -> list[AppointmentRead]:
    if not rows:
        return []
    leaders = {
        u.id: u for u in (await session.execute(select(User).where(User.id.in_({a.leader_id for a in rows})))).scalars()
    }
    numbers = await session.execute(
        select(PetitionCase.id, PetitionCase.external_id).where(PetitionCase.id.in_({a.case_id for a in rows}))
    )
    cases = {case_id: external_id for case_id, external_id in numbers}
    return [
        AppointmentRead(
            id=a.id,
            case_id=a.case_id,
            case_external_id=cases.get(a.case_id, ""),
            leader_id=a.leader_id,
            leader_name=leaders[a.leader_id].full_name if a.leader_id in leaders else "",
            starts_at=a.starts_at,
            ends_at=a.ends_at,
            status=a.status,
            location=a.location,
            outcome=a.outcome,
            created_at=a.created_at,
        )
        for a in rows
    ]


async def case_detail(session: AsyncSession, case: PetitionCase) -> CaseDetail:
    events = (
        (
            await session.execute(
                select(PetitionEvent).where(PetitionEvent.case_id == case.id).order_by(PetitionEvent.id)
            )
        )
        .scalars()
        .all()
    )
    orgs = await _org_map(session, {i for e in events for i in (e.holder_org_id, e.owner_org_id) if i is not None})
    appointments = (
        (
            await session.execute(
                select(Appointment).where(Appointment.case_id == case.id).order_by(Appointment.starts_at)
            )
        )
        .scalars()
        .all()
    )
    return CaseDetail(
        **to_read(case).model_dump(),
        events=[
            EventRead(
                id=e.id,
                at=e.at,
                kind=e.kind,
                action=e.action,
                from_status=e.from_status,
                to_status=e.to_status,
                stage=e.stage,
                due_date=e.due_date,
                late=e.late,
                holder=_ref(orgs.get(e.holder_org_id)) if e.holder_org_id else None,
                owner=_ref(orgs.get(e.owner_org_id)) if e.owner_org_id else None,
                via=e.via,
                actor_name=e.actor_name,
                note=e.note,
            )
            for e in events
        ],
        appointments=await appointments_read(session, appointments),
    )


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class Who:
    """Who made a change: a user, or a named integration."""

    user: User | None
    via: Via
    name: str

    @classmethod
    def of(cls, user: User, via: Via = Via.manual) -> Who:
        return cls(user, via, user.username)

    @classmethod
    def system(cls, via: Via, name: str) -> Who:
        return cls(None, via, name)


def _event(
    session: AsyncSession,
    case: PetitionCase,
    who: Who,
    kind: EventKind,
    *,
    action: Action | None = None,
    from_status: CaseStatus | None = None,
    late: bool = False,
    note: str | None = None,
    at: datetime | None = None,
) -> PetitionEvent:
    event = PetitionEvent(
        case_id=case.id,
        at=at or utcnow(),
        kind=kind,
        action=action,
        from_status=from_status,
        to_status=case.status if kind in (EventKind.status, EventKind.created) else None,
        stage=case.stage,
        due_date=case.due_date,
        late=late,
        holder_org_id=case.holder_org_id,
        owner_org_id=case.owner_org_id,
        via=who.via,
        actor_id=who.user.id if who.user else None,
        actor_name=who.name,
        note=note,
    )
    session.add(event)
    return event


async def _audit(session: AsyncSession, who: Who, action: str, case: PetitionCase, data: dict[str, Any]) -> None:
    await audit.record(
        session,
        actor=who.user,
        actor_name=None if who.user else who.name,
        action=action,
        entity_type="petition_case",
        entity_id=case.id,
        data={"external_id": case.external_id, "via": who.via.value, **data},
    )


def apply_step(case: PetitionCase, action: Action, on: date, target: Organization | None, clk: Clock) -> bool:
    """Apply one legal step's effects on ownership and the clock; return whether the closed stage was late."""
    late = False
    next_stage = stage_after(action, case.stage, case.reopen_count)
    if next_stage != case.stage or action in (Action.resolve, Action.close):
        late = clocks.is_overdue(case.due_date, on)
    if action == Action.assign and target is not None:
        case.holder_org_id = target.id  # 交办: the assigning body stays responsible
    elif action == Action.transfer and target is not None:
        case.owner_org_id = case.holder_org_id = target.id  # 转办: ownership moves
    elif action == Action.reopen:
        case.reopen_count += 1
        case.resolved_date = None
        case.holder_org_id = case.owner_org_id
    if action == Action.resolve:
        case.resolved_date = on
    if clock_restarts(action):
        case.stage_started_date = on
        case.due_date = clk.due(next_stage, on, extended=case.extended and next_stage == clocks.Stage.handling)
    elif next_stage == clocks.Stage.done:
        case.due_date = None
    case.stage = next_stage
    case.status = target_of(case.status, action)
    return late


async def _org(session: AsyncSession, org_id: int, loc: list[str | int]) -> Organization:
    org = await session.get(Organization, org_id)
    if org is None or not org.is_active:
        raise FieldError(loc, f"Organisation {org_id} does not exist")
    return org


async def create_case(session: AsyncSession, *, case_in: CaseCreate, actor: User) -> PetitionCase:
    """Enter a case by hand (cases normally arrive from the Sunshine system)."""
    if case_in.org_id is None and case_in.department_id is None:
        raise FieldError(["body", "org_id"], "Give the township (org_id), the department (department_id) or both")
    org = await _org(session, case_in.org_id, ["body", "org_id"]) if case_in.org_id else None
    dept = await _org(session, case_in.department_id, ["body", "department_id"]) if case_in.department_id else None
    if org is not None and org.kind not in TOWNSHIP_KINDS:
        raise FieldError(["body", "org_id"], "org_id must be a township or the working committee")
    if dept is not None and dept.kind != OrgKind.department:
        raise FieldError(["body", "department_id"], "department_id must be a county department")
    concerned = org or dept
    if concerned is not None and not await reaches(session, actor, concerned.id):
        raise Forbidden(f"{concerned.name} is outside the organisations you work for")
    existing = await session.scalar(
        select(PetitionCase.id).where(
            PetitionCase.source == DEFAULT_SOURCE, PetitionCase.external_id == case_in.external_id
        )
    )
    if existing is not None:
        raise FieldError(["body", "external_id"], f"Case {case_in.external_id} exists already (id {existing})")
    who = Who.of(actor)
    case = new_case(
        external_id=case_in.external_id,
        org=org,
        dept=dept,
        category=case_in.category,
        summary=case_in.summary,
        name=case_in.petitioner_name,
        phone=case_in.petitioner_phone,
        received=case_in.received_date,
        note=case_in.note,
        external_updated_at=None,
        source=DEFAULT_SOURCE,
    )
    session.add(case)
    await session.flush()
    _event(session, case, who, EventKind.created)
    await _audit(session, who, "petition.create", case, {"status": case.status.value})
    return await get_case(session, case.id)


def new_case(
    *,
    external_id: str,
    org: Organization | None,
    dept: Organization | None,
    category: str,
    summary: str,
    name: str,
    phone: str,
    received: date,
    note: str | None,
    external_updated_at: datetime | None,
    source: str,
) -> PetitionCase:
    owner = org or dept
    assert owner is not None
    return PetitionCase(
        source=source,
        external_id=external_id,
        org_id=org.id if org else None,
        department_id=dept.id if dept else None,
        owner_org_id=owner.id,
        holder_org_id=owner.id,
        category=category,
        summary=summary,
        petitioner_name=mask_name(name),
        petitioner_phone=mask_phone(phone),
        received_date=received,
        status=CaseStatus.accepted,
        stage=clocks.Stage.acceptance,
        stage_started_date=received,
        due_date=clock().due(clocks.Stage.acceptance, received, extended=False),
        extended=False,
        reopen_count=0,
        note=note,
        external_updated_at=external_updated_at,
    )


async def transition(
    session: AsyncSession,
    *,
    case: PetitionCase,
    to_status: CaseStatus,
    holder_org_id: int | None,
    note: str | None,
    actor: User,
) -> PetitionCase:
    """Move a case one legal step; 409 names the allowed next statuses."""
    try:
        action = action_for(case.status, to_status)
    except IllegalTransition as exc:
        raise TransitionRefused(
            str(exc), extra={"current": exc.current.value, "allowed": [a.value for a in exc.allowed]}
        ) from exc
    target: Organization | None = None
    if action in (Action.assign, Action.transfer):
        if holder_org_id is None:
            raise FieldError(["body", "holder_org_id"], f"Name the body the case is {to_status.value} to")
        target = await _org(session, holder_org_id, ["body", "holder_org_id"])
        if target.kind in (OrgKind.village, OrgKind.county):
            raise FieldError(["body", "holder_org_id"], "A case goes to a township or a county department")
    elif holder_org_id is not None:
        raise FieldError(["body", "holder_org_id"], "holder_org_id applies only to assigned or transferred")
    who = Who.of(actor)
    before = case.status
    late = apply_step(case, action, cal.china_today(), target, clock())
    await session.flush()
    _event(session, case, who, EventKind.status, action=action, from_status=before, late=late, note=note)
    await _audit(
        session,
        who,
        "petition.status",
        case,
        {"from": before.value, "to": case.status.value, "action": action.value, "holder_org_id": case.holder_org_id},
    )
    return await get_case(session, case.id)


async def extend(session: AsyncSession, *, case: PetitionCase, reason: str, actor: User) -> PetitionCase:
    """Extend the handling period once by the configured number of working days, with a reason."""
    if case.stage != clocks.Stage.handling:
        raise TransitionRefused(f"Only the handling stage can be extended; this case is in {case.stage.value}")
    if case.extended:
        raise AlreadyExtended("The handling period can be extended only once")
    clk = clock()
    case.extended = True
    case.extension_reason = reason
    case.due_date = clk.due(clocks.Stage.handling, case.stage_started_date, extended=True)
    await session.flush()
    who = Who.of(actor)
    _event(session, case, who, EventKind.extended, note=reason)
    await _audit(session, who, "petition.extend", case, {"due_date": str(case.due_date), "reason": reason})
    return await get_case(session, case.id)


# ---------------------------------------------------------------- appointments


async def get_appointment(session: AsyncSession, appointment_id: int) -> Appointment:
    appt = await session.get(Appointment, appointment_id)
    if appt is None:
        raise NotFound(f"Appointment {appointment_id} does not exist")
    return appt


async def book_appointment(
    session: AsyncSession, *, case: PetitionCase, appt_in: AppointmentCreate, actor: User
) -> AppointmentRead:
    """Book a leader's slot for the case's petitioner; a slot overlapping another of theirs is refused."""
    if appt_in.ends_at <= appt_in.starts_at:
        raise FieldError(["body", "ends_at"], "The appointment must end after it starts")
    if (appt_in.ends_at - appt_in.starts_at).total_seconds() > 8 * 3600:
        raise FieldError(["body", "ends_at"], "An appointment lasts at most 8 hours")
    leader_stmt = select(User).where(User.id == appt_in.leader_id)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        # Serialise bookings per leader so two overlapping requests cannot both pass the check.
        leader_stmt = leader_stmt.with_for_update()
    leader = (await session.execute(leader_stmt)).scalar_one_or_none()
    if leader is None or not leader.is_active or leader.role != Role.leader:
        raise FieldError(["body", "leader_id"], f"User {appt_in.leader_id} is not an active leader")
    clash = await session.scalar(
        select(Appointment.id).where(
            Appointment.leader_id == leader.id,
            Appointment.status.in_([AppointmentStatus.booked, AppointmentStatus.held]),
            Appointment.starts_at < appt_in.ends_at,
            Appointment.ends_at > appt_in.starts_at,
        )
    )
    if clash is not None:
        raise SlotTaken(
            f"{leader.full_name} already has appointment {clash} overlapping that time",
            extra={"appointment_id": clash},
        )
    appt = Appointment(
        case_id=case.id,
        leader_id=leader.id,
        starts_at=appt_in.starts_at,
        ends_at=appt_in.ends_at,
        location=appt_in.location,
        status=AppointmentStatus.booked,
        created_by_id=actor.id,
    )
    session.add(appt)
    await session.flush()
    who = Who.of(actor)
    when = appt_in.starts_at.astimezone(cal.CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    _event(session, case, who, EventKind.appointment_booked, note=f"{leader.full_name} {when}")
    await _audit(
        session, who, "petition.appointment", case, {"appointment_id": appt.id, "leader_id": leader.id, "at": when}
    )
    return (await appointments_read(session, [appt]))[0]


async def update_appointment(
    session: AsyncSession, *, appt: Appointment, appt_in: AppointmentUpdate, actor: User
) -> AppointmentRead:
    """Record that an appointment was held (with its outcome), missed or cancelled."""
    if appt.status != AppointmentStatus.booked:
        raise TransitionRefused(f"This appointment is {appt.status.value} already")
    appt.status = AppointmentStatus(appt_in.status)
    appt.outcome = appt_in.outcome
    await session.flush()
    case = await get_case(session, appt.case_id)
    who = Who.of(actor)
    note = f"{appt.status.value}: {appt_in.outcome}" if appt_in.outcome else appt.status.value
    _event(session, case, who, EventKind.appointment_outcome, note=note)
    await _audit(
        session, who, "petition.appointment_outcome", case, {"appointment_id": appt.id, "status": appt.status.value}
    )
    return (await appointments_read(session, [appt]))[0]


async def list_leaders(session: AsyncSession) -> list[User]:
    """The active leaders a video reception can be booked with."""
    stmt = select(User).where(User.role == Role.leader, User.is_active.is_(True)).order_by(User.username)
    return list((await session.execute(stmt)).scalars())


async def list_appointments(
    session: AsyncSession,
    *,
    user: User,
    leader_id: int | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    offset: int,
) -> tuple[list[AppointmentRead], int]:
    stmt = (
        select(Appointment)
        .join(PetitionCase, PetitionCase.id == Appointment.case_id)
        .where(visible_to(user))
        .order_by(Appointment.starts_at.desc())
    )
    if leader_id is not None:
        stmt = stmt.where(Appointment.leader_id == leader_id)
    if since is not None:
        stmt = stmt.where(Appointment.ends_at > since)
    if until is not None:
        stmt = stmt.where(Appointment.starts_at < until)
    rows, total = await paginate(session, stmt, limit=limit, offset=offset)
    return await appointments_read(session, rows), total


# ---------------------------------------------------------------- the integration upsert


class OrgLookup:
    """Resolve organisation codes once per batch."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._cache: dict[str, Organization | None] = {}

    async def get(self, code: str) -> Organization | None:
        if code not in self._cache:
            self._cache[code] = (
                await self.session.execute(select(Organization).where(Organization.code == code))
            ).scalar_one_or_none()
        return self._cache[code]

    async def resolve(self, item: SunshineCase) -> tuple[Organization | None, Organization | None]:
        if not item.org_code and not item.department_code:
            raise ExternalCaseError("org_code or department_code is required")
        org = dept = None
        if item.org_code:
            org = await self.get(item.org_code)
            if org is None or org.kind not in TOWNSHIP_KINDS:
                raise ExternalCaseError(f"org_code {item.org_code!r} is not a township")
        if item.department_code:
            dept = await self.get(item.department_code)
            if dept is None or dept.kind != OrgKind.department:
                raise ExternalCaseError(f"department_code {item.department_code!r} is not a county department")
        return org, dept


def _received(item: SunshineCase) -> date:
    value = item.received_at
    return cal.china_date(value) if isinstance(value, datetime) else value


async def _find(session: AsyncSession, source: str, external_id: str) -> PetitionCase | None:
    stmt = _case_query().where(PetitionCase.source == source, PetitionCase.external_id == external_id)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=PetitionCase)
    return (await session.execute(stmt.execution_options(populate_existing=True))).scalar_one_or_none()


async def _apply_status(
    session: AsyncSession, case: PetitionCase, item: SunshineCase, dept: Organization | None, who: Who
) -> bool:
    steps = path(case.status, item.status)
    if steps is None:
        raise ExternalCaseError(f"a case that is {case.status.value} cannot become {item.status.value}")
    if not steps:
        return False
    on = cal.china_date(item.updated_at)
    before = case.status
    late = False
    for _, action in steps:
        # The Sunshine system names only the department: that is where a case is assigned or transferred.
        target = dept if dept is not None and action in (Action.assign, Action.transfer) else None
        late = apply_step(case, action, on, target, clock()) or late
    await session.flush()
    actions = [a.value for _, a in steps]
    _event(
        session,
        case,
        who,
        EventKind.status,
        action=steps[-1][1],
        from_status=before,
        late=late,
        note=item.note if len(steps) == 1 else f"{' → '.join(actions)}" + (f": {item.note}" if item.note else ""),
    )
    await _audit(
        session, who, "petition.status", case, {"from": before.value, "to": case.status.value, "actions": actions}
    )
    return True


async def apply_external(
    session: AsyncSession, item: SunshineCase, *, source: str, who: Who, orgs: OrgLookup
) -> CaseResult:
    """Create or update one case from the Sunshine system, idempotently by (source, external_id)."""
    org, dept = await orgs.resolve(item)
    case = await _find(session, source, item.external_id)
    if case is None:
        new = new_case(
            external_id=item.external_id,
            org=org,
            dept=dept,
            category=item.category,
            summary=item.summary,
            name=item.petitioner_name,
            phone=item.petitioner_phone,
            received=_received(item),
            note=item.note,
            external_updated_at=item.updated_at,
            source=source,
        )
        try:
            # A concurrent request may insert the same case first: the unique constraint decides.
            async with session.begin_nested():
                session.add(new)
                await session.flush()
        except IntegrityError:
            case = await _find(session, source, item.external_id)
            if case is None:
                raise
        else:
            _event(session, new, who, EventKind.created, at=utcnow())
            await _audit(session, who, "petition.create", new, {"status": CaseStatus.accepted.value})
            await session.flush()
            loaded = await get_case(session, new.id)
            await _apply_status(session, loaded, item, dept, who)
            return CaseResult(external_id=item.external_id, result="created")

    if case.external_updated_at is not None and item.updated_at < case.external_updated_at:
        return CaseResult(external_id=item.external_id, result="stale")
    fields: dict[str, Any] = {
        "org_id": org.id if org else None,
        "department_id": dept.id if dept else None,
        "category": item.category,
        "summary": item.summary,
        "petitioner_name": mask_name(item.petitioner_name),
        "petitioner_phone": mask_phone(item.petitioner_phone),
        "received_date": _received(item),
        "note": item.note,
    }
    changed = {k: v for k, v in fields.items() if getattr(case, k) != v}
    if changed.keys() & {"received_date"} and case.stage == clocks.Stage.acceptance:
        changed["due_date"] = clock().due(clocks.Stage.acceptance, fields["received_date"], extended=False)
        changed["stage_started_date"] = fields["received_date"]
    for key, value in changed.items():
        setattr(case, key, value)
    if changed:
        await session.flush()
        _event(session, case, who, EventKind.updated, note=", ".join(sorted(changed)))
    status_changed = await _apply_status(session, case, item, dept, who)
    case.external_updated_at = item.updated_at
    await session.flush()
    if changed or status_changed:
        return CaseResult(external_id=item.external_id, result="updated")
    return CaseResult(external_id=item.external_id, result="unchanged")


async def apply_one(
    session: AsyncSession, raw: object, *, source: str, who: Who, orgs: OrgLookup
) -> tuple[CaseResult, datetime | None]:
    """Validate and apply one raw case in its own savepoint; a failure touches nothing else."""
    external_id = raw.get("external_id") if isinstance(raw, dict) else None
    ext = external_id if isinstance(external_id, str) else None
    try:
        item = SunshineCase.model_validate(raw)
    except ValidationError as exc:
        msgs = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'case'}: {e['msg']}" for e in exc.errors()[:5])
        return CaseResult(external_id=ext, result="error", error=msgs), None
    # A change dated ahead of our clock (beyond the skew the webhook timestamps are allowed) would
    # make every real later change of the case look stale, for ever: refuse the row instead.
    skew = get_settings().sunshine_webhook_tolerance_seconds
    if item.updated_at > utcnow() + timedelta(seconds=skew):
        error = f"updated_at: {item.updated_at.isoformat()} is more than {skew} s ahead of this server's clock"
        return CaseResult(external_id=item.external_id, result="error", error=error), None
    try:
        async with session.begin_nested():
            result = await apply_external(session, item, source=source, who=who, orgs=orgs)
    except ExternalCaseError as exc:
        return CaseResult(external_id=item.external_id, result="error", error=str(exc)), item.updated_at
    return result, item.updated_at


def count_results(run: SyncRun, results: Sequence[CaseResult]) -> None:
    """Add a batch's results to a run's counts (fresh runs start at zero, not at the column default)."""
    tally = {k: 0 for k in ("created", "updated", "unchanged", "stale", "error")}
    for r in results:
        tally[r.result] += 1
    run.received = (run.received or 0) + len(results)
    run.created = (run.created or 0) + tally["created"]
    run.updated = (run.updated or 0) + tally["updated"]
    run.unchanged = (run.unchanged or 0) + tally["unchanged"]
    run.stale = (run.stale or 0) + tally["stale"]
    run.failed = (run.failed or 0) + tally["error"]


def lag_seconds(newest: datetime | None, at: datetime) -> int | None:
    return None if newest is None else max(0, int((at - newest).total_seconds()))


async def receive_push(session: AsyncSession, *, source: str, message_id: str, body: bytes) -> PushResult:
    """Apply a verified webhook message once; a repeated message id is acknowledged and ignored."""
    try:
        async with session.begin_nested():
            message = WebhookMessage(source=source, message_id=message_id, results=[])
            session.add(message)
            await session.flush()
    except IntegrityError:
        seen = (
            await session.execute(
                select(WebhookMessage).where(WebhookMessage.source == source, WebhookMessage.message_id == message_id)
            )
        ).scalar_one()
        return PushResult(duplicate=True, results=[CaseResult.model_validate(r) for r in seen.results])

    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedPayload("The body is not JSON", errors=[{"loc": ["body"], "msg": str(exc)}]) from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("cases"), list) or set(payload) != {"cases"}:
        raise MalformedPayload(
            'The body must be {"cases": [...]}', errors=[{"loc": ["body", "cases"], "msg": "a list is required"}]
        )
    raw_cases: list[object] = payload["cases"]
    if len(raw_cases) > MAX_PUSH_CASES:
        raise MalformedPayload(
            f"At most {MAX_PUSH_CASES} cases per message",
            errors=[{"loc": ["body", "cases"], "msg": f"at most {MAX_PUSH_CASES} items"}],
        )
    who = Who.system(Via.push, f"{source}:push")
    orgs = OrgLookup(session)
    run = SyncRun(source=source, kind=SyncKind.push, status=SyncStatus.running, message_id=message_id)
    results: list[CaseResult] = []
    newest: datetime | None = None
    for raw in raw_cases:
        result, updated_at = await apply_one(session, raw, source=source, who=who, orgs=orgs)
        results.append(result)
        if updated_at is not None and result.result != "error":
            newest = updated_at if newest is None else max(newest, updated_at)
    count_results(run, results)
    run.finished_at = utcnow()
    run.status = SyncStatus.ok if run.failed == 0 else SyncStatus.partial
    run.lag_seconds = lag_seconds(newest, run.finished_at)
    run.cursor = newest
    run.errors = [r.model_dump() for r in results if r.result == "error"][:200]
    session.add(run)
    message.results = [r.model_dump() for r in results]
    await session.flush()
    return PushResult(duplicate=False, results=results)


# ---------------------------------------------------------------- sync log


async def list_sync_runs(
    session: AsyncSession, *, kind: SyncKind | None, status: SyncStatus | None, limit: int, offset: int
) -> tuple[Sequence[SyncRun], int]:
    stmt = select(SyncRun).order_by(SyncRun.id.desc())
    if kind is not None:
        stmt = stmt.where(SyncRun.kind == kind)
    if status is not None:
        stmt = stmt.where(SyncRun.status == status)
    return await paginate(session, stmt, limit=limit, offset=offset)


async def get_sync_run(session: AsyncSession, run_id: int) -> SyncRun:
    run = await session.get(SyncRun, run_id)
    if run is None:
        raise NotFound(f"Sync run {run_id} does not exist")
    return run
