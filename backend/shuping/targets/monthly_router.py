"""Routes for the units' monthly reports (月报)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query

from shuping.auth.dependencies import RequireRole
from shuping.auth.models import User
from shuping.core.dependencies import SessionDep
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.core.schemas import MAX_ID, DbId
from shuping.targets import monthly
from shuping.targets.dependencies import ProgrammeDep
from shuping.targets.monthly import Month, MonthlyReportIn, MonthlyReportRead
from shuping.targets.schemas import OrgRef

router = Router(prefix="/targets", tags=["targets"])

ReportUser = Annotated[User, Depends(RequireRole(*monthly.REPORT_ROLES))]


@router.get(
    "/programmes/{programme_id}/monthly-reports",
    response_model=list[MonthlyReportRead],
    summary="The units' monthly reports the caller may read (a unit its own), by month and unit",
    responses=problems(401, 403, 404, 422),
)
async def list_monthly_reports(
    session: SessionDep,
    user: ReportUser,
    programme: ProgrammeDep,
    month: Annotated[Month | None, Query(description="Only this month's (YYYY-MM)")] = None,
    org_id: Annotated[DbId | None, Query(description="Only this unit's")] = None,
) -> list[MonthlyReportRead]:
    return await monthly.list_reports(session, programme=programme, user=user, month=month, org_id=org_id)


@router.get(
    "/programmes/{programme_id}/monthly-reports/missing",
    response_model=list[OrgRef],
    summary="The units with targets that have not reported a month (未报送)",
    responses=problems(401, 403, 404, 422),
)
async def missing_monthly_reports(
    session: SessionDep,
    user: ReportUser,
    programme: ProgrammeDep,
    month: Annotated[Month, Query(description="The month (YYYY-MM)")],
) -> list[OrgRef]:
    return await monthly.not_reported(session, programme=programme, user=user, month=month)


@router.post(
    "/programmes/{programme_id}/monthly-reports",
    response_model=MonthlyReportRead,
    summary="Submit a unit's month, or resubmit it (figures recomputed, note replaced) until its bulletin is published",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def submit_monthly_report(
    session: SessionDep, user: ReportUser, programme: ProgrammeDep, report_in: MonthlyReportIn
) -> MonthlyReportRead:
    return await monthly.submit(session, programme=programme, report_in=report_in, actor=user)


@router.get(
    "/monthly-reports/{monthly_report_id}",
    response_model=MonthlyReportRead,
    summary="One monthly report as submitted",
    responses=problems(401, 403, 404, 422),
)
async def get_monthly_report(
    session: SessionDep, user: ReportUser, monthly_report_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> MonthlyReportRead:
    return await monthly.get_report(session, monthly_report_id, user=user)
