"""What the ledger holds of a cycle: opinions and ledger items, per report and per category (registered by
`shuping.wiring`). Both name an organisation and a category in a cycle, not a report or a category row."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.cycles.models import OpinionCategory
from shuping.ledger.models import LedgerItem, Opinion
from shuping.reports.models import Report


async def _by_report(
    session: AsyncSession, model: type[Opinion] | type[LedgerItem], ids: Sequence[int]
) -> dict[int, int]:
    """Rows about each report's organisation in the report's cycle."""
    stmt = (
        select(Report.id, func.count())
        .join(model, and_(model.cycle_id == Report.cycle_id, model.org_id == Report.org_id))
        .where(Report.id.in_(ids))
        .group_by(Report.id)
    )
    return {int(rid): int(n) for rid, n in (await session.execute(stmt)).all()}


async def _by_category(
    session: AsyncSession, model: type[Opinion] | type[LedgerItem], ids: Sequence[int]
) -> dict[int, int]:
    """Rows filed under each category in its cycle."""
    stmt = (
        select(OpinionCategory.id, func.count())
        .join(model, and_(model.cycle_id == OpinionCategory.cycle_id, model.category == OpinionCategory.name))
        .where(OpinionCategory.id.in_(ids))
        .group_by(OpinionCategory.id)
    )
    return {int(cid): int(n) for cid, n in (await session.execute(stmt)).all()}


async def opinions_by_report(session: AsyncSession, report_ids: Sequence[int]) -> dict[int, int]:
    return await _by_report(session, Opinion, report_ids)


async def items_by_report(session: AsyncSession, report_ids: Sequence[int]) -> dict[int, int]:
    return await _by_report(session, LedgerItem, report_ids)


async def opinions_by_category(session: AsyncSession, category_ids: Sequence[int]) -> dict[int, int]:
    return await _by_category(session, Opinion, category_ids)


async def items_by_category(session: AsyncSession, category_ids: Sequence[int]) -> dict[int, int]:
    return await _by_category(session, LedgerItem, category_ids)
