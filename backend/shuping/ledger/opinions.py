"""Opinions on a secretary's work: entered by the org department, harvested from the comments of closed
ballots (paper ones are imported by the importer), and listed with their counts; each lands in the ledger."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import User
from shuping.core.errors import FieldError
from shuping.core.i18n import N_
from shuping.core.text import same_text_key
from shuping.cycles.models import Cycle
from shuping.db import utcnow
from shuping.ledger import duplicates, service
from shuping.ledger import statemachine as sm
from shuping.ledger.models import LedgerItem, LedgerItemOpinion, Opinion, OpinionSource
from shuping.ledger.schemas import CategoryCount, HarvestResult, OpinionCreate, OpinionList, OpinionRead, OrgCount
from shuping.meetings.models import AgendaItem, Ballot, BallotSource, Meeting, MeetingStatus, Voting
from shuping.orgs.models import Organization
from shuping.reports.models import Report


async def reporting_org(session: AsyncSession, cycle: Cycle, org_id: int, loc: list[str | int]) -> Organization:
    """The organisation, which must report in the cycle (opinions concern its secretary's work)."""
    org = await session.get(Organization, org_id)
    if org is None:
        raise FieldError(loc, N_("Organisation {org_id} does not exist", org_id=org_id))
    reports = await session.scalar(select(Report.id).where(Report.cycle_id == cycle.id, Report.org_id == org_id))
    if reports is None:
        raise FieldError(loc, N_("{name} does not report in cycle {name2}", name=org.name, name2=cycle.name))
    return org


async def target_item(
    session: AsyncSession, cycle: Cycle, org_id: int, item_id: int, loc: list[str | int]
) -> LedgerItem:
    """An existing item a new opinion may join: same cycle and organisation, still being worked on."""
    item = await session.get(LedgerItem, item_id)
    if item is None or item.cycle_id != cycle.id:
        raise FieldError(loc, N_("Ledger item {item_id} is not in this cycle", item_id=item_id))
    if item.org_id != org_id:
        raise FieldError(loc, N_("Ledger item {item_id} belongs to another organisation", item_id=item_id))
    if item.status not in sm.ACTIVE:
        raise FieldError(
            loc,
            N_("Ledger item {item_id} is {value}; open a new item instead", item_id=item_id, value=item.status),
        )
    return item


async def create_opinion(session: AsyncSession, *, cycle: Cycle, opinion_in: OpinionCreate, actor: User) -> OpinionRead:
    """A clerk enters an opinion; it lands in the ledger at once (a new item, or the one named)."""
    service.require_staff(actor, cycle)
    service.require_opinion_stage(cycle)
    if opinion_in.source not in (OpinionSource.meeting, OpinionSource.clerk):
        raise FieldError(
            ["body", "source"], N_("Enter opinions as meeting or clerk; ballots are harvested, paper imported")
        )
    org = await reporting_org(session, cycle, opinion_in.org_id, ["body", "org_id"])
    await service.check_category(session, cycle, opinion_in.category, ["body", "category"])
    if opinion_in.meeting_id is not None:
        meeting_cycle = await session.scalar(select(Meeting.cycle_id).where(Meeting.id == opinion_in.meeting_id))
        if meeting_cycle != cycle.id:
            raise FieldError(
                ["body", "meeting_id"],
                N_("Meeting {meeting_id} is not in this cycle", meeting_id=opinion_in.meeting_id),
            )
    elif opinion_in.source == OpinionSource.meeting:
        raise FieldError(["body", "meeting_id"], N_("Name the meeting the opinion was raised in"))
    item = None
    if opinion_in.item_id is not None:
        item = await target_item(session, cycle, org.id, opinion_in.item_id, ["body", "item_id"])
        for name in ("title", "measures", "due_days"):
            if getattr(opinion_in, name) is not None:
                raise FieldError(
                    ["body", name], N_("{name} applies to a new item, not to joining item {id}", name=name, id=item.id)
                )
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
    filed = await service.file_opinion(
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
        org=service.org_ref(org),
        category=opinion.category,
        text=opinion.text,
        source=opinion.source,
        meeting_id=opinion.meeting_id,
        anonymous=service.is_anonymous(opinion),
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
    scope = (Opinion.cycle_id == cycle.id) & service.opinions_visible_to(user)
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
    orgs = await service.orgs_by_id(session, {o.org_id for o, _ in rows})
    by_cat = (
        await session.execute(
            select(Opinion.category, func.count()).where(scope).group_by(Opinion.category).order_by(Opinion.category)
        )
    ).all()
    order = {name: i for i, name in enumerate(await service.categories_of(session, cycle.id))}
    by_org_rows = (
        await session.execute(select(Opinion.org_id, func.count()).where(scope).group_by(Opinion.org_id))
    ).all()
    count_orgs = await service.orgs_by_id(session, {int(o) for o, _ in by_org_rows})
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
            (OrgCount(org=service.org_ref(count_orgs[int(o)]), count=int(n)) for o, n in by_org_rows),
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
    orgs = await service.orgs_by_id(session, {o.org_id for o in rows})
    return [opinion_read(o, orgs[o.org_id], None) for o in rows]


async def harvest(session: AsyncSession, *, cycle: Cycle, actor: User) -> HarvestResult:
    """Turn the comments of the cycle's ballots into opinions, each at most once.

    Only reports whose voting has closed are harvested: a named evaluator may still replace
    their ballot, comment included, while voting is open. An anonymous ballot's opinion names
    no one; a named ballot's keeps its evaluator. A comment saying what an earlier one said about
    the same organisation joins that opinion's item (both kept as its sources) instead of opening another.
    """
    service.require_staff(actor, cycle)
    service.require_opinion_stage(cycle)
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
    existing = pending = joined = 0
    # Many evaluators write the same comment: it is one problem, so one item holding every such opinion.
    same = await duplicates.active_items_by_text(session, cycle.id)
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
        key = (org_id, same_text_key(text))
        earlier = await session.get(LedgerItem, same[key]) if key in same else None
        if earlier is not None and earlier.status in sm.ACTIVE:
            await service.file_opinion(session, cycle=cycle, opinion=opinion, actor=actor, item=earlier)
            joined += 1
        else:
            same[key] = (await service.file_opinion(session, cycle=cycle, opinion=opinion, actor=actor)).id
        created.append(opinion.id)
    if created:
        await audit.record(
            session,
            actor=actor,
            action="opinion.harvest",
            entity_type="cycle",
            entity_id=cycle.id,
            data={"created": len(created), "existing": existing, "pending": pending, "joined": joined},
        )
    return HarvestResult(created=len(created), existing=existing, pending=pending, opinion_ids=created)
