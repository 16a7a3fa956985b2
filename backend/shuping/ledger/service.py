"""The ledger's common ground: its clock, who sees and does what, loading, the history every change
writes, and filing an opinion into an item (the one way an item is born, whatever the opinion's source)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import STAFF_ROLES, Role, User
from shuping.config import get_settings
from shuping.core import calendar as cal
from shuping.core.errors import FieldError, Forbidden, NotFound
from shuping.core.i18n import N_
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle, CycleStage, OpinionCategory
from shuping.cycles.schemas import OrgRef
from shuping.db import utcnow
from shuping.ledger import deadlines
from shuping.ledger import statemachine as sm
from shuping.ledger.models import EventKind, LedgerEvent, LedgerItem, LedgerItemOpinion, Opinion, OpinionSource
from shuping.orgs.models import Organization
from shuping.orgs.scope import within_reach
from shuping.petitions import service as petitions_service

# Roles that read every item; a secretary reads their own organisation's.
ALL_ITEMS_ROLES = frozenset({Role.admin, Role.leader})
READER_ROLES = STAFF_ROLES | ALL_ITEMS_ROLES | {Role.secretary}
# Opinions are taken while a cycle is being evaluated and afterwards, until it closes.
OPINION_STAGES = (CycleStage.evaluation, CycleStage.assessment, CycleStage.rectification)
TITLE_CHARS = 60


# --- clocks ----------------------------------------------------------------------------------


def calendar() -> cal.WorkCalendar:
    """The working-day calendar the petition clocks use (holidays configured once, for both)."""
    return petitions_service.clock().calendar


@dataclass(frozen=True)
class Today:
    day: date
    soon_until: date
    window: int

    @classmethod
    def now(cls, day: date | None = None) -> Today:
        day = day or cal.china_today()
        window = get_settings().ledger_due_soon_days
        return cls(day, deadlines.soon_until(calendar(), day, window), window)


# --- who may do what -------------------------------------------------------------------------


def visible_to(user: User) -> ColumnElement[bool]:
    """The one scoping rule for items: administrators and leaders see all; a clerk the items of
    the organisations they reach; a secretary their organisation's."""
    if user.role in ALL_ITEMS_ROLES:
        return true()
    if user.role == Role.clerk:
        return within_reach(user, LedgerItem.org_id)
    if user.role == Role.secretary:
        return or_(LedgerItem.org_id == user.org_id, LedgerItem.owner_user_id == user.id)
    return false()


def opinions_visible_to(user: User) -> ColumnElement[bool]:
    if user.role in ALL_ITEMS_ROLES:
        return true()
    if user.role == Role.clerk:
        return within_reach(user, Opinion.org_id)
    if user.role == Role.secretary:
        return Opinion.org_id == user.org_id
    return false()


def is_owner(user: User, item: LedgerItem) -> bool:
    return (user.role == Role.secretary and user.org_id == item.org_id) or user.id == item.owner_user_id


def parties(user: User, item: LedgerItem, cycle: Cycle) -> frozenset[sm.Party]:
    """What the user acts as on this item: its owner, the org department hosting its cycle, or neither."""
    out: set[sm.Party] = set()
    if cycles_service.can_manage(user, cycle):
        out.add(sm.Party.staff)
    if is_owner(user, item):
        out.add(sm.Party.owner)
    return frozenset(out)


def require_party(user: User, item: LedgerItem, cycle: Cycle) -> None:
    """The caller works on this item: as its owner organisation or as the org department hosting its cycle."""
    if not parties(user, item, cycle):
        raise Forbidden(N_("Only the owner organisation and the organisation department change this item"))


def require_staff(user: User, cycle: Cycle) -> None:
    if not cycles_service.can_manage(user, cycle):
        raise Forbidden(N_("Only administrators, and clerks of the host organisation, manage this cycle's ledger"))


def require_opinion_stage(cycle: Cycle) -> None:
    cycles_service.require_stage(cycle, *OPINION_STAGES, doing=N_("take opinions"))


# --- loading ---------------------------------------------------------------------------------


async def get_cycle(session: AsyncSession, cycle_id: int) -> Cycle:
    cycle = await session.get(Cycle, cycle_id)
    if cycle is None:
        raise NotFound(N_("Cycle {cycle_id} does not exist", cycle_id=cycle_id))
    return cycle


async def get_item(session: AsyncSession, item_id: int, *, user: User | None = None) -> LedgerItem:
    """Load an item, or 404 (also when the user may not see it)."""
    stmt = select(LedgerItem).where(LedgerItem.id == item_id).execution_options(populate_existing=True)
    if user is not None:
        stmt = stmt.where(visible_to(user))
    item = (await session.execute(stmt)).scalar_one_or_none()
    if item is None:
        raise NotFound(N_("Ledger item {item_id} does not exist", item_id=item_id))
    return item


async def categories_of(session: AsyncSession, cycle_id: int) -> list[str]:
    stmt = select(OpinionCategory.name).where(OpinionCategory.cycle_id == cycle_id).order_by(OpinionCategory.position)
    return list((await session.execute(stmt)).scalars())


async def orgs_by_id(session: AsyncSession, ids: set[int]) -> dict[int, Organization]:
    if not ids:
        return {}
    return {o.id: o for o in (await session.execute(select(Organization).where(Organization.id.in_(ids)))).scalars()}


def org_ref(org: Organization) -> OrgRef:
    return OrgRef(id=org.id, code=org.code, name=org.name)


async def check_category(session: AsyncSession, cycle: Cycle, category: str, loc: list[str | int]) -> str:
    names = await categories_of(session, cycle.id)
    if category not in names:
        raise FieldError(loc, N_("Not one of the cycle's categories: {value}", value=", ".join(names) or "none set"))
    return category


# --- history ---------------------------------------------------------------------------------


def actor_name(actor: User | None) -> str:
    return actor.full_name if actor is not None else "system"


def event(
    session: AsyncSession,
    item: LedgerItem,
    actor: User | None,
    kind: EventKind,
    *,
    action: sm.Action | None = None,
    from_status: sm.ItemStatus | None = None,
    note: str | None = None,
) -> LedgerEvent:
    entry = LedgerEvent(
        item_id=item.id,
        at=utcnow(),
        kind=kind,
        action=action,
        from_status=from_status,
        to_status=item.status if kind in (EventKind.status, EventKind.created) else None,
        actor_id=actor.id if actor else None,
        actor_name=actor_name(actor),
        note=note,
    )
    session.add(entry)
    return entry


async def audit_item(
    session: AsyncSession, actor: User | None, action: str, item: LedgerItem, data: dict[str, Any]
) -> None:
    await audit.record(
        session,
        actor=actor,
        actor_name=None if actor else "system",
        action=action,
        entity_type="ledger_item",
        entity_id=item.id,
        data={"cycle_id": item.cycle_id, "org_id": item.org_id, **data},
    )


# --- filing an opinion -----------------------------------------------------------------------


def is_anonymous(opinion: Opinion) -> bool:
    return opinion.source in (OpinionSource.ballot, OpinionSource.paper) and opinion.author_id is None


def default_title(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= TITLE_CHARS else flat[: TITLE_CHARS - 1] + "…"


async def default_owner(session: AsyncSession, org_id: int) -> int | None:
    """The organisation's active secretary, who answers for its items unless someone else is named."""
    stmt = (
        select(User.id)
        .where(User.org_id == org_id, User.role == Role.secretary, User.is_active.is_(True))
        .order_by(User.id)
        .limit(1)
    )
    return await session.scalar(stmt)


async def new_item(
    session: AsyncSession,
    *,
    cycle: Cycle,
    org_id: int,
    category: str | None,
    title: str,
    measures: str | None,
    due_days: int | None,
    start: date | None = None,
) -> LedgerItem:
    """Open a ledger item (flushed, so it has an id); its history and audit are the caller's."""
    start = start or cal.china_today()
    days = due_days or get_settings().ledger_due_days
    item = LedgerItem(
        cycle_id=cycle.id,
        org_id=org_id,
        owner_user_id=await default_owner(session, org_id),
        category=category,
        title=title,
        measures=measures,
        status=sm.ItemStatus.open,
        start_date=start,
        due_days=days,
        due_date=deadlines.due_date(calendar(), start, days),
    )
    session.add(item)
    await session.flush()
    return item


def link(session: AsyncSession, item: LedgerItem, opinion: Opinion) -> None:
    session.add(LedgerItemOpinion(opinion_id=opinion.id, item_id=item.id, added_at=utcnow()))


async def file_opinion(
    session: AsyncSession,
    *,
    cycle: Cycle,
    opinion: Opinion,
    actor: User | None,
    item: LedgerItem | None = None,
    title: str | None = None,
    measures: str | None = None,
    due_days: int | None = None,
) -> LedgerItem:
    """Put a new (flushed) opinion into the ledger: into `item`, or into an item opened for it."""
    if item is None:
        item = await new_item(
            session,
            cycle=cycle,
            org_id=opinion.org_id,
            category=opinion.category,
            title=title or default_title(opinion.text),
            measures=measures,
            due_days=due_days,
        )
        link(session, item, opinion)
        event(session, item, actor, EventKind.created, note=f"opinion {opinion.id} ({opinion.source.value})")
        await audit_item(
            session,
            actor,
            "ledger.item_create",
            item,
            {"opinion_id": opinion.id, "source": opinion.source.value, "due_date": str(item.due_date)},
        )
    else:
        link(session, item, opinion)
        event(session, item, actor, EventKind.opinion_added, note=f"opinion {opinion.id} ({opinion.source.value})")
        await audit_item(session, actor, "ledger.opinion_add", item, {"opinion_id": opinion.id})
    await session.flush()
    return item
