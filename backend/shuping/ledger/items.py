"""Ledger items: reading them as each user sees them, and changing them (details, status steps,
merging, progress notes)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import User
from shuping.core import calendar as cal
from shuping.core.errors import Conflict, FieldError, Forbidden, InvalidState
from shuping.core.i18n import N_, message_of
from shuping.core.pagination import paginate
from shuping.cycles.models import Cycle
from shuping.db import utcnow
from shuping.ledger import deadlines, service
from shuping.ledger import statemachine as sm
from shuping.ledger.errors import ItemClosed, TransitionRefused
from shuping.ledger.models import (
    EventKind,
    LedgerEvent,
    LedgerEvidence,
    LedgerItem,
    LedgerItemFinding,
    LedgerItemOpinion,
    LedgerNote,
    Opinion,
)
from shuping.ledger.schemas import (
    CycleRef,
    EventRead,
    EvidenceRead,
    ItemDetail,
    ItemFinding,
    ItemOpinion,
    ItemRead,
    ItemUpdate,
    NoteCreate,
    NoteRead,
    UserRef,
)
from shuping.targets.models import TargetFinding, TargetProgramme, TargetSupervisionRound

# --- reading items ---------------------------------------------------------------------------


async def _users(session: AsyncSession, ids: set[int]) -> dict[int, User]:
    if not ids:
        return {}
    return {u.id: u for u in (await session.execute(select(User).where(User.id.in_(ids)))).scalars()}


async def _cycles(session: AsyncSession, ids: set[int]) -> dict[int, Cycle]:
    if not ids:
        return {}
    return {c.id: c for c in (await session.execute(select(Cycle).where(Cycle.id.in_(ids)))).scalars()}


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
    session: AsyncSession, items: Sequence[LedgerItem], *, user: User, today: service.Today | None = None
) -> list[ItemRead]:
    """Items as the user sees them, with deadlines judged on today's Beijing date."""
    if not items:
        return []
    today = today or service.Today.now()
    clock = service.calendar()
    orgs = await service.orgs_by_id(session, {i.org_id for i in items})
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
                org=service.org_ref(orgs[item.org_id]),
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
                allowed_transitions=list(sm.allowed_targets(item.status, service.parties(user, item, cycle))),
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
    today: service.Today,
    cycle_id: int | None = None,
    org_id: int | None = None,
    category: str | None = None,
    status: Sequence[sm.ItemStatus] | None = None,
    overdue: bool | None = None,
    due_soon: bool | None = None,
    mine: bool | None = None,
    q: str | None = None,
) -> Select[Any]:
    stmt = stmt.where(service.visible_to(user))
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


def overdue_clause(today: service.Today) -> ColumnElement[bool]:
    return LedgerItem.status.in_(sm.ACTIVE) & (LedgerItem.due_date < today.day)


def due_soon_clause(today: service.Today) -> ColumnElement[bool]:
    return (
        LedgerItem.status.in_(sm.ACTIVE)
        & (LedgerItem.due_date >= today.day)
        & (LedgerItem.due_date <= today.soon_until)
    )


async def list_items(
    session: AsyncSession, *, user: User, limit: int, offset: int, today: service.Today | None = None, **filters: Any
) -> tuple[list[ItemRead], int]:
    today = today or service.Today.now()
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
    cycle = await service.get_cycle(session, item.cycle_id)
    who = service.parties(user, item, cycle)
    return ItemDetail(
        **base.model_dump(),
        finding=await _finding_of(session, item),
        opinions=[
            ItemOpinion(
                id=o.id,
                category=o.category,
                text=o.text,
                source=o.source,
                meeting_id=o.meeting_id,
                anonymous=service.is_anonymous(o),
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


# --- changing items --------------------------------------------------------------------------


def _require_open(item: LedgerItem, doing: str) -> None:
    if item.status in sm.CLOSED:
        raise ItemClosed(N_("Cannot {doing}: item {id} is {value}", doing=doing, id=item.id, value=item.status))


async def update_item(session: AsyncSession, *, item: LedgerItem, item_in: ItemUpdate, actor: User) -> LedgerItem:
    """Staff change any detail; the owner organisation writes its measures."""
    cycle = await service.get_cycle(session, item.cycle_id)
    who = service.parties(actor, item, cycle)
    changes = item_in.model_dump(exclude_unset=True)
    if not who:
        raise Forbidden(N_("Only the owner organisation and the organisation department change this item"))
    if sm.Party.staff not in who and set(changes) - {"measures"}:
        field = sorted(set(changes) - {"measures"})[0]
        raise Forbidden(
            N_("The owner organisation writes the measures; {field} is set by the organisation department", field=field)
        )
    _require_open(item, N_("change it"))
    for name in ("title", "due_date"):
        if name in changes and changes[name] is None:
            raise FieldError(["body", name], N_("{name} cannot be removed", name=name))
    if changes.get("category") is not None:
        await service.check_category(session, cycle, changes["category"], ["body", "category"])
    if changes.get("owner_user_id") is not None:
        owner = await session.get(User, changes["owner_user_id"])
        if owner is None or not owner.is_active or owner.org_id != item.org_id:
            raise FieldError(
                ["body", "owner_user_id"], N_("The owner must be an active user of the item's organisation")
            )
    if "due_date" in changes:
        due: date = changes["due_date"]
        if due < item.start_date:
            raise FieldError(
                ["body", "due_date"],
                N_("The deadline cannot be before the start, {start_date}", start_date=item.start_date),
            )
        changes["due_days"] = max(1, service.calendar().working_days_between(item.start_date, due))
    diff = {k: v for k, v in changes.items() if getattr(item, k) != v}
    if not diff:
        return item
    before = {k: getattr(item, k) for k in diff}
    for key, value in diff.items():
        setattr(item, key, value)
    item.updated_at = utcnow()
    await session.flush()
    shown = sorted(k for k in diff if k != "due_days")
    service.event(session, item, actor, EventKind.updated, note=", ".join(shown))
    await service.audit_item(
        session,
        actor,
        "ledger.item_update",
        item,
        {"changes": {k: {"from": _plain(before[k]), "to": _plain(diff[k])} for k in diff}},
    )
    return item


async def _finding_of(session: AsyncSession, item: LedgerItem) -> ItemFinding | None:
    row = (
        await session.execute(
            select(TargetFinding, TargetSupervisionRound, TargetProgramme.name)
            .join(LedgerItemFinding, LedgerItemFinding.finding_id == TargetFinding.id)
            .join(TargetSupervisionRound, TargetSupervisionRound.id == TargetFinding.round_id)
            .join(TargetProgramme, TargetProgramme.id == TargetSupervisionRound.programme_id)
            .where(LedgerItemFinding.item_id == item.id)
        )
    ).first()
    if row is None:
        return None
    finding, round_, programme_name = row
    return ItemFinding(
        id=finding.id,
        programme_id=round_.programme_id,
        programme_name=programme_name,
        round_id=round_.id,
        round_title=round_.title,
        body=round_.body.value,
        visited_on=finding.visited_on,
        finding=finding.finding,
        deadline=finding.deadline,
    )


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


async def transition(
    session: AsyncSession, *, item: LedgerItem, to: sm.ItemStatus, note: str | None, actor: User
) -> LedgerItem:
    """Move an item one legal step; 409 names the legal next statuses, 403 who may take the step."""
    cycle = await service.get_cycle(session, item.cycle_id)
    try:
        action = sm.check(item.status, to, service.parties(actor, item, cycle))
    except sm.IllegalTransition as exc:
        raise TransitionRefused(
            message_of(exc), extra={"current": exc.current.value, "allowed": [a.value for a in exc.allowed]}
        ) from exc
    except sm.NotPermitted as exc:
        raise Forbidden(message_of(exc)) from exc
    note = (note or "").strip() or None
    if action in sm.NEEDS_NOTE and note is None:
        raise FieldError(["body", "note"], N_("Say why ({value} needs a reason)", value=action.value.replace("_", " ")))
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
        raise Conflict(N_("The item's status changed meanwhile; reload and try again"))
    item = await service.get_item(session, item.id)
    service.event(session, item, actor, EventKind.status, action=action, from_status=before, note=note)
    await service.audit_item(
        session,
        actor,
        "ledger.status",
        item,
        {"from": before.value, "to": to.value, "action": action.value, "note": note},
    )
    return item


async def merge(session: AsyncSession, *, item: LedgerItem, item_ids: Sequence[int], actor: User) -> LedgerItem:
    """Fold similar items into this one: every opinion, note, file and history entry moves; they go."""
    cycle = await service.get_cycle(session, item.cycle_id)
    service.require_staff(actor, cycle)
    if item.status not in sm.ACTIVE:
        raise InvalidState(
            N_("Item {id} is {value}; merge into an item still being worked on", id=item.id, value=item.status)
        )
    ids = list(dict.fromkeys(item_ids))
    if item.id in ids:
        raise FieldError(["body", "item_ids"], N_("An item cannot be merged into itself"))
    sources = list((await session.execute(select(LedgerItem).where(LedgerItem.id.in_(ids)))).scalars())
    found = {s.id for s in sources}
    for i, item_id in enumerate(ids):
        if item_id not in found:
            raise FieldError(["body", "item_ids", i], N_("Ledger item {item_id} does not exist", item_id=item_id))
    for i, source in enumerate(sorted(sources, key=lambda s: ids.index(s.id))):
        loc: list[str | int] = ["body", "item_ids", ids.index(source.id)]
        if source.cycle_id != item.cycle_id or source.org_id != item.org_id:
            raise FieldError(loc, N_("Item {id} is of another cycle or organisation", id=source.id))
        if source.status not in sm.ACTIVE:
            raise FieldError(
                loc,
                N_(
                    "Item {id} is {value}; only open or in-progress items merge",
                    id=source.id,
                    value=source.status,
                ),
            )
        del i
    # A supervision finding is put right by one item of its own (see ledger.supervision): its item stays.
    from_finding = await session.scalar(
        select(LedgerItemFinding.item_id).where(LedgerItemFinding.item_id.in_(ids)).order_by(LedgerItemFinding.item_id)
    )
    if from_finding is not None:
        raise FieldError(
            ["body", "item_ids", ids.index(from_finding)],
            N_("Item {id} puts right a supervision finding: it does not merge into another", id=from_finding),
        )
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
    service.event(session, item, actor, EventKind.merged, note=titles)
    await service.audit_item(
        session,
        actor,
        "ledger.merge",
        item,
        {"merged_item_ids": ids, "opinion_ids": sorted(moved), "titles": [s.title for s in sources]},
    )
    return await service.get_item(session, item.id)


async def add_note(session: AsyncSession, *, item: LedgerItem, note_in: NoteCreate, actor: User) -> NoteRead:
    cycle = await service.get_cycle(session, item.cycle_id)
    if not service.parties(actor, item, cycle):
        raise Forbidden(N_("Only the owner organisation and the organisation department write progress notes"))
    _require_open(item, N_("add a note"))
    if note_in.note_date > cal.china_today():
        raise FieldError(["body", "note_date"], N_("A progress note cannot be dated in the future"))
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
    service.event(session, item, actor, EventKind.note, note=f"{note.note_date}: {note.text[:200]}")
    await service.audit_item(
        session, actor, "ledger.note", item, {"note_id": note.id, "note_date": str(note.note_date)}
    )
    return NoteRead.model_validate(note)


async def list_notes(session: AsyncSession, item: LedgerItem) -> list[NoteRead]:
    rows = await session.execute(
        select(LedgerNote).where(LedgerNote.item_id == item.id).order_by(LedgerNote.note_date, LedgerNote.id)
    )
    return [NoteRead.model_validate(n) for n in rows.scalars()]
