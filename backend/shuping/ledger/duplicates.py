"""Each opinion once: opinions of one organisation that say the same thing share one ledger item
(every opinion kept as its source), and a rectification notice lists the items that remain."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.core.text import same_text_key
from shuping.ledger import items as ledger_items
from shuping.ledger import statemachine as sm
from shuping.ledger.models import LedgerItem, LedgerItemOpinion, Opinion
from shuping.results.consequences import Finding


async def active_items_by_text(session: AsyncSession, cycle_id: int) -> dict[tuple[int, str], int]:
    """(organisation, text key) → the first item still being worked on that holds an opinion saying it."""
    rows = await session.execute(
        select(Opinion.org_id, Opinion.text, LedgerItemOpinion.item_id)
        .join(LedgerItemOpinion, LedgerItemOpinion.opinion_id == Opinion.id)
        .join(LedgerItem, LedgerItem.id == LedgerItemOpinion.item_id)
        .where(LedgerItem.cycle_id == cycle_id, LedgerItem.status.in_(sm.ACTIVE))
        .order_by(LedgerItemOpinion.item_id)
    )
    out: dict[tuple[int, str], int] = {}
    for org_id, text, item_id in rows:
        out.setdefault((org_id, same_text_key(text)), item_id)
    return out


async def notice_findings(session: AsyncSession, cycle_id: int, org_id: int) -> list[Finding]:
    """The organisation's items in the cycle, each once, as a notice lists them: the most raised first,
    not those rejected (不予整改)."""
    rows = (
        await session.execute(
            select(LedgerItem)
            .where(
                LedgerItem.cycle_id == cycle_id,
                LedgerItem.org_id == org_id,
                LedgerItem.status != sm.ItemStatus.rejected,
            )
            .order_by(LedgerItem.id)
        )
    ).scalars()
    items = list(rows)
    counts = await ledger_items.opinion_counts(session, [i.id for i in items])
    findings = [Finding(category=i.category, text=i.title, opinions=counts.get(i.id, 0)) for i in items]
    return sorted(findings, key=lambda f: -f.opinions)  # the most raised first, as with comments
