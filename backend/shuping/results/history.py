"""Results across cycles per organisation; secretaries flagged in two consecutive cycles."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import User
from shuping.cycles.models import Cycle
from shuping.orgs.models import Organization
from shuping.orgs.scope import within_reach
from shuping.results.models import ResultEntry
from shuping.results.schemas import HistoryEntry, OrgHistory


async def org_history(session: AsyncSession, org: Organization) -> OrgHistory:
    """Published results only, oldest first, with the cycles' sizes for reading the ranks."""
    sizes = dict(
        (
            await session.execute(
                select(ResultEntry.cycle_id, func.count())
                .where(ResultEntry.published.is_(True))
                .group_by(ResultEntry.cycle_id)
            )
        ).all()
    )
    rows = (
        await session.execute(
            select(ResultEntry, Cycle.name, Cycle.period_end)
            .join(Cycle, Cycle.id == ResultEntry.cycle_id)
            .where(ResultEntry.org_id == org.id, ResultEntry.published.is_(True))
            .order_by(Cycle.period_end, Cycle.id)
        )
    ).all()
    entries: list[HistoryEntry] = []
    for entry, name, period_end in rows:
        previous = entries[-1] if entries else None
        entries.append(
            HistoryEntry(
                cycle_id=entry.cycle_id,
                cycle_name=name,
                period_end=period_end,
                total=f"{entry.total:.2f}" if entry.total is not None else None,
                tier=entry.tier,
                rank=entry.rank,
                reports=int(sizes.get(entry.cycle_id, 0)),
                flagged=entry.flagged,
                flagged_twice=entry.flagged and previous is not None and previous.flagged,
            )
        )
    return OrgHistory(
        org_id=org.id, org_name=org.name, entries=entries, flagged_consecutively=any(e.flagged_twice for e in entries)
    )


async def repeatedly_flagged(session: AsyncSession, user: User) -> list[OrgHistory]:
    """Every organisation the user reaches that was flagged in two consecutive published cycles."""
    org_ids = (
        (
            await session.execute(
                select(ResultEntry.org_id)
                .where(
                    ResultEntry.published.is_(True),
                    ResultEntry.flagged.is_(True),
                    within_reach(user, ResultEntry.org_id),
                )
                .distinct()
            )
        )
        .scalars()
        .all()
    )
    out = []
    for org in (await session.execute(select(Organization).where(Organization.id.in_(org_ids)))).scalars():
        history = await org_history(session, org)
        if history.flagged_consecutively:
            out.append(history)
    return out
