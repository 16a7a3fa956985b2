"""The petition case lifecycle: entered, moved one legal step at a time, extended; every change on the
case's history and in the audit log, its stage clock set by the clock configured for this process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import User
from shuping.config import Settings, get_settings
from shuping.core import calendar as cal
from shuping.core.errors import FieldError, Forbidden
from shuping.core.i18n import N_, message_of
from shuping.db import utcnow
from shuping.orgs.models import Organization, OrgKind
from shuping.orgs.scope import reaches
from shuping.petitions import calendar as clocks
from shuping.petitions import repository
from shuping.petitions.errors import AlreadyExtended, TransitionRefused
from shuping.petitions.masking import mask_name, mask_phone
from shuping.petitions.models import DEFAULT_SOURCE, EventKind, PetitionCase, PetitionEvent, Satisfaction, Via
from shuping.petitions.schemas import CaseCreate
from shuping.petitions.statemachine import (
    Action,
    CaseStatus,
    IllegalTransition,
    action_for,
    clock_restarts,
    stage_after,
    target_of,
)

TOWNSHIP_KINDS = (OrgKind.township, OrgKind.working_committee)


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


# ---------------------------------------------------------------- history


@dataclass(frozen=True)
class Who:
    """Who made a change: a user, or a named integration."""

    user: User | None
    via: Via
    name: str

    @classmethod
    def of(cls, user: User, via: Via = Via.manual) -> Who:
        return cls(user, via, user.full_name)

    @classmethod
    def system(cls, via: Via, name: str) -> Who:
        return cls(None, via, name)


def add_event(
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
    """Add a change to the case's history, as the case stands after it."""
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


async def audit_case(session: AsyncSession, who: Who, action: str, case: PetitionCase, data: dict[str, Any]) -> None:
    """Write a change of consequence to the audit log."""
    await audit.record(
        session,
        actor=who.user,
        actor_name=None if who.user else who.name,
        action=action,
        entity_type="petition_case",
        entity_id=case.id,
        data={"external_id": case.external_id, "via": who.via.value, **data},
    )


# ---------------------------------------------------------------- moves


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
        # The rating belonged to the answer now reopened; the next closing takes a new one.
        case.closed_date = None
        case.satisfaction = None
        case.holder_org_id = case.owner_org_id
    if action == Action.start and case.accepted_date is None:
        case.accepted_date = on  # the acceptance decision: its clock stops here (及时受理)
    if action == Action.resolve:
        case.resolved_date = on
        if case.handled_date is None:
            case.handled_date = on  # the first handling stage ends here (按期办结); review stages do not count
    if action == Action.close:
        case.closed_date = on
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
        raise FieldError(loc, N_("Organisation {org_id} does not exist", org_id=org_id))
    return org


async def create_case(session: AsyncSession, *, case_in: CaseCreate, actor: User) -> PetitionCase:
    """Enter a case by hand (cases normally arrive from the Sunshine system)."""
    if case_in.org_id is None and case_in.department_id is None:
        raise FieldError(["body", "org_id"], N_("Give the township (org_id), the department (department_id) or both"))
    org = await _org(session, case_in.org_id, ["body", "org_id"]) if case_in.org_id else None
    dept = await _org(session, case_in.department_id, ["body", "department_id"]) if case_in.department_id else None
    if org is not None and org.kind not in TOWNSHIP_KINDS:
        raise FieldError(["body", "org_id"], N_("org_id must be a township or the working committee"))
    if dept is not None and dept.kind != OrgKind.department:
        raise FieldError(["body", "department_id"], N_("department_id must be a county department"))
    concerned = org or dept
    if concerned is not None and not await reaches(session, actor, concerned.id):
        raise Forbidden(N_("{name} is outside the organisations you work for", name=concerned.name))
    existing = await session.scalar(
        select(PetitionCase.id).where(
            PetitionCase.source == DEFAULT_SOURCE, PetitionCase.external_id == case_in.external_id
        )
    )
    if existing is not None:
        raise FieldError(
            ["body", "external_id"],
            N_("Case {external_id} exists already (id {existing})", external_id=case_in.external_id, existing=existing),
        )
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
    add_event(session, case, who, EventKind.created)
    await audit_case(session, who, "petition.create", case, {"status": case.status.value})
    return await repository.get_case(session, case.id)


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
    satisfaction: Satisfaction | None = None,
) -> PetitionCase:
    """Move a case one legal step; 409 names the allowed next statuses. Closing may record the
    petitioner's rating (none: not rated)."""
    try:
        action = action_for(case.status, to_status)
    except IllegalTransition as exc:
        raise TransitionRefused(
            message_of(exc), extra={"current": exc.current.value, "allowed": [a.value for a in exc.allowed]}
        ) from exc
    target: Organization | None = None
    if action in (Action.assign, Action.transfer):
        if holder_org_id is None:
            raise FieldError(["body", "holder_org_id"], N_("Name the body the case is {value} to", value=to_status))
        target = await _org(session, holder_org_id, ["body", "holder_org_id"])
        if target.kind in (OrgKind.village, OrgKind.county):
            raise FieldError(["body", "holder_org_id"], N_("A case goes to a township or a county department"))
    elif holder_org_id is not None:
        raise FieldError(["body", "holder_org_id"], N_("holder_org_id applies only to assigned or transferred"))
    if satisfaction is not None and action != Action.close:
        raise FieldError(["body", "satisfaction"], N_("The petitioner's rating is recorded only on closing"))
    who = Who.of(actor)
    before = case.status
    late = apply_step(case, action, cal.china_today(), target, clock())
    if action == Action.close:
        case.satisfaction = satisfaction
    await session.flush()
    add_event(session, case, who, EventKind.status, action=action, from_status=before, late=late, note=note)
    await audit_case(
        session,
        who,
        "petition.status",
        case,
        {
            "from": before.value,
            "to": case.status.value,
            "action": action.value,
            "holder_org_id": case.holder_org_id,
            **({"satisfaction": satisfaction.value} if satisfaction is not None else {}),
        },
    )
    return await repository.get_case(session, case.id)


async def extend(session: AsyncSession, *, case: PetitionCase, reason: str, actor: User) -> PetitionCase:
    """Extend the handling period once by the configured number of working days, with a reason."""
    if case.stage != clocks.Stage.handling:
        raise TransitionRefused(
            N_("Only the handling stage can be extended; this case is in {value}", value=case.stage)
        )
    if case.extended:
        raise AlreadyExtended(N_("The handling period can be extended only once"))
    clk = clock()
    case.extended = True
    case.extension_reason = reason
    case.due_date = clk.due(clocks.Stage.handling, case.stage_started_date, extended=True)
    await session.flush()
    who = Who.of(actor)
    add_event(session, case, who, EventKind.extended, note=reason)
    await audit_case(session, who, "petition.extend", case, {"due_date": str(case.due_date), "reason": reason})
    return await repository.get_case(session, case.id)
