"""What results hold of a cycle: result entries, interviews and notices per report (registered by `shuping.wiring`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from shuping.cycles.holdings import count_by
from shuping.results.models import Interview, RectificationNotice, ResultEntry


async def results_by_report(session: AsyncSession, report_ids: Sequence[int]) -> dict[int, int]:
    return await count_by(session, ResultEntry.report_id, report_ids)


async def interviews_by_report(session: AsyncSession, report_ids: Sequence[int]) -> dict[int, int]:
    return await count_by(session, Interview.report_id, report_ids)


async def notices_by_report(session: AsyncSession, report_ids: Sequence[int]) -> dict[int, int]:
    return await count_by(session, RectificationNotice.report_id, report_ids)
