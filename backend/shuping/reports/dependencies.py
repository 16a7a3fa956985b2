"""Load a report from the path, and check the caller may read it, write it or review it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from shuping.auth.dependencies import CurrentUser
from shuping.core.dependencies import SessionDep
from shuping.core.schemas import MAX_ID
from shuping.cycles import service as cycles_service
from shuping.reports import service
from shuping.reports.models import Report


async def readable_report(
    session: SessionDep, user: CurrentUser, report_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Report:
    report = await service.get_report(session, report_id)
    await service.check_read(session, user, report)
    return report


ReportDep = Annotated[Report, Depends(readable_report)]


async def authored_report(user: CurrentUser, report: ReportDep) -> Report:
    """A report the caller writes: the secretary of the reporting organisation."""
    service.require_author(user, report)
    return report


async def editable_report(session: SessionDep, user: CurrentUser, report: ReportDep) -> Report:
    """A report the caller may change: its author, or its cycle's host (who corrects titles only)."""
    if not service.is_own(user, report):
        cycles_service.require_manage(user, await cycles_service.get_cycle(session, report.cycle_id))
    return report


async def hosted_report(session: SessionDep, user: CurrentUser, report: ReportDep) -> Report:
    """A report whose cycle the caller runs: they review, assess and remove it."""
    cycles_service.require_manage(user, await cycles_service.get_cycle(session, report.cycle_id))
    return report


AuthoredReportDep = Annotated[Report, Depends(authored_report)]
EditableReportDep = Annotated[Report, Depends(editable_report)]
HostedReportDep = Annotated[Report, Depends(hosted_report)]
