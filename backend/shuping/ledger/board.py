"""The public progress board: which cycles and items it shows, under what title, and who chooses them.

Nothing unpublished is public. The board shows a cycle only once its results are published, and in it
only the items the org department has marked public, each under the title the department gave it
there (`public_title`) — never the item's own title, which for a harvested ballot comment is the
comment itself, and never opinion text, notes or names.

The counts per township (total, verified, in progress, overdue, …) cover every item of a published
cycle: they are aggregate figures, as the published results are, and say no one's words. Only the
list of items is limited to the marked ones.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import User
from shuping.core.errors import FieldError, NotFound
from shuping.core.i18n import N_
from shuping.cycles.models import Cycle
from shuping.db import utcnow
from shuping.ledger import service, stats
from shuping.ledger import statemachine as sm
from shuping.ledger.models import EventKind, LedgerItem, LedgerItemOpinion, Opinion
from shuping.ledger.schemas import Board, BoardItem, BoardOrg, CycleRef, Figures, PublicityIn

# Only the results' model: results read the ledger (its completion rate), so their service stays out of here.
from shuping.results.models import ResultSet, ResultStatus

BOARD_ITEMS_PER_ORG = 200
# A shorter comment ("无", "很好") is ordinary words: a public title may hold it without quoting anyone.
QUOTE_CHARS = 8


async def public_cycles(session: AsyncSession) -> list[Cycle]:
    """Cycles with ledger items whose results are published, newest first."""
    published = select(ResultSet.cycle_id).where(ResultSet.status == ResultStatus.published)
    stmt = (
        select(Cycle)
        .where(Cycle.id.in_(select(func.distinct(LedgerItem.cycle_id))), Cycle.id.in_(published))
        .order_by(Cycle.period_end.desc(), Cycle.id.desc())
    )
    return list((await session.execute(stmt)).scalars())


async def board(session: AsyncSession, *, cycle_id: int | None, today: service.Today | None = None) -> Board:
    """Counts per township over a published cycle, and the items marked public under their public titles."""
    today = today or service.Today.now()
    cycles = await public_cycles(session)
    if cycle_id is not None:
        chosen = next((c for c in cycles if c.id == cycle_id), None)
        if chosen is None:
            # The same answer for an unpublished cycle as for none at all: the board tells nothing of either.
            raise NotFound(N_("Cycle {cycle_id} has no public ledger", cycle_id=cycle_id))
    else:
        chosen = cycles[0] if cycles else None
    if chosen is None:
        return Board(cycle=None, cycles=[], as_of=today.day, total=Figures(**stats.Tally().figures()), orgs=[])
    figures = await stats.compute(session, user=None, cycle_id=chosen.id, today=today)
    items = (
        await session.execute(
            select(LedgerItem)
            .where(LedgerItem.cycle_id == chosen.id, LedgerItem.public.is_(True), LedgerItem.public_title.is_not(None))
            .order_by(LedgerItem.org_id, LedgerItem.id)
        )
    ).scalars()
    by_org: dict[int, list[BoardItem]] = defaultdict(list)
    for i in items:
        if len(by_org[i.org_id]) < BOARD_ITEMS_PER_ORG and i.public_title is not None:
            by_org[i.org_id].append(
                BoardItem(
                    id=i.id,
                    title=i.public_title,
                    category=i.category,
                    measures=i.measures,
                    status=i.status,
                    due_date=i.due_date,
                    overdue=i.status in sm.ACTIVE and today.day > i.due_date,
                )
            )
    return Board(
        cycle=CycleRef(id=chosen.id, name=chosen.name),
        cycles=[CycleRef(id=c.id, name=c.name) for c in cycles],
        as_of=today.day,
        total=figures.total,
        orgs=[
            BoardOrg(org=row.org, figures=Figures(**row.model_dump(exclude={"org"})), items=by_org.get(row.org.id, []))
            for row in figures.by_org
            if row.total or row.org.id in by_org
        ],
    )


# --- choosing what is shown ------------------------------------------------------------------


def _flat(text: str) -> str:
    return " ".join(text.split())


async def _check_not_anonymous_words(session: AsyncSession, item: LedgerItem, title: str) -> None:
    """Refuse a public title that repeats an anonymous opinion of the item: the board must not quote one."""
    stmt = (
        select(Opinion)
        .join(LedgerItemOpinion, LedgerItemOpinion.opinion_id == Opinion.id)
        .where(LedgerItemOpinion.item_id == item.id)
    )
    flat = _flat(title)
    for opinion in (await session.execute(stmt)).scalars():
        words = _flat(opinion.text)
        quoted = flat in (words, service.default_title(opinion.text)) or (len(words) >= QUOTE_CHARS and words in flat)
        if service.is_anonymous(opinion) and quoted:
            raise FieldError(
                ["body", "public_title"], N_("The public title repeats an anonymous opinion; say it in your own words")
            )


async def set_publicity(
    session: AsyncSession, *, item: LedgerItem, publicity_in: PublicityIn, actor: User
) -> LedgerItem:
    """Show an item on the public board under a title of the org department's own, retitle it, or withdraw it."""
    cycle = await service.get_cycle(session, item.cycle_id)
    service.require_staff(actor, cycle)
    title = publicity_in.public_title or None
    if publicity_in.public and title is None:
        raise FieldError(["body", "public_title"], N_("Give the title the item is shown under on the public board"))
    if title is not None:
        await _check_not_anonymous_words(session, item, title)
    before = {"public": item.public, "public_title": item.public_title}
    after = {"public": publicity_in.public, "public_title": title}
    changed = sorted(k for k in after if before[k] != after[k])
    if not changed:
        return item
    item.public, item.public_title = publicity_in.public, title
    item.updated_at = utcnow()
    await session.flush()
    service.event(session, item, actor, EventKind.updated, note=", ".join(changed))
    await service.audit_item(
        session,
        actor,
        "ledger.item_publicity",
        item,
        {"changes": {k: {"from": before[k], "to": after[k]} for k in changed}},
    )
    return item
