"""Opinions and the rectification ledger: who sees and does what, items, their steps, notes and history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, false, func, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import STAFF_ROLES, Role, User
from shuping.config import get_settings
from shuping.core import calendar as cal
from shuping.core.errors import Conflict, FieldError, Forbidden, InvalidState, NotFound
from shuping.core.pagination import paginate
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle, CycleStage, OpinionCategory
from shuping.cycles.schemas import OrgRef
from shuping.db import utcnow
from shuping.ledger import deadlines
from shuping.ledger import statemachine as sm
from shuping.ledger.errors import ItemClosed, TransitionRefused
from shuping.ledger.models import (
    EventKind,
    LedgerEvent,
    LedgerEvidence,
    LedgerItem,
    LedgerItemOpinion,
    LedgerNote,
    Opinion,
    OpinionSource,
)
from shuping.ledger.schemas import (
    CategoryCount,
    CycleRef,
    EventRead,
    EvidenceRead,
    HarvestResult,
    ItemDetail,
    ItemOpinion,
    ItemRead,
    ItemUpdate,
    NoteCreate,
    NoteRead,
    OpinionCreate,
    OpinionList,
    OpinionRead,
    OrgCount,
    UserRef,
)
from shuping.meetings.models import AgendaItem, Ballot, BallotSource, Meeting, MeetingStatus, Voting
from shuping.orgs.models import Organization
from shuping.orgs.scope import within_reach
from shuping.petitions import service as petitions_service
from shuping.reports.models import Report

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


def require_staff(user: User, cycle: Cycle) -> None:
    if not cycles_service.can_manage(user, cycle):
        raise Forbidden("Only administrators, and clerks of the host organisation, manage this cycle's ledger")


def _require_open(item: LedgerItem, doing: str) -> None:
    if item.status in sm.CLOSED:
        raise ItemClosed(f"Cannot {doing}: item {item.id} is {item.status.value}")


# --- loading ---------------------------------------------------------------------------------


async def get_cycle(session: AsyncSession, cycle_id: int) -> Cycle:
    cycle = await session.get(Cycle, cycle_id)
    if cycle is None:
        raise NotFound(f"Cycle {cycle_id} does not exist")
    return cycle


async def get_item(session: AsyncSession, item_id: int, *, user: User | None = None) -> LedgerItem:
    """Load an item, or 404 (also when the user may not see it)."""
    stmt = select(LedgerItem).where(LedgerItem.id == item_id).execution_options(populate_existing=True)
    if user is not None:
        stmt = stmt.where(visible_to(user))
    item = (await session.execute(stmt)).scalar_one_or_none()
    if item is None:
        raise NotFound(f"Ledger item {item_id} does not exist")
    return item


async def categories_of(session: AsyncSession, cycle_id: int) -> list[str]:
    stmt = select(OpinionCategory.name).where(OpinionCategory.cycle_id == cycle_id).order_by(OpinionCategory.position)
    return list((await session.execute(stmt)).scalars())


async def _orgs(session: AsyncSession, ids: set[int]) -> dict[int, Organization]:
    if not ids:
        return {}
    return {o.id: o for o in (await session.execute(select(Organization).where(Organization.id.in_(ids)))).scalars()}


async def _users(session: AsyncSession, ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in (await session.execute(select(User).where(User.id.in_(ids)))).scalars()}


async def _cycles(session: AsyncSession, ids: set[int]) -> dict[int, Cycle]:
    if not ids:
        return {}
    return {c.id: c for c in (await session.execute(select(Cycle).where(Cycle.id.in_(ids)))).scalars()}


def org_ref(org: Organization) -> OrgRef:
    return OrgRef(id=org.id, code=org.code, name=org.name)


# --- reading items ---------------------------------------------------------------------------


async def opinion_counts(session: AsyncSession, item_ids: Sequence[int]) -> dict[int, int]:
    if not item_ids:
        return {}
    stmt = (
        select(LedgerItemOpinion.item_id, func.count())
        .where(LedgerItemOpinion.item_id.in_(item_ids))
        .group_by(LedgerItemOpinion.item_id)
    )
    return {int(i): int(n) for i, n in (await session.execute(stmt)).all()}


async def reads(
    session: AsyncSession, items: Sequence[LedgerItem], *, user: User, today: Today | None = None
) -> list[ItemRead]:
    """Items as the user sees them, with deadlines judged on today's Beijing date."""
    if not items:
        return []
    today = today or Today.now()
    clock = calendar()
    orgs = await _orgs(session, {i.org_id for i in items})
    owners = await _users(session, {i.owner_user_id for i in items if i.owner_user_id is not None})
    cycles = await _cycles(session, {i.cycle_id for i in items})
    counts = await opinion_counts(session, [i.id for i in items])
    out: list[ItemRead] = []
    for item in items:
        cycle = cycles[item.cycle_id]
        owner = owners.get(item.owner_user_id) if item.owner_user_id is not None else None
        active = item.status in sm.ACTIVE
        out.append(
            ItemRead(
                id=item.id,
                cycle=CycleRef(id=cycle.id, name=cycle.name),
                org=org_ref(orgs[item.org_id]),
                owner=UserRef(id=owner.id, full_name=owner.full_name) if owner is not None else None,
                category=item.category,
                title=item.title,
                measures=item.measures,
                status=item.status,
                status_reason=item.status_reason,
                start_date=item.start_date,
                due_days=item.due_days,
                due_date=item.due_date,
                working_days_left=deadlines.working_days_left(clock, item.due_date, today.day) if active else None,
                overdue=deadlines.is_overdue(item.status, item.due_date, today.day),
                due_soon=deadlines.is_due_soon(item.status, item.due_date, today.day, today.soon_until),
                done_date=item.done_date,
                verified_date=item.verified_date,
                opinion_count=counts.get(item.id, 0),
                allowed_transitions=list(sm.allowed_targets(item.status, parties(user, item, cycle))),
                public=item.public,
                public_title=item.public_title,
                created_at=item.created_at,
                updated_at=item.updated_at,
            )
        )
    return out


async def read(session: AsyncSession, item: LedgerItem, *, user: User) -> ItemRead:
    return (await reads(session, [item], user=user))[0]


def item_filter(
    stmt: Select[Any],
    *,
    user: User,
    today: Today,
    cycle_id: int | None = None,
    org_id: int | None = None,
    category: str | None = None,
    status: Sequence[sm.ItemStatus] | None = None,
    overdue: bool | None = None,
    due_soon: bool | None = None,
    mine: bool | None = None,
    q: str | None = None,
) -> Select[Any]:
    stmt = stmt.where(visible_to(user))
    if cycle_id is not None:
        stmt = stmt.where(LedgerItem.cycle_id == cycle_id)
    if org_id is not None:
        stmt = stmt.where(LedgerItem.org_id == org_id)
    if category is not None:
        stmt = stmt.where(LedgerItem.category == category)
    if status:
        stmt = stmt.where(LedgerItem.status.in_(status))
    late = overdue_clause(today)
    if overdue is True:
        stmt = stmt.where(late)
    elif overdue is False:
        stmt = stmt.where(~late)
    soon = due_soon_clause(today)
    if due_soon is True:
        stmt = stmt.where(soon)
    elif due_soon is False:
        stmt = stmt.where(~soon)
    if mine:
        stmt = stmt.where(or_(LedgerItem.org_id == user.org_id, LedgerItem.owner_user_id == user.id))
    if q:
        like = f"%{q}%"
        stmt = stmt.where(LedgerItem.title.ilike(like) | LedgerItem.measures.ilike(like))
    return stmt


def overdue_clause(today: Today) -> ColumnElement[bool]:
    return LedgerItem.status.in_(sm.ACTIVE) & (LedgerItem.due_date < today.day)


def due_soon_clause(today: Today) -> ColumnElement[bool]:
    return (
        LedgerItem.status.in_(sm.ACTIVE)
        & (LedgerItem.due_date >= today.day)
        & (LedgerItem.due_date <= today.soon_until)
    )


async def list_items(
    session: AsyncSession, *, user: User, limit: int, offset: int, today: Today | None = None, **filters: Any
) -> tuple[list[ItemRead], int]:
    today = today or Today.now()
    stmt = item_filter(select(LedgerItem), user=user, today=today, **filters).order_by(
        LedgerItem.due_date, LedgerItem.id
    )
    rows, total = await paginate(session, stmt, limit=limit, offset=offset)
    return await reads(session, rows, user=user, today=today), total


async def detail(session: AsyncSession, item: LedgerItem, *, user: User) -> ItemDetail:
    base = await read(session, item, user=user)
    opinions = (
        (
            await session.execute(
                select(Opinion)
                .join(LedgerItemOpinion, LedgerItemOpinion.opinion_id == Opinion.id)
                .where(LedgerItemOpinion.item_id == item.id)
                .order_by(Opinion.id)
            )
        )
        .scalars()
        .all()
    )
    notes = (
        (
            await session.execute(
                select(LedgerNote).where(LedgerNote.item_id == item.id).order_by(LedgerNote.note_date, LedgerNote.id)
            )
        )
        .scalars()
        .all()
    )
    evidence = (
        (
            await session.execute(
                select(LedgerEvidence).where(LedgerEvidence.item_id == item.id).order_by(LedgerEvidence.id)
            )
        )
        .scalars()
        .all()
    )
    events = (
        (await session.execute(select(LedgerEvent).where(LedgerEvent.item_id == item.id).order_by(LedgerEvent.id)))
        .scalars()
        .all()
    )
    cycle = await get_cycle(session, item.cycle_id)
    who = parties(user, item, cycle)
    return ItemDetail(
        **base.model_dump(),
        opinions=[
            ItemOpinion(
                id=o.id,
                category=o.category,
                text=o.text,
                source=o.source,
                meeting_id=o.meeting_id,
                anonymous=is_anonymous(o),
                created_at=o.created_at,
            )
            for o in opinions
        ],
        notes=[NoteRead.model_validate(n) for n in notes],
        evidence=[EvidenceRead.model_validate(e) for e in evidence],
        events=[EventRead.model_validate(e) for e in events],
        can_edit=bool(who) and item.status not in sm.CLOSED,
        # A finished item may still be shown or withdrawn: verified work is what the board is for.
        can_publish=sm.Party.staff in who,
    )


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


# --- opinions and the items they open --------------------------------------------------------


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


async def reporting_org(session: AsyncSession, cycle: Cycle, org_id: int, loc: list[str | int]) -> Organization:
    """The organisation, which must report in the cycle (opinions concern its secretary's work)."""
    org = await session.get(Organization, org_id)
    if org is None:
        raise FieldError(loc, f"Organisation {org_id} does not exist")
    reports = await session.scalar(select(Report.id).where(Report.cycle_id == cycle.id, Report.org_id == org_id))
    if reports is None:
        raise FieldError(loc, f"{org.name} does not report in cycle {cycle.name}")
    return org


async def check_category(session: AsyncSession, cycle: Cycle, category: str, loc: list[str | int]) -> str:
    names = await categories_of(session, cycle.id)
    if category not in names:
        raise FieldError(loc, f"Not one of the cycle's categories: {', '.join(names) or 'none set'}")
    return category


def require_opinion_stage(cycle: Cycle) -> None:
    cycles_service.require_stage(cycle, *OPINION_STAGES, doing="take opinions")


async def target_item(
    session: AsyncSession, cycle: Cycle, org_id: int, item_id: int, loc: list[str | int]
) -> LedgerItem:
    """An existing item a new opinion may join: same cycle and organisation, still being worked on."""
    item = await session.get(LedgerItem, item_id)
    if item is None or item.cycle_id != cycle.id:
        raise FieldError(loc, f"Ledger item {item_id} is not in this cycle")
    if item.org_id != org_id:
        raise FieldError(loc, f"Ledger item {item_id} belongs to another organisation")
    if item.status not in sm.ACTIVE:
        raise FieldError(loc, f"Ledger item {item_id} is {item.status.value}; open a new item instead")
    return item


async def create_opinion(session: AsyncSession, *, cycle: Cycle, opinion_in: OpinionCreate, actor: User) -> OpinionRead:
    """A clerk enters an opinion; it lands in the ledger at once (a new item, or the one named)."""
    require_staff(actor, cycle)
    require_opinion_stage(cycle)
    if opinion_in.source not in (OpinionSource.meeting, OpinionSource.clerk):
        raise FieldError(
            ["body", "source"], "Enter opinions as meeting or clerk; ballots are harvested, paper imported"
        )
    org = await reporting_org(session, cycle, opinion_in.org_id, ["body", "org_id"])
    await check_category(session, cycle, opinion_in.category, ["body", "category"])
    if opinion_in.meeting_id is not None:
        meeting_cycle = await session.scalar(select(Meeting.cycle_id).where(Meeting.id == opinion_in.meeting_id))
        if meeting_cycle != cycle.id:
            raise FieldError(["body", "meeting_id"], f"Meeting {opinion_in.meeting_id} is not in this cycle")
    elif opinion_in.source == OpinionSource.meeting:
        raise FieldError(["body", "meeting_id"], "Name the meeting the opinion was raised in")
    item = None
    if opinion_in.item_id is not None:
        item = await target_item(session, cycle, org.id, opinion_in.item_id, ["body", "item_id"])
        for name in ("title", "measures", "due_days"):
            if getattr(opinion_in, name) is not None:
                raise FieldError(["body", name], f"{name} applies to a new item, not to joining item {item.id}")
    opinion = Opinion(
        cycle_id=cycle.id,
        org_id=org.id,
        category=opinion_in.category,
        text=opinion_in.text,
        source=opinion_in.source,
        meeting_id=opinion_in.meeting_id,
        author_id=actor.id,
        created_by_id=actor.id,
        created_at=utcnow(),
    )
    session.add(opinion)
    await session.flush()
    filed = await file_opinion(
        session,
        cycle=cycle,
        opinion=opinion,
        actor=actor,
        item=item,
        title=opinion_in.title,
        measures=opinion_in.measures,
        due_days=opinion_in.due_days,
    )
    await audit.record(
        session,
        actor=actor,
        action="opinion.create",
        entity_type="opinion",
        entity_id=opinion.id,
        data={"cycle_id": cycle.id, "org_id": org.id, "category": opinion.category, "item_id": filed.id},
    )
    return opinion_read(opinion, org, filed.id)


def opinion_read(opinion: Opinion, org: Organization, item_id: int | None) -> OpinionRead:
    return OpinionRead(
        id=opinion.id,
        cycle_id=opinion.cycle_id,
        org=org_ref(org),
        category=opinion.category,
        text=opinion.text,
        source=opinion.source,
        meeting_id=opinion.meeting_id,
        anonymous=is_anonymous(opinion),
        item_id=item_id,
        created_at=opinion.created_at,
    )


async def list_opinions(
    session: AsyncSession,
    *,
    cycle: Cycle,
    user: User,
    org_id: int | None,
    category: str | None,
    source: OpinionSource | None,
    limit: int,
    offset: int,
) -> OpinionList:
    scope = (Opinion.cycle_id == cycle.id) & opinions_visible_to(user)
    stmt = (
        select(Opinion, LedgerItemOpinion.item_id)
        .outerjoin(LedgerItemOpinion, LedgerItemOpinion.opinion_id == Opinion.id)
        .where(scope)
        .order_by(Opinion.id)
    )
    if org_id is not None:
        stmt = stmt.where(Opinion.org_id == org_id)
    if category is not None:
        stmt = stmt.where(Opinion.category == category)
    if source is not None:
        stmt = stmt.where(Opinion.source == source)
    total = int(await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)
    rows = (await session.execute(stmt.limit(limit).offset(offset))).all()
    orgs = await _orgs(session, {o.org_id for o, _ in rows})
    by_cat = (
        await session.execute(
            select(Opinion.category, func.count()).where(scope).group_by(Opinion.category).order_by(Opinion.category)
        )
    ).all()
    order = {name: i for i, name in enumerate(await categories_of(session, cycle.id))}
    by_org_rows = (
        await session.execute(select(Opinion.org_id, func.count()).where(scope).group_by(Opinion.org_id))
    ).all()
    count_orgs = await _orgs(session, {int(o) for o, _ in by_org_rows})
    return OpinionList(
        items=[opinion_read(o, orgs[o.org_id], item_id) for o, item_id in rows],
        total=total,
        limit=limit,
        offset=offset,
        by_category=sorted(
            (CategoryCount(category=c, count=int(n)) for c, n in by_cat),
            key=lambda c: (c.category is None, order.get(c.category or "", len(order)), c.category or ""),
        ),
        by_org=sorted(
            (OrgCount(org=org_ref(count_orgs[int(o)]), count=int(n)) for o, n in by_org_rows),
            key=lambda c: c.org.code,
        ),
    )


async def unfiled_opinions(session: AsyncSession, *, cycle_id: int | None = None) -> list[OpinionRead]:
    """Opinions in no ledger item: always empty while the rule holds."""
    stmt = (
        select(Opinion)
        .outerjoin(LedgerItemOpinion, LedgerItemOpinion.opinion_id == Opinion.id)
        .where(LedgerItemOpinion.item_id.is_(None))
        .order_by(Opinion.id)
    )
    if cycle_id is not None:
        stmt = stmt.where(Opinion.cycle_id == cycle_id)
    rows = (await session.execute(stmt)).scalars().all()
    orgs = await _orgs(session, {o.org_id for o in rows})
    return [opinion_read(o, orgs[o.org_id], None) for o in rows]


async def harvest(session: AsyncSession, *, cycle: Cycle, actor: User) -> HarvestResult:
    """Turn the comments of the cycle's ballots into opinions, each at most once.

    Only reports whose voting has closed are harvested: a named evaluator may still replace
    their ballot, comment included, while voting is open. An anonymous ballot's opinion names
    no one; a named ballot's keeps its evaluator.
    """
    require_staff(actor, cycle)
    require_opinion_stage(cycle)
    stmt = (
        select(Ballot, Report.org_id, AgendaItem.voting, Meeting.status)
        .join(Meeting, Meeting.id == Ballot.meeting_id)
        .join(Report, Report.id == Ballot.report_id)
        .join(AgendaItem, (AgendaItem.meeting_id == Ballot.meeting_id) & (AgendaItem.report_id == Ballot.report_id))
        .where(Meeting.cycle_id == cycle.id, Ballot.comment.is_not(None))
        .order_by(Ballot.meeting_id, Ballot.report_id, Ballot.receipt)
    )
    rows = (await session.execute(stmt)).all()
    done = set(
        (
            await session.execute(
                select(Opinion.ballot_id).where(Opinion.cycle_id == cycle.id, Opinion.ballot_id.is_not(None))
            )
        ).scalars()
    )
    created: list[int] = []
    existing = pending = 0
    for ballot, org_id, voting, meeting_status in rows:
        text = (ballot.comment or "").strip()
        if not text:
            continue
        if ballot.id in done:
            existing += 1
            continue
        if voting == Voting.open and meeting_status == MeetingStatus.live:
            pending += 1
            continue
        opinion = Opinion(
            cycle_id=cycle.id,
            org_id=org_id,
            category=ballot.comment_category,
            text=text,
            source=OpinionSource.ballot,
            meeting_id=ballot.meeting_id,
            ballot_id=ballot.id,
            author_id=ballot.evaluator_id if ballot.source == BallotSource.named else None,
            created_by_id=actor.id,
            created_at=utcnow(),
        )
        try:
            # A concurrent harvest may file the same comment first: the unique ballot_id decides.
            async with session.begin_nested():
                session.add(opinion)
                await session.flush()
        except IntegrityError:
            existing += 1
            continue
        await file_opinion(session, cycle=cycle, opinion=opinion, actor=actor)
        created.append(opinion.id)
    if created:
        await audit.record(
            session,
            actor=actor,
            action="opinion.harvest",
            entity_type="cycle",
            entity_id=cycle.id,
            data={"created": len(created), "existing": existing, "pending": pending},
        )
    return HarvestResult(created=len(created), existing=existing, pending=pending, opinion_ids=created)


# --- changing items --------------------------------------------------------------------------


async def update_item(session: AsyncSession, *, item: LedgerItem, item_in: ItemUpdate, actor: User) -> LedgerItem:
    """Staff change any detail; the owner organisation writes its measures."""
    cycle = await get_cycle(session, item.cycle_id)
    who = parties(actor, item, cycle)
    changes = item_in.model_dump(exclude_unset=True)
    if not who:
        raise Forbidden("Only the owner organisation and the organisation department change this item")
    if sm.Party.staff not in who and set(changes) - {"measures"}:
        field = sorted(set(changes) - {"measures"})[0]
        raise Forbidden(f"The owner organisation writes the measures; {field} is set by the organisation department")
    _require_open(item, "change it")
    for name in ("title", "due_date"):
        if name in changes and changes[name] is None:
            raise FieldError(["body", name], f"{name} cannot be removed")
    if changes.get("category") is not None:
        await check_category(session, cycle, changes["category"], ["body", "category"])
    if changes.get("owner_user_id") is not None:
        owner = await session.get(User, changes["owner_user_id"])
        if owner is None or not owner.is_active or owner.org_id != item.org_id:
            raise FieldError(["body", "owner_user_id"], "The owner must be an active user of the item's organisation")
    if "due_date" in changes:
        due: date = changes["due_date"]
        if due < item.start_date:
            raise FieldError(["body", "due_date"], f"The deadline cannot be before the start, {item.start_date}")
        changes["due_days"] = max(1, calendar().working_days_between(item.start_date, due))
    diff = {k: v for k, v in changes.items() if getattr(item, k) != v}
    if not diff:
        return item
    before = {k: getattr(item, k) for k in diff}
    for key, value in diff.items():
        setattr(item, key, value)
    item.updated_at = utcnow()
    await session.flush()
    shown = sorted(k for k in diff if k != "due_days")
    event(session, item, actor, EventKind.updated, note=", ".join(shown))
    await audit_item(
        session,
        actor,
        "ledger.item_update",
        item,
        {"changes": {k: {"from": _plain(before[k]), "to": _plain(diff[k])} for k in diff}},
    )
    return item


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


async def transition(
    session: AsyncSession, *, item: LedgerItem, to: sm.ItemStatus, note: str | None, actor: User
) -> LedgerItem:
    """Move an item one legal step; 409 names the legal next statuses, 403 who may take the step."""
    cycle = await get_cycle(session, item.cycle_id)
    try:
        action = sm.check(item.status, to, parties(actor, item, cycle))
    except sm.IllegalTransition as exc:
        raise TransitionRefused(
            str(exc), extra={"current": exc.current.value, "allowed": [a.value for a in exc.allowed]}
        ) from exc
    except sm.NotPermitted as exc:
        raise Forbidden(str(exc)) from exc
    note = (note or "").strip() or None
    if action in sm.NEEDS_NOTE and note is None:
        raise FieldError(["body", "note"], f"Say why ({action.value.replace('_', ' ')} needs a reason)")
    today = cal.china_today()
    values: dict[str, Any] = {"status": to, "updated_at": utcnow()}
    if action == sm.Action.complete:
        values["done_date"] = today
    elif action == sm.Action.verify:
        values["verified_date"] = today
    elif action == sm.Action.send_back:
        values.update(done_date=None, status_reason=note)
    elif action == sm.Action.reject:
        values["status_reason"] = note
    elif action == sm.Action.reopen:
        values["status_reason"] = None
    before = item.status
    # Only if no one moved it meanwhile: two clerks clicking at once take one step, not two.
    result = await session.execute(
        update(LedgerItem)
        .where(LedgerItem.id == item.id, LedgerItem.status == before)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise Conflict("The item's status changed meanwhile; reload and try again")
    item = await get_item(session, item.id)
    event(session, item, actor, EventKind.status, action=action, from_status=before, note=note)
    await audit_item(
        session,
        actor,
        "ledger.status",
        item,
        {"from": before.value, "to": to.value, "action": action.value, "note": note},
    )
    return item


async def merge(session: AsyncSession, *, item: LedgerItem, item_ids: Sequence[int], actor: User) -> LedgerItem:
    """Fold similar items into this one: every opinion, note, file and history entry moves; they go."""
    cycle = await get_cycle(session, item.cycle_id)
    require_staff(actor, cycle)
    if item.status not in sm.ACTIVE:
        raise InvalidState(f"Item {item.id} is {item.status.value}; merge into an item still being worked on")
    ids = list(dict.fromkeys(item_ids))
    if item.id in ids:
        raise FieldError(["body", "item_ids"], "An item cannot be merged into itself")
    sources = list((await session.execute(select(LedgerItem).where(LedgerItem.id.in_(ids)))).scalars())
    found = {s.id for s in sources}
    for i, item_id in enumerate(ids):
        if item_id not in found:
            raise FieldError(["body", "item_ids", i], f"Ledger item {item_id} does not exist")
    for i, source in enumerate(sorted(sources, key=lambda s: ids.index(s.id))):
        loc: list[str | int] = ["body", "item_ids", ids.index(source.id)]
        if source.cycle_id != item.cycle_id or source.org_id != item.org_id:
            raise FieldError(loc, f"Item {source.id} is of another cycle or organisation")
        if source.status not in sm.ACTIVE:
            raise FieldError(loc, f"Item {source.id} is {source.status.value}; only open or in-progress items merge")
        del i
    moved = (
        (await session.execute(select(LedgerItemOpinion.opinion_id).where(LedgerItemOpinion.item_id.in_(ids))))
        .scalars()
        .all()
    )
    for model in (LedgerItemOpinion, LedgerNote, LedgerEvidence, LedgerEvent):
        await session.execute(
            update(model)
            .where(model.item_id.in_(ids))
            .values(item_id=item.id)
            .execution_options(synchronize_session=False)
        )
    await session.execute(delete(LedgerItem).where(LedgerItem.id.in_(ids)).execution_options(synchronize_session=False))
    for source in sources:
        session.expunge(source)
    item.updated_at = utcnow()
    await session.flush()
    titles = "; ".join(f"#{s.id} {s.title}" for s in sources)
    event(session, item, actor, EventKind.merged, note=titles)
    await audit_item(
        session,
        actor,
        "ledger.merge",
        item,
        {"merged_item_ids": ids, "opinion_ids": sorted(moved), "titles": [s.title for s in sources]},
    )
    return await get_item(session, item.id)


async def add_note(session: AsyncSession, *, item: LedgerItem, note_in: NoteCreate, actor: User) -> NoteRead:
    cycle = await get_cycle(session, item.cycle_id)
    if not parties(actor, item, cycle):
        raise Forbidden("Only the owner organisation and the organisation department write progress notes")
    _require_open(item, "add a note")
    if note_in.note_date > cal.china_today():
        raise FieldError(["body", "note_date"], "A progress note cannot be dated in the future")
    note = LedgerNote(
        item_id=item.id,
        note_date=note_in.note_date,
        text=note_in.text,
        author_id=actor.id,
        author_name=actor.full_name,
        created_at=utcnow(),
    )
    session.add(note)
    item.updated_at = utcnow()
    await session.flush()
    event(session, item, actor, EventKind.note, note=f"{note.note_date}: {note.text[:200]}")
    await audit_item(session, actor, "ledger.note", item, {"note_id": note.id, "note_date": str(note.note_date)})
    return NoteRead.model_validate(note)


async def list_notes(session: AsyncSession, item: LedgerItem) -> list[NoteRead]:
    rows = await session.execute(
        select(LedgerNote).where(LedgerNote.item_id == item.id).order_by(LedgerNote.note_date, LedgerNote.id)
    )
    return [NoteRead.model_validate(n) for n in rows.scalars()]
