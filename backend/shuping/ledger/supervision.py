"""Supervision of target programmes (督查): rounds by the people's congress, the CPPCC or the supervision
office, their findings per unit, and each finding put right as a rectification-ledger item (整改台账).

Here rather than in `targets` because a finding opens a ledger item, and the ledger sits above targets.

* Which ledger: the ledger lives per cycle, so a finding's item goes into the cycle its programme
  feeds — the host's cycle whose period contains the programme's last day (the mirror of
  `targets.assessment.programme_for`), the latest made that is not closed. Without one, the
  finding is refused: the host's cycle for that period must be created first.
* The item: owned by the finding's unit (its secretary answers for it), category 督查发现问题,
  started on the visit day, due on the finding's deadline, linked through `LedgerItemFinding`.
  Changing or deleting a finding changes or deletes its item — only while the item has not moved
  on (still open, with no status change, note, file or merge in its history).
* When: rounds and findings are recorded while the programme is in force (active); a closed
  programme's are kept as they are.
* Who: the programme's managers and the host's leaders (role leader in the host organisation)
  record rounds and findings; everyone else allowed in reads the rounds and the findings about the
  units they reach (a secretary their own unit's), and works on the items in the ledger as usual.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field
from sqlalchemy import ColumnElement, delete, exists, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import Role, User
from shuping.core.errors import Conflict, FieldError, Forbidden, InvalidState, NotFound
from shuping.core.i18n import N_
from shuping.core.schemas import BodyId, Schema, TextInput
from shuping.cycles.models import Cycle, CycleStage
from shuping.db import utcnow
from shuping.ledger import service
from shuping.ledger import statemachine as sm
from shuping.ledger.models import EventKind, LedgerEvent, LedgerItem, LedgerItemFinding
from shuping.orgs.scope import within_reach
from shuping.targets.models import (
    ProgrammeStatus,
    SupervisionBody,
    TargetFinding,
    TargetProgramme,
    TargetSupervisionRound,
)
from shuping.targets.schemas import Day, OrgRef
from shuping.targets.service import may_manage, may_publish, org_ref, orgs_by_id, require_open, require_units

FINDING_CATEGORY = "督查发现问题"
# Who reads supervision at all (the rest get 403): staff, the units' secretaries, the host's leaders.
SUPERVISION_ROLES = frozenset({Role.admin, Role.clerk, Role.secretary, Role.leader})
# An item has moved on once any of these is in its history (an edit of the finding itself is not).
MOVED_ON = (EventKind.status, EventKind.note, EventKind.evidence_added, EventKind.merged, EventKind.opinion_added)


class NoLedgerCycle(Conflict):
    code, title = "no-ledger-cycle", N_("No cycle takes the programme's findings")


class FindingMovedOn(InvalidState):
    code, title = "finding-in-progress", N_("The finding's ledger item has moved on")


# ---------------------------------------------------------------- schemas


class RoundCreate(TextInput):
    body: SupervisionBody = Field(description="人大 (congress), 政协 (cppcc), 两办督察室 (office) or other")
    title: str = Field(min_length=1, max_length=200, description="e.g. 区人大常委会招商引资专题督查")
    started_on: Day
    ended_on: Day | None = None
    summary: str = Field(default="", max_length=8000)


class RoundUpdate(TextInput):
    body: SupervisionBody | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)
    started_on: Day | None = None
    ended_on: Day | None = None
    summary: str | None = Field(default=None, max_length=8000)


class FindingCreate(TextInput):
    org_id: BodyId = Field(description="The unit visited")
    visited_on: Day
    finding: str = Field(min_length=1, max_length=4000, description="What was found, to be put right")
    deadline: Day = Field(description="The day it must be put right by (the ledger item's due date)")


class FindingUpdate(TextInput):
    visited_on: Day | None = None
    finding: str | None = Field(default=None, min_length=1, max_length=4000)
    deadline: Day | None = None


class FindingItem(Schema):
    id: int
    cycle_id: int
    status: sm.ItemStatus
    due_date: date


class FindingRead(Schema):
    id: int
    round_id: int
    org: OrgRef
    visited_on: date
    finding: str
    deadline: date
    item: FindingItem | None = Field(description="The ledger item putting it right")
    created_at: datetime


class RoundRead(Schema):
    id: int
    programme_id: int
    body: SupervisionBody
    title: str
    started_on: date
    ended_on: date | None
    summary: str
    findings: list[FindingRead] = Field(description="The findings the caller may see (a unit its own)")
    may_supervise: bool = Field(description="Whether the caller records rounds and findings in this programme")
    created_at: datetime
    updated_at: datetime


# ---------------------------------------------------------------- access


def may_supervise(user: User, programme: TargetProgramme) -> bool:
    """The programme's managers and the host's leaders record rounds and findings."""
    return may_manage(user, programme) or (user.role == Role.leader and user.org_id == programme.host_org_id)


def require_supervise(user: User, programme: TargetProgramme) -> None:
    if not may_supervise(user, programme):
        raise Forbidden(N_("Only the programme's managers and its host's leaders record supervision"))


def require_in_force(programme: TargetProgramme) -> None:
    """Supervision is of a programme in force: not a draft (nothing is yet asked of the units), not closed."""
    require_open(programme)
    if programme.status == ProgrammeStatus.draft:
        raise InvalidState(N_("{name} is a draft: activate it before supervising it", name=programme.name))


def _findings_scope(user: User, programme: TargetProgramme) -> ColumnElement[bool]:
    if may_supervise(user, programme) or may_publish(user, programme):
        return true()
    return within_reach(user, TargetFinding.org_id)


# ---------------------------------------------------------------- loading


async def get_round(session: AsyncSession, round_id: int) -> tuple[TargetSupervisionRound, TargetProgramme]:
    row = await session.get(TargetSupervisionRound, round_id)
    programme = None if row is None else await session.get(TargetProgramme, row.programme_id)
    if row is None or programme is None:
        raise NotFound(N_("No supervision round {id}", id=round_id))
    return row, programme


async def get_finding(
    session: AsyncSession, finding_id: int, *, user: User
) -> tuple[TargetFinding, TargetSupervisionRound, TargetProgramme]:
    """The finding, if the user may see it (else 404)."""
    finding = await session.get(TargetFinding, finding_id)
    if finding is not None:
        row, programme = await get_round(session, finding.round_id)
        visible = await session.scalar(
            select(TargetFinding.id).where(TargetFinding.id == finding.id, _findings_scope(user, programme))
        )
        if visible is not None:
            return finding, row, programme
    raise NotFound(N_("No finding {id}", id=finding_id))


async def _findings(
    session: AsyncSession, user: User, programme: TargetProgramme, round_ids: list[int], org_id: int | None = None
) -> list[FindingRead]:
    stmt = (
        select(TargetFinding, LedgerItem)
        .outerjoin(LedgerItemFinding, LedgerItemFinding.finding_id == TargetFinding.id)
        .outerjoin(LedgerItem, LedgerItem.id == LedgerItemFinding.item_id)
        .where(TargetFinding.round_id.in_(round_ids), _findings_scope(user, programme))
        .order_by(TargetFinding.visited_on, TargetFinding.id)
    )
    if org_id is not None:
        stmt = stmt.where(TargetFinding.org_id == org_id)
    rows = (await session.execute(stmt)).all()
    orgs = await orgs_by_id(session, {f.org_id for f, _ in rows})
    return [
        FindingRead(
            id=f.id,
            round_id=f.round_id,
            org=org_ref(orgs[f.org_id]),
            visited_on=f.visited_on,
            finding=f.finding,
            deadline=f.deadline,
            item=None
            if item is None
            else FindingItem(id=item.id, cycle_id=item.cycle_id, status=item.status, due_date=item.due_date),
            created_at=f.created_at,
        )
        for f, item in rows
    ]


async def round_reads(
    session: AsyncSession, user: User, programme: TargetProgramme, rounds: list[TargetSupervisionRound]
) -> list[RoundRead]:
    findings = await _findings(session, user, programme, [r.id for r in rounds])
    return [
        RoundRead(
            id=r.id,
            programme_id=r.programme_id,
            body=r.body,
            title=r.title,
            started_on=r.started_on,
            ended_on=r.ended_on,
            summary=r.summary,
            findings=[f for f in findings if f.round_id == r.id],
            may_supervise=may_supervise(user, programme),
            created_at=r.created_at,
            updated_at=r.updated_at,
        )
        for r in rounds
    ]


async def list_rounds(session: AsyncSession, *, programme: TargetProgramme, user: User) -> list[RoundRead]:
    rows = await session.execute(
        select(TargetSupervisionRound)
        .where(TargetSupervisionRound.programme_id == programme.id)
        .order_by(TargetSupervisionRound.started_on, TargetSupervisionRound.id)
    )
    return await round_reads(session, user, programme, list(rows.scalars()))


async def list_findings(
    session: AsyncSession, *, programme: TargetProgramme, user: User, org_id: int | None
) -> list[FindingRead]:
    round_ids = select(TargetSupervisionRound.id).where(TargetSupervisionRound.programme_id == programme.id)
    ids = list((await session.execute(round_ids)).scalars())
    return await _findings(session, user, programme, ids, org_id)


# ---------------------------------------------------------------- rounds


def _check_dates(started_on: date, ended_on: date | None) -> None:
    if ended_on is not None and ended_on < started_on:
        raise FieldError(["body", "ended_on"], N_("The round ends before it starts"))


async def create_round(
    session: AsyncSession, *, programme: TargetProgramme, round_in: RoundCreate, actor: User
) -> RoundRead:
    require_supervise(actor, programme)
    require_in_force(programme)
    _check_dates(round_in.started_on, round_in.ended_on)
    row = TargetSupervisionRound(programme_id=programme.id, created_by=actor.id, **round_in.model_dump())
    session.add(row)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="target_supervision.round_create",
        entity_type="target_supervision_round",
        entity_id=row.id,
        data={"programme_id": programme.id, **round_in.model_dump(mode="json")},
    )
    return (await round_reads(session, actor, programme, [row]))[0]


async def update_round(
    session: AsyncSession,
    *,
    row: TargetSupervisionRound,
    programme: TargetProgramme,
    round_in: RoundUpdate,
    actor: User,
) -> RoundRead:
    require_supervise(actor, programme)
    require_open(programme)
    changes = round_in.model_dump(exclude_unset=True)
    for name in ("body", "title", "started_on", "summary"):
        if name in changes and changes[name] is None:
            raise FieldError(["body", name], N_("This may not be empty"))
    _check_dates(changes.get("started_on", row.started_on), changes.get("ended_on", row.ended_on))
    before = {name: getattr(row, name) for name in changes}
    for name, value in changes.items():
        setattr(row, name, value)
    row.updated_at = utcnow()
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="target_supervision.round_update",
        entity_type="target_supervision_round",
        entity_id=row.id,
        data={
            "before": {k: v.isoformat() if isinstance(v, date) else v for k, v in before.items()},
            "after": round_in.model_dump(mode="json", exclude_unset=True),
        },
    )
    return (await round_reads(session, actor, programme, [row]))[0]


async def delete_round(
    session: AsyncSession, *, row: TargetSupervisionRound, programme: TargetProgramme, actor: User
) -> None:
    """Delete a round with its findings and their items, none of which may have moved on."""
    require_supervise(actor, programme)
    require_open(programme)
    findings = list((await session.execute(select(TargetFinding).where(TargetFinding.round_id == row.id))).scalars())
    items = [await _item_of(session, f) for f in findings]
    for finding, item in zip(findings, items, strict=True):
        await _require_unmoved(session, finding, item)
    await audit.record(
        session,
        actor=actor,
        action="target_supervision.round_delete",
        entity_type="target_supervision_round",
        entity_id=row.id,
        data={
            "programme_id": programme.id,
            "title": row.title,
            "finding_ids": [f.id for f in findings],
            "item_ids": [i.id for i in items if i is not None],
        },
    )
    item_ids = [i.id for i in items if i is not None]
    if item_ids:
        await session.execute(
            delete(LedgerItem).where(LedgerItem.id.in_(item_ids)).execution_options(synchronize_session=False)
        )
    await session.delete(row)
    await session.flush()


# ---------------------------------------------------------------- findings


async def cycle_for(session: AsyncSession, programme: TargetProgramme) -> Cycle:
    """The cycle whose ledger takes the programme's findings (see the module), or 409."""
    stmt = (
        select(Cycle)
        .where(
            Cycle.host_org_id == programme.host_org_id,
            Cycle.period_start <= programme.period_end,
            Cycle.period_end >= programme.period_end,
            Cycle.stage != CycleStage.closed,
        )
        .order_by(Cycle.id.desc())
        .limit(1)
    )
    cycle = (await session.execute(stmt)).scalar_one_or_none()
    if cycle is None:
        host = (await orgs_by_id(session, {programme.host_org_id}))[programme.host_org_id]
        raise NoLedgerCycle(
            N_(
                "No open cycle of {host} covers {day}, where the findings' ledger items go: create the host's"
                " cycle for that period first",
                host=host.name,
                day=programme.period_end.isoformat(),
            )
        )
    return cycle


def _check_finding(row: TargetSupervisionRound, visited_on: date, deadline: date) -> None:
    if visited_on < row.started_on or (row.ended_on is not None and visited_on > row.ended_on):
        until = row.ended_on.isoformat() if row.ended_on is not None else "…"
        raise FieldError(
            ["body", "visited_on"],
            N_("The visit falls outside the round, {start} to {end}", start=row.started_on.isoformat(), end=until),
        )
    if deadline < visited_on:
        raise FieldError(["body", "deadline"], N_("The deadline is before the visit"))


async def _item_of(session: AsyncSession, finding: TargetFinding) -> LedgerItem | None:
    item_id = await session.scalar(select(LedgerItemFinding.item_id).where(LedgerItemFinding.finding_id == finding.id))
    return None if item_id is None else await session.get(LedgerItem, item_id, populate_existing=True)


async def _require_unmoved(session: AsyncSession, finding: TargetFinding, item: LedgerItem | None) -> None:
    if item is None:
        return
    moved = item.status != sm.ItemStatus.open or await session.scalar(
        select(exists().where(LedgerEvent.item_id == item.id, LedgerEvent.kind.in_(MOVED_ON)))
    )
    if moved:
        raise FindingMovedOn(
            N_(
                "Finding {id}'s ledger item {item_id} has moved on ({status}); change it in the ledger instead",
                id=finding.id,
                item_id=item.id,
                status=item.status.value,
            )
        )


def _due_days(start: date, due: date) -> int:
    return max(1, service.calendar().working_days_between(start, due))


async def read_finding(
    session: AsyncSession, user: User, programme: TargetProgramme, finding: TargetFinding
) -> FindingRead:
    found = await _findings(session, user, programme, [finding.round_id])
    return next(f for f in found if f.id == finding.id)


async def create_finding(
    session: AsyncSession,
    *,
    row: TargetSupervisionRound,
    programme: TargetProgramme,
    finding_in: FindingCreate,
    actor: User,
) -> FindingRead:
    """Record a finding and open its ledger item in the cycle the programme feeds."""
    require_supervise(actor, programme)
    require_in_force(programme)
    await require_units(session, programme, {finding_in.org_id: ["body", "org_id"]})
    _check_finding(row, finding_in.visited_on, finding_in.deadline)
    cycle = await cycle_for(session, programme)
    finding = TargetFinding(round_id=row.id, created_by=actor.id, **finding_in.model_dump())
    session.add(finding)
    await session.flush()
    item = await service.new_item(
        session,
        cycle=cycle,
        org_id=finding.org_id,
        category=FINDING_CATEGORY,
        title=service.default_title(finding.finding),
        measures=None,
        due_days=_due_days(finding.visited_on, finding.deadline),
        start=finding.visited_on,
    )
    item.due_date = finding.deadline
    session.add(LedgerItemFinding(finding_id=finding.id, item_id=item.id))
    service.event(session, item, actor, EventKind.created, note=f"finding {finding.id} ({row.title})")
    await session.flush()
    await service.audit_item(
        session,
        actor,
        "ledger.item_create",
        item,
        {"finding_id": finding.id, "source": "supervision", "due_date": item.due_date.isoformat()},
    )
    await audit.record(
        session,
        actor=actor,
        action="target_supervision.finding_create",
        entity_type="target_finding",
        entity_id=finding.id,
        data={"round_id": row.id, "item_id": item.id, "cycle_id": cycle.id, **finding_in.model_dump(mode="json")},
    )
    return await read_finding(session, actor, programme, finding)


async def update_finding(
    session: AsyncSession,
    *,
    finding: TargetFinding,
    row: TargetSupervisionRound,
    programme: TargetProgramme,
    finding_in: FindingUpdate,
    actor: User,
) -> FindingRead:
    """Change a finding and, with it, its item's title, start and deadline — while the item has not moved on."""
    require_supervise(actor, programme)
    require_open(programme)
    changes = finding_in.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None:
            raise FieldError(["body", name], N_("This may not be empty"))
    item = await _item_of(session, finding)
    await _require_unmoved(session, finding, item)
    _check_finding(row, changes.get("visited_on", finding.visited_on), changes.get("deadline", finding.deadline))
    before = {name: getattr(finding, name) for name in changes}
    for name, value in changes.items():
        setattr(finding, name, value)
    if item is not None:
        item.title = service.default_title(finding.finding)
        item.start_date, item.due_date = finding.visited_on, finding.deadline
        item.due_days = _due_days(finding.visited_on, finding.deadline)
        item.updated_at = utcnow()
        service.event(
            session, item, actor, EventKind.updated, note=f"finding {finding.id}: " + ", ".join(sorted(changes))
        )
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="target_supervision.finding_update",
        entity_type="target_finding",
        entity_id=finding.id,
        data={
            "item_id": item.id if item is not None else None,
            "before": {k: v.isoformat() if isinstance(v, date) else v for k, v in before.items()},
            "after": finding_in.model_dump(mode="json", exclude_unset=True),
        },
    )
    return await read_finding(session, actor, programme, finding)


async def delete_finding(
    session: AsyncSession, *, finding: TargetFinding, programme: TargetProgramme, actor: User
) -> None:
    """Delete a finding with its item — while the item has not moved on."""
    require_supervise(actor, programme)
    require_open(programme)
    item = await _item_of(session, finding)
    await _require_unmoved(session, finding, item)
    await audit.record(
        session,
        actor=actor,
        action="target_supervision.finding_delete",
        entity_type="target_finding",
        entity_id=finding.id,
        data={
            "round_id": finding.round_id,
            "org_id": finding.org_id,
            "finding": finding.finding,
            "item_id": item.id if item is not None else None,
        },
    )
    if item is not None:
        await session.delete(item)
    await session.delete(finding)
    await session.flush()
