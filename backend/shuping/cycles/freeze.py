"""Published results freeze their cycle: the one place that says what that means.

The results domain freezes a cycle when it publishes and thaws it when an administrator reopens the
results (`freeze`, `thaw`, in the same transaction as the publication). Everything that feeds the
results asks the cycle, here: a meeting may not start, paper ballots may not be entered or counted,
indicators and vetoes may not change, results may not be recomputed (`require_not_frozen`); the
ballot writer asks the same column in its own statement (`meetings.writer`). Two stage rules follow
from it and are wired as a gate and a hook (`shuping.wiring`): rectification begins only once the
results are published, and a frozen cycle does not go back before assessment.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.core.errors import InvalidState
from shuping.core.i18n import N_
from shuping.cycles.models import Cycle, CycleStage
from shuping.cycles.schemas import Blocker


def freeze(cycle: Cycle, at: datetime) -> None:
    cycle.frozen_at = at


def thaw(cycle: Cycle) -> None:
    cycle.frozen_at = None


async def is_frozen(session: AsyncSession, cycle_id: int) -> bool:
    """Asked of the database, not of a loaded cycle, so a publication a moment ago counts."""
    return await session.scalar(select(Cycle.frozen_at).where(Cycle.id == cycle_id)) is not None


async def require_not_frozen(session: AsyncSession, cycle_id: int, doing: str) -> None:
    """Refuse a change that would alter published (frozen) results."""
    if await is_frozen(session, cycle_id):
        raise InvalidState(
            N_("Cannot {doing}: the cycle's results are published and frozen; an admin must reopen them", doing=doing)
        )


async def published_gate(session: AsyncSession, cycle: Cycle) -> list[Blocker]:
    """A gate: entering rectification needs the results published."""
    if await is_frozen(session, cycle.id):
        return []
    return [Blocker(code="results_not_published", message=N_("Publish the cycle's results first"))]


async def refuse_going_back_past_published(
    session: AsyncSession, cycle: Cycle, before: CycleStage, after: CycleStage
) -> None:
    """A stage hook: published results hold the cycle in assessment or later."""
    if after in (CycleStage.preparation, CycleStage.evaluation) and await is_frozen(session, cycle.id):
        raise InvalidState(
            N_("The cycle's results are published: reopen them (in assessment) before going back further")
        )
