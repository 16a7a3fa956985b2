"""Routes for results: compute, read, explain, publish, reopen, export; interviews, notices, trends."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path, Query, status
from fastapi.responses import Response

from shuping.auth.dependencies import CurrentUser, StaffUser
from shuping.core.dependencies import SessionDep
from shuping.core.files import download
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.core.schemas import MAX_ID
from shuping.cycles.dependencies import CycleDep, ManagedCycleDep
from shuping.orgs.dependencies import VisibleOrgDep
from shuping.results import consequences, documents, excel, explanation, history, publishing, service
from shuping.results.schemas import (
    ExplainRead,
    InterviewCreate,
    InterviewRead,
    ItemAverages,
    NoticeBatchIn,
    NoticeCreate,
    NoticeRead,
    OrgHistory,
    PublishIn,
    ReopenIn,
    ResultsRead,
    ResultsSummary,
)

router = Router(tags=["results"])
READ = problems(401, 403, 404, 422)
# Reads that need the cycle's rubric (409 when it has none, e.g. unset after going back to preparation).
READ_WITH_RUBRIC = problems(401, 403, 404, 409, 422)
WRITE = problems(400, 401, 403, 404, 409, 422)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@router.post(
    "/cycles/{cycle_id}/results/compute",
    response_model=ResultsSummary,
    summary="Score the cycle's ballots, indicators and vetoes (DESIGN §3); the ranking is read with GET",
    responses=WRITE,
)
async def compute(session: SessionDep, user: CurrentUser, cycle: ManagedCycleDep) -> ResultsSummary:
    return await service.compute(session, cycle=cycle, actor=user)


@router.get(
    "/cycles/{cycle_id}/results",
    response_model=ResultsRead,
    summary="The ranking, tiers and flags; every figure as a string with 2 places",
    responses=READ,
)
async def read(
    session: SessionDep,
    user: CurrentUser,
    cycle: CycleDep,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Skip this many items of the ranking")] = 0,
    limit: Annotated[
        int | None, Query(ge=1, le=5_000, description="At most this many items; without it, every item")
    ] = None,
) -> ResultsRead:
    return await service.read(session, cycle=cycle, user=user, offset=offset, limit=limit)


@router.get(
    "/cycles/{cycle_id}/results/item-averages",
    response_model=ItemAverages,
    summary="Each ballot item's average per report and over the whole cycle (for the radar)",
    responses=READ_WITH_RUBRIC,
)
async def averages(session: SessionDep, user: CurrentUser, cycle: CycleDep) -> ItemAverages:
    return await consequences.item_averages_read(session, cycle=cycle, user=user)


@router.get(
    "/cycles/{cycle_id}/results/{report_id}/explain",
    response_model=ExplainRead,
    summary="Every number of one report's result, step by step",
    responses=READ_WITH_RUBRIC,
)
async def explain(
    session: SessionDep,
    _user: CurrentUser,
    cycle: ManagedCycleDep,
    report_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> ExplainRead:
    return await explanation.explain(session, cycle=cycle, report_id=report_id)


@router.post(
    "/cycles/{cycle_id}/results/publish",
    response_model=ResultsSummary,
    summary="Publish and freeze the results (admin); their hash goes into the audit log",
    responses=WRITE,
)
async def publish(session: SessionDep, user: CurrentUser, cycle: ManagedCycleDep, body: PublishIn) -> ResultsSummary:
    return await publishing.publish(
        session,
        cycle=cycle,
        override=body.quorum_override_reason,
        missing_reason=body.missing_indicators_reason,
        actor=user,
    )


@router.post(
    "/cycles/{cycle_id}/results/reopen",
    response_model=ResultsSummary,
    summary="Reopen published results (admin, with a reason)",
    responses=WRITE,
)
async def reopen(session: SessionDep, user: CurrentUser, cycle: ManagedCycleDep, body: ReopenIn) -> ResultsSummary:
    return await publishing.reopen(session, cycle=cycle, reason=body.reason, actor=user)


@router.get(
    "/cycles/{cycle_id}/results.xlsx",
    summary="The results as an Excel workbook (Chinese headers)",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}, **READ_WITH_RUBRIC},
)
async def export(session: SessionDep, user: CurrentUser, cycle: CycleDep) -> Response:
    data = await excel.export(session, cycle=cycle, user=user)
    return download(data, XLSX, f"{cycle.name}-综合评价结果.xlsx")


@router.get(
    "/cycles/{cycle_id}/results/bulletin.docx",
    summary="The published results as a bulletin (通报, .docx): ranking, tiers, the units to be interviewed",
    response_class=Response,
    responses={200: {"content": {DOCX: {}}}, **READ_WITH_RUBRIC},
)
async def bulletin(
    session: SessionDep,
    cycle: CycleDep,
    number: Annotated[
        int, Query(ge=1, le=9999, description="The bulletin's number in the host's sequence of the year (…〔2013〕5号)")
    ] = 1,
    dated: Annotated[
        date | None,
        Query(
            ge=date(2000, 1, 1),
            le=date(2099, 12, 31),
            description="Its date (成文日期); without it, the day of publication",
        ),
    ] = None,
) -> Response:
    data, filename = await documents.bulletin_docx(session, cycle=cycle, number=number, dated=dated)
    return download(data, DOCX, filename, "bulletin")


@router.get(
    "/cycles/{cycle_id}/interviews", response_model=list[InterviewRead], summary="Interviews (约谈)", responses=READ
)
async def interviews(session: SessionDep, cycle: ManagedCycleDep) -> list[InterviewRead]:
    return await consequences.list_interviews(session, cycle)


@router.post(
    "/cycles/{cycle_id}/interviews",
    response_model=InterviewRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record an interview with a flagged report's secretary",
    responses=WRITE,
)
async def record_interview(
    session: SessionDep, user: CurrentUser, cycle: ManagedCycleDep, body: InterviewCreate
) -> InterviewRead:
    return await consequences.record_interview(session, cycle=cycle, interview_in=body, actor=user)


@router.get(
    "/interviews/{interview_id}/document",
    summary="An interview's record (约谈记录) as a Word document (.docx)",
    response_class=Response,
    responses={200: {"content": {DOCX: {}}}, **READ},
)
async def interview_document(
    session: SessionDep, user: CurrentUser, interview_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Response:
    data, filename = await documents.interview_docx(session, interview_id=interview_id, user=user)
    return download(data, DOCX, filename, "interview")


@router.post(
    "/cycles/{cycle_id}/notices",
    response_model=NoticeRead,
    status_code=status.HTTP_201_CREATED,
    summary="Issue a rectification notice (整改通知书) to a flagged report",
    responses=WRITE,
)
async def issue_notice(
    session: SessionDep, user: CurrentUser, cycle: ManagedCycleDep, body: NoticeCreate
) -> NoticeRead:
    return await consequences.issue_notice(session, cycle=cycle, notice_in=body, actor=user)


@router.post(
    "/cycles/{cycle_id}/notices/batch",
    response_model=list[NoticeRead],
    status_code=status.HTTP_201_CREATED,
    summary="Issue rectification notices to several flagged reports at once: all of them, or none",
    description=(
        "Each notice is issued as POST /cycles/{cycle_id}/notices issues one (findings drawn from the results, "
        "numbered in the order given) and audited the same. If any report may not have one (not flagged, already "
        "noticed, not of the cycle), nothing is issued: the problem (code batch-refused) lists each refused report "
        "in errors (loc body.report_ids.<index>) and in refused_ids. At most 500 ids, each once."
    ),
    responses=WRITE,
)
async def issue_notices(
    session: SessionDep, user: CurrentUser, cycle: ManagedCycleDep, body: NoticeBatchIn
) -> list[NoticeRead]:
    return await consequences.issue_notices(session, cycle=cycle, notices_in=body, actor=user)


@router.get(
    "/notices",
    response_model=list[NoticeRead],
    summary="Rectification notices (a secretary sees their own organisation's)",
    responses=READ,
)
async def notices(
    session: SessionDep, user: CurrentUser, cycle_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None
) -> list[NoticeRead]:
    return await consequences.list_notices(session, cycle_id=cycle_id, user=user)


@router.get("/notices/{notice_id}", response_model=NoticeRead, summary="One notice", responses=READ)
async def notice(
    session: SessionDep, user: CurrentUser, notice_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> NoticeRead:
    return await consequences.read_notice(session, notice_id, user)


@router.get(
    "/notices/{notice_id}/document",
    summary="The notice as a Word document (.docx)",
    response_class=Response,
    responses={200: {"content": {DOCX: {}}}, **READ},
)
async def notice_document(
    session: SessionDep, user: CurrentUser, notice_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Response:
    data, filename = await documents.notice_docx(session, notice_id=notice_id, user=user)
    return download(data, DOCX, filename)


@router.post(
    "/notices/{notice_id}/acknowledge",
    response_model=NoticeRead,
    summary="The notified secretary acknowledges the notice",
    responses=WRITE,
)
async def acknowledge(
    session: SessionDep, user: CurrentUser, notice_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> NoticeRead:
    return await consequences.acknowledge(session, notice_id=notice_id, user=user)


@router.get(
    "/orgs/{org_id}/results-history",
    response_model=OrgHistory,
    summary="An organisation's published results across cycles",
    responses=READ,
)
async def org_history(session: SessionDep, org: VisibleOrgDep) -> OrgHistory:
    return await history.org_history(session, org)


@router.get(
    "/results/flagged-twice",
    response_model=list[OrgHistory],
    summary="Organisations flagged in two consecutive cycles",
    responses=READ,
)
async def flagged_twice(session: SessionDep, user: StaffUser) -> list[OrgHistory]:
    return await history.repeatedly_flagged(session, user)
