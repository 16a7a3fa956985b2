"""Load a report from the path, and check the caller may read it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from shuping.auth.dependencies import CurrentUser
from shuping.core.dependencies import SessionDep
from shuping.core.schemas import MAX_ID
from shuping.reports import service
from shuping.reports.models import Report


async def readable_report(
    session: SessionDep, user: CurrentUser, report_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Report:
    report = await service.get_report(session, report_id)
    await service.check_read(session, user, report)
    return report


ReportDep = Annotated[Report, Depends(readable_report)]
