"""Ledger figures per township and per category, reminders, and the `ledger_completion` indicator.

Definitions (each a count over the items the caller may see):

* ``total``: every item; ``open``, ``in_progress``, ``done``, ``verified``, ``rejected``: items in
  that status now (they add up to ``total``);
* ``overdue``: open or in-progress items whose deadline has passed (Beijing date);
* ``due_soon``: open or in-progress items due today or within the due-soon window (working days);
* ``completion_rate``: verified / (total − rejected) — a rejected item is not to be done; None when
  nothing is to be done.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import User
from shuping.cycles.models import DEFAULT_OPINION_CATEGORIES, Cycle
from shuping.ledger import items as ledger_items
from shuping.ledger import service
from shuping.ledger import statemachine as sm
from shuping.ledger.models import LedgerItem
from shuping.ledger.schemas import CategoryFigures, Figures, ItemRead, LedgerStats, OrgFigures, Reminders
from shuping.orgs.models import Organization, OrgKind
from shuping.orgs.scope import is_county_staff
from shuping.rubrics.formulas import ReportKeys
from shuping.rubrics.models import RubricItem

RATE_PLACES = Decimal("0.000001")
TOWNSHIP_KINDS = (OrgKind.township, OrgKind.working_committee)
REMINDER_LIMIT = 500


@dataclass
class Tally:
    total: int = 0
    open: int = 0
    in_progress: int = 0
    done: int = 0
    verified: int = 0
    rejected: int = 0
    overdue: int = 0
    due_soon: int = 0

    def add(self, status: sm.ItemStatus, *, n: int = 1, overdue: bool = False, due_soon: bool = False) -> None:
        self.total += n
        setattr(self, status.value, getattr(self, status.value) + n)
        self.overdue += n if overdue else 0
        self.due_soon += n if due_soon else 0

    def merge(self, other: Tally) -> None:
        for name in ("total", "open", "in_progress", "done", "verified", "rejected", "overdue", "due_soon"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "open": self.open,
            "in_progress": self.in_progress,
            "done": self.done,
            "verified": self.verified,
            "rejected": self.rejected,
            "overdue": self.overdue,
            "due_soon": self.due_soon,
            "completion_rate": completion_rate(self.verified, self.total - self.rejected),
        }


def completion_rate(verified: int, to_do: int) -> Decimal | None:
    if to_do <= 0:
        return None
    return (Decimal(verified) / Decimal(to_do)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


async def _rows(
    session: AsyncSession, *, user: User | None, cycle_id: int | None, today: service.Today
) -> list[tuple[int, str | None, sm.ItemStatus, bool, bool, int]]:
    """(org, category, status, overdue, due soon, count) over the items in scope."""
    late = ledger_items.overdue_clause(today)
    soon = ledger_items.due_soon_clause(today)
    late_col = sql_case((late, 1), else_=0).label("late")
    soon_col = sql_case((soon, 1), else_=0).label("soon")
    stmt = select(LedgerItem.org_id, LedgerItem.category, LedgerItem.status, late_col, soon_col, func.count())
    if user is not None:
        stmt = stmt.where(service.visible_to(user))
    if cycle_id is not None:
        stmt = stmt.where(LedgerItem.cycle_id == cycle_id)
    stmt = stmt.group_by(LedgerItem.org_id, LedgerItem.category, LedgerItem.status, late_col, soon_col)
    return [
        (int(org), cat, sm.ItemStatus(status), bool(lt), bool(sn), int(n))
        for org, cat, status, lt, sn, n in (await session.execute(stmt)).all()
    ]


def category_order(names: Iterable[str | None], preferred: list[str]) -> list[str | None]:
    """The cycle's categories in their order, then any others by name, then the uncategorised."""
    present = set(names)
    ordered: list[str | None] = [c for c in preferred]
    ordered += sorted(c for c in present if c is not None and c not in preferred)
    if None in present:
        ordered.append(None)
    return ordered


async def _township_rows(session: AsyncSession, extra: Iterable[int], host_org_id: int | None) -> list[Organization]:
    """The active townships (of the cycle's host, when there is one: another county's or district's are
    not in its ledger) and the organisations in `extra`."""
    townships = Organization.kind.in_(TOWNSHIP_KINDS) & Organization.is_active.is_(True)
    if host_org_id is not None:
        townships &= Organization.parent_id == host_org_id
    stmt = select(Organization).where(townships | Organization.id.in_(list(extra))).order_by(Organization.code)
    return list((await session.execute(stmt)).scalars())


async def compute(
    session: AsyncSession, *, user: User | None, cycle_id: int | None = None, today: service.Today | None = None
) -> LedgerStats:
    """Figures per township, per category and in total over the items the user may see."""
    today = today or service.Today.now()
    rows = await _rows(session, user=user, cycle_id=cycle_id, today=today)
    by_org: dict[int, Tally] = {}
    by_cat: dict[str | None, Tally] = {}
    total = Tally()
    for org_id, category, status, late, soon, n in rows:
        for tally in (by_org.setdefault(org_id, Tally()), by_cat.setdefault(category, Tally()), total):
            tally.add(status, n=n, overdue=late, due_soon=soon)
    host = None if cycle_id is None else await session.scalar(select(Cycle.host_org_id).where(Cycle.id == cycle_id))
    orgs = await _township_rows(session, by_org, host)
    if user is not None and user.role not in service.ALL_ITEMS_ROLES and not is_county_staff(user):
        # A secretary or a township's clerk sees their own row (and the total of the items they see).
        orgs = [o for o in orgs if o.id == user.org_id or o.id in by_org]
    preferred = await service.categories_of(session, cycle_id) if cycle_id is not None else []
    if not preferred and by_cat:
        preferred = [c for c in DEFAULT_OPINION_CATEGORIES if c in by_cat]
    return LedgerStats(
        as_of=today.day,
        cycle_id=cycle_id,
        by_org=[OrgFigures(org=service.org_ref(o), **by_org.get(o.id, Tally()).figures()) for o in orgs],
        by_category=[
            CategoryFigures(category=c, **by_cat.get(c, Tally()).figures()) for c in category_order(by_cat, preferred)
        ],
        total=Figures(**total.figures()),
    )


async def figures_of(
    session: AsyncSession, *, cycle_id: int, org_id: int, today: service.Today | None = None
) -> Figures:
    today = today or service.Today.now()
    tally = Tally()
    for row_org, _, status, late, soon, n in await _rows(session, user=None, cycle_id=cycle_id, today=today):
        if row_org == org_id:
            tally.add(status, n=n, overdue=late, due_soon=soon)
    return Figures(**tally.figures())


async def reminders(
    session: AsyncSession, *, user: User, cycle_id: int | None, today: service.Today | None = None
) -> Reminders:
    """Overdue items (most overdue first) and those due soon (soonest first), within the user's scope."""
    today = today or service.Today.now()

    async def fetch(condition: Any) -> list[ItemRead]:
        stmt = select(LedgerItem).where(service.visible_to(user), condition)
        if cycle_id is not None:
            stmt = stmt.where(LedgerItem.cycle_id == cycle_id)
        stmt = stmt.order_by(LedgerItem.due_date, LedgerItem.id).limit(REMINDER_LIMIT)
        items = list((await session.execute(stmt)).scalars())
        return await ledger_items.reads(session, items, user=user, today=today)

    return Reminders(
        as_of=today.day,
        due_soon_days=today.window,
        overdue=await fetch(ledger_items.overdue_clause(today)),
        due_soon=await fetch(ledger_items.due_soon_clause(today)),
    )


async def reminder_counts(
    session: AsyncSession, *, user: User, cycle_id: int | None = None, today: service.Today | None = None
) -> tuple[int, int]:
    """How many items `reminders` lists as overdue and as due soon (uncapped), in one query."""
    today = today or service.Today.now()

    def count_if(condition: Any) -> Any:
        return func.coalesce(func.sum(sql_case((condition, 1), else_=0)), 0)

    stmt = select(count_if(ledger_items.overdue_clause(today)), count_if(ledger_items.due_soon_clause(today))).where(
        service.visible_to(user)
    )
    if cycle_id is not None:
        stmt = stmt.where(LedgerItem.cycle_id == cycle_id)
    overdue, due_soon = (await session.execute(stmt)).one()
    return int(overdue), int(due_soon)


# --- the indicator ---------------------------------------------------------------------------


async def previous_cycle(session: AsyncSession, cycle: Cycle) -> Cycle | None:
    """The same host's latest cycle whose period ended before this one's started."""
    stmt = (
        select(Cycle)
        .where(Cycle.host_org_id == cycle.host_org_id, Cycle.period_end < cycle.period_start, Cycle.id != cycle.id)
        .order_by(Cycle.period_end.desc(), Cycle.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def completion_rates(session: AsyncSession, *, cycle_id: int) -> dict[int, Decimal | None]:
    """Every organisation's completion rate in a cycle, in one query (rejected items are not to do)."""
    stmt = (
        select(
            LedgerItem.org_id,
            func.count(),
            func.coalesce(func.sum(sql_case((LedgerItem.status == sm.ItemStatus.verified, 1), else_=0)), 0),
            func.coalesce(func.sum(sql_case((LedgerItem.status == sm.ItemStatus.rejected, 1), else_=0)), 0),
        )
        .where(LedgerItem.cycle_id == cycle_id)
        .group_by(LedgerItem.org_id)
    )
    rows = await session.execute(stmt)
    return {
        org_id: completion_rate(int(verified), int(total) - int(rejected)) for org_id, total, verified, rejected in rows
    }


async def previous_completion_rate(session: AsyncSession, *, cycle_id: int, org_id: int) -> Decimal | None:
    """The organisation's completion rate over the items of the cycle before this one (same host).

    None when there is no previous cycle, or it left the organisation nothing to do. The
    `ledger_completion` indicator is this rate × the rubric item's max points.
    """
    return (await previous_completion_rates(session, cycle_id=cycle_id)).get(org_id)


async def previous_completion_rates(session: AsyncSession, *, cycle_id: int) -> dict[int, Decimal | None]:
    """Every organisation's completion rate in the cycle before this one (three queries at most)."""
    cycle = await session.get(Cycle, cycle_id)
    if cycle is None:
        return {}
    previous = await previous_cycle(session, cycle)
    if previous is None:
        return {}
    return await completion_rates(session, cycle_id=previous.id)


async def completion_points(
    session: AsyncSession, reports: Sequence[ReportKeys], item: RubricItem
) -> dict[int, Decimal | None]:
    """The `ledger_completion` formula: each report's organisation's previous-cycle completion rate ×
    the item's max points; a fixed number of queries however many reports there are."""
    rates: dict[int, dict[int, Decimal | None]] = {}
    for cycle_id in {r.cycle_id for r in reports}:
        rates[cycle_id] = await previous_completion_rates(session, cycle_id=cycle_id)
    out: dict[int, Decimal | None] = {}
    for r in reports:
        rate = rates[r.cycle_id].get(r.org_id)
        out[r.id] = None if rate is None else rate * item.max_points
    return out
