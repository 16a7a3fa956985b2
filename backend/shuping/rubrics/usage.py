"""Who uses a rubric: the cycles above say it, through the one answer `shuping.wiring` plugs in here.

A rubric in use is frozen once a cycle using it has gone past preparation or holds ballots answered
on it (an edit then makes a new version), and only the managers of every cycle using it may change it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class Usage:
    cycles: int = 0
    frozen: bool = False
    host_org_ids: frozenset[int] = frozenset()


UsageOf = Callable[[AsyncSession, Sequence[int]], Awaitable[dict[int, Usage]]]
"""The use of each of the given rubrics (by id); a rubric no one uses may be left out."""

_usage_of: UsageOf | None = None


def plug(usage_of: UsageOf) -> None:
    """Say who answers for the use of rubrics (the cycles domain)."""
    global _usage_of
    _usage_of = usage_of


async def usage(session: AsyncSession, rubric_ids: Sequence[int]) -> dict[int, Usage]:
    """How many cycles use each rubric, whether that froze it, and which organisations host them."""
    if _usage_of is None:
        raise RuntimeError("No one answers for the use of rubrics: call shuping.wiring.wire() first")
    if not rubric_ids:
        return {}
    return await _usage_of(session, rubric_ids)


async def of(session: AsyncSession, rubric_id: int) -> Usage:
    return (await usage(session, [rubric_id])).get(rubric_id, Usage())
