"""Reading petition cases: the one scoping rule, loading, the filtered list and what a reader is shown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.auth.models import Role, User
from shuping.core import calendar as cal
from shuping.core.errors import NotFound
from shuping.core.i18n import N_
from shuping.core.pagination import paginate
from shuping.orgs.models import Organization
from shuping.orgs.scope import within_reach
from shuping.petitions import calendar as clocks
from shuping.petitions.models import Appointment, PetitionCase, PetitionEvent
from shuping.petitions.schemas import AppointmentRead, CaseDetail, CaseRead, EventRead, OrgRef
from shuping.petitions.statemachine import OPEN_STATUSES, CaseStatus, allowed_targets

# Roles that read every case (leaders receive petitioners); a clerk reads the cases of the
# organisations they reach, a secretary those of their own organisation.
ALL_CASES_ROLES = frozenset({Role.admin, Role.leader})


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


def case_query() -> Select[PetitionCase]:
    """Cases with their organisations loaded (relationships never load lazily)."""
    return select(PetitionCase).options(
        selectinload(PetitionCase.org),
        selectinload(PetitionCase.department),
        selectinload(PetitionCase.owner),
        selectinload(PetitionCase.holder),
    )


async def get_case(session: AsyncSession, case_id: int, *, user: User | None = None) -> PetitionCase:
    """Load a case with its organisations, or 404 (also when the user may not see it)."""
    stmt = case_query().where(PetitionCase.id == case_id).execution_options(populate_existing=True)
    if user is not None:
        stmt = stmt.where(visible_to(user))
    case = (await session.execute(stmt)).scalar_one_or_none()
    if case is None:
        raise NotFound(N_("Petition case {case_id} does not exist", case_id=case_id))
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
        accepted_date=case.accepted_date,
        handled_date=case.handled_date,
        closed_date=case.closed_date,
        satisfaction=case.satisfaction,
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
    stmt = case_filter(case_query(), user=user, today=today, **filters).order_by(
        PetitionCase.received_date.desc(), PetitionCase.id.desc()
    )
    rows, total = await paginate(session, stmt, limit=limit, offset=offset)
    return [to_read(c, today) for c in rows], total


async def count_cases(session: AsyncSession, *, user: User, **filters: Any) -> int:
    """How many cases `list_cases` finds with these filters (its `total`), in one query."""
    stmt = case_filter(select(func.count(PetitionCase.id)), user=user, today=cal.china_today(), **filters)
    return int(await session.scalar(stmt) or 0)


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
        select(PetitionCase.id, PetitionCase.external_id, PetitionCase.petitioner_name, PetitionCase.org_id).where(
            PetitionCase.id.in_({a.case_id for a in rows})
        )
    )
    cases = {case_id: (external_id, name, org_id) for case_id, external_id, name, org_id in numbers}
    orgs = await _org_map(session, {org_id for _, _, org_id in cases.values() if org_id is not None})
    return [
        AppointmentRead(
            id=a.id,
            case_id=a.case_id,
            case_external_id=cases[a.case_id][0] if a.case_id in cases else "",
            petitioner_name=cases[a.case_id][1] if a.case_id in cases else "",
            org=_ref(orgs.get(cases[a.case_id][2] or 0)) if a.case_id in cases else None,
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
