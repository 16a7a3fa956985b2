"""Video receptions (预约视频接访): a petitioner's slot with a leader, booked, then held, missed or cancelled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import Role, User
from shuping.core import calendar as cal
from shuping.core.errors import FieldError, NotFound
from shuping.core.i18n import N_
from shuping.core.pagination import paginate
from shuping.petitions import repository, service
from shuping.petitions.errors import SlotTaken, TransitionRefused
from shuping.petitions.models import Appointment, AppointmentStatus, EventKind, PetitionCase
from shuping.petitions.schemas import AppointmentCreate, AppointmentRead, AppointmentUpdate


async def get_appointment(session: AsyncSession, appointment_id: int) -> Appointment:
    appt = await session.get(Appointment, appointment_id)
    if appt is None:
        raise NotFound(N_("Appointment {appointment_id} does not exist", appointment_id=appointment_id))
    return appt


async def book_appointment(
    session: AsyncSession, *, case: PetitionCase, appt_in: AppointmentCreate, actor: User
) -> AppointmentRead:
    """Book a leader's slot for the case's petitioner; a slot overlapping another of theirs is refused."""
    if appt_in.ends_at <= appt_in.starts_at:
        raise FieldError(["body", "ends_at"], N_("The appointment must end after it starts"))
    if (appt_in.ends_at - appt_in.starts_at).total_seconds() > 8 * 3600:
        raise FieldError(["body", "ends_at"], N_("An appointment lasts at most 8 hours"))
    leader_stmt = select(User).where(User.id == appt_in.leader_id)
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        # Serialise bookings per leader so two overlapping requests cannot both pass the check.
        leader_stmt = leader_stmt.with_for_update()
    leader = (await session.execute(leader_stmt)).scalar_one_or_none()
    if leader is None or not leader.is_active or leader.role != Role.leader:
        raise FieldError(
            ["body", "leader_id"], N_("User {leader_id} is not an active leader", leader_id=appt_in.leader_id)
        )
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
            N_(
                "{full_name} already has appointment {clash} overlapping that time",
                full_name=leader.full_name,
                clash=clash,
            ),
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
    who = service.Who.of(actor)
    when = appt_in.starts_at.astimezone(cal.CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    service.add_event(session, case, who, EventKind.appointment_booked, note=f"{leader.full_name} {when}")
    await service.audit_case(
        session, who, "petition.appointment", case, {"appointment_id": appt.id, "leader_id": leader.id, "at": when}
    )
    return (await repository.appointments_read(session, [appt]))[0]


async def update_appointment(
    session: AsyncSession, *, appt: Appointment, appt_in: AppointmentUpdate, actor: User
) -> AppointmentRead:
    """Record that an appointment was held (with its outcome), missed or cancelled."""
    if appt.status != AppointmentStatus.booked:
        raise TransitionRefused(N_("This appointment is {value} already", value=appt.status))
    appt.status = AppointmentStatus(appt_in.status)
    appt.outcome = appt_in.outcome
    await session.flush()
    case = await repository.get_case(session, appt.case_id)
    who = service.Who.of(actor)
    note = f"{appt.status.value}: {appt_in.outcome}" if appt_in.outcome else appt.status.value
    service.add_event(session, case, who, EventKind.appointment_outcome, note=note)
    await service.audit_case(
        session, who, "petition.appointment_outcome", case, {"appointment_id": appt.id, "status": appt.status.value}
    )
    return (await repository.appointments_read(session, [appt]))[0]


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
        .where(repository.visible_to(user))
        .order_by(Appointment.starts_at.desc())
    )
    if leader_id is not None:
        stmt = stmt.where(Appointment.leader_id == leader_id)
    if since is not None:
        stmt = stmt.where(Appointment.ends_at > since)
    if until is not None:
        stmt = stmt.where(Appointment.starts_at < until)
    rows, total = await paginate(session, stmt, limit=limit, offset=offset)
    return await repository.appointments_read(session, rows), total
