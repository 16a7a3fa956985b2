"""Routes for reports (述职报告): adding, reading, writing, submitting, reviewing, attachments, assessment."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Path, Query, UploadFile, status
from fastapi.responses import FileResponse

from shuping.auth.dependencies import CurrentUser
from shuping.core.dependencies import SessionDep
from shuping.core.files import send_file
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.core.schemas import MAX_ID, DbId, Page
from shuping.cycles.dependencies import ManagedCycleDep
from shuping.reports import assessment, documents, service
from shuping.reports.dependencies import AuthoredReportDep, EditableReportDep, HostedReportDep, ReportDep
from shuping.reports.models import ReportStatus
from shuping.reports.schemas import (
    AssessmentIn,
    AssessmentRead,
    AttachmentRead,
    ReportAdd,
    ReportBatchIn,
    ReportDocumentRead,
    ReportRead,
    ReportReturn,
    ReportSummary,
    ReportUpdate,
)

router = Router(prefix="/reports", tags=["reports"])
# A report is added to its cycle (POST /cycles/{cycle_id}/reports): the route keeps the cycles tag and operation id.
cycle_router = Router(prefix="/cycles", tags=["cycles"])

AttachmentId = Annotated[int, Path(ge=1, le=MAX_ID)]


@cycle_router.post(
    "/{cycle_id:int}/reports",
    response_model=ReportRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a reporting organisation (its report starts as a draft)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def add_report(session: SessionDep, user: CurrentUser, cycle: ManagedCycleDep, body: ReportAdd) -> ReportRead:
    return await service.create_report(session, cycle=cycle, org_id=body.org_id, title=body.title, actor=user)


@router.get(
    "",
    response_model=Page[ReportSummary],
    summary="List the reports you may read (a secretary: their own; evaluators: accepted ones)",
    responses=problems(401, 422),
)
async def list_reports(
    session: SessionDep,
    user: CurrentUser,
    cycle_id: Annotated[DbId | None, Query()] = None,
    status_: Annotated[list[ReportStatus] | None, Query(alias="status", description="One or more statuses")] = None,
    org_id: Annotated[DbId | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[ReportSummary]:
    items, total = await service.list_reports(
        session, user=user, cycle_id=cycle_id, status=status_, org_id=org_id, limit=limit, offset=offset
    )
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/{report_id}", response_model=ReportRead, summary="One report", responses=problems(401, 403, 404, 422))
async def get_report(session: SessionDep, user: CurrentUser, report: ReportDep) -> ReportRead:
    return await service.read(session, report.id, user)


@router.patch(
    "/{report_id}",
    response_model=ReportRead,
    summary="Write the report (its secretary, while draft or returned; the host may fix the title)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def update_report(
    session: SessionDep, user: CurrentUser, report: EditableReportDep, report_in: ReportUpdate
) -> ReportRead:
    return await service.update_report(session, report=report, report_in=report_in, actor=user)


@router.delete(
    "/{report_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a report and its attachments from a cycle in preparation",
    responses=problems(401, 403, 404, 409, 422),
)
async def delete_report(session: SessionDep, user: CurrentUser, report: HostedReportDep) -> None:
    await service.delete_report(session, report=report, actor=user)


@router.post(
    "/{report_id}/submit",
    response_model=ReportRead,
    summary="Submit the report to the host",
    responses=problems(401, 403, 404, 409, 422),
)
async def submit_report(session: SessionDep, user: CurrentUser, report: AuthoredReportDep) -> ReportRead:
    return await service.submit(session, report=report, actor=user)


@router.post(
    "/{report_id}/accept",
    response_model=ReportRead,
    summary="Accept a submitted report (the host)",
    responses=problems(401, 403, 404, 409, 422),
)
async def accept_report(session: SessionDep, user: CurrentUser, report: HostedReportDep) -> ReportRead:
    return await service.accept(session, report=report, actor=user)


@router.post(
    "/batch/accept",
    response_model=list[ReportSummary],
    summary="Accept several submitted reports: all of them, or none (the host)",
    description=(
        "Each report is checked and accepted as POST /reports/{report_id}/accept accepts it, and audited the "
        "same. If any may not be accepted, nothing changes: the problem (code batch-refused) lists each refused "
        "report in errors (loc body.report_ids.<index>) and in refused_ids. At most 500 ids, each once."
    ),
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def accept_reports(session: SessionDep, user: CurrentUser, batch_in: ReportBatchIn) -> list[ReportSummary]:
    return await service.accept_all(session, report_ids=batch_in.report_ids, actor=user)


@router.post(
    "/{report_id}/return",
    response_model=ReportRead,
    summary="Return a report for revision, with a comment (the host)",
    responses=problems(401, 403, 404, 409, 422),
)
async def return_report(
    session: SessionDep, user: CurrentUser, report: HostedReportDep, body: ReportReturn
) -> ReportRead:
    return await service.return_report(session, report=report, comment=body.comment, actor=user)


@router.post(
    "/{report_id}/attachments",
    response_model=AttachmentRead,
    status_code=status.HTTP_201_CREATED,
    summary="Attach slides (PDF, PPTX) or an image (PNG, JPEG, WebP)",
    responses=problems(400, 401, 403, 404, 409, 413, 415, 422),
)
async def add_attachment(
    session: SessionDep,
    user: CurrentUser,
    report: AuthoredReportDep,
    file: Annotated[UploadFile, File(description="Slides up to 50 MB, images up to 10 MB (configurable)")],
) -> AttachmentRead:
    return await service.add_attachment(session, report=report, upload=file, actor=user)


@router.post(
    "/{report_id}/document",
    response_model=ReportDocumentRead,
    summary="Write the report from a Word document (.docx): its text becomes the body, the file an attachment",
    description="Headings, paragraphs, bold and italic, lists and tables become Markdown; pictures are left out "
    "(counted in `images_left_out`). An old Word document (.doc) is refused with a note to save it as .docx.",
    responses=problems(400, 401, 403, 404, 409, 413, 415, 422),
)
async def import_document(
    session: SessionDep,
    user: CurrentUser,
    report: AuthoredReportDep,
    file: Annotated[UploadFile, File(description="A .docx, up to the slides' limit (50 MB, configurable)")],
) -> ReportDocumentRead:
    return await documents.import_document(session, report=report, upload=file, actor=user)


@router.get(
    "/{report_id}/attachments/{attachment_id}",
    response_class=FileResponse,
    summary="Download an attachment",
    responses={
        200: {"description": "The file as uploaded", "content": {"application/octet-stream": {}}},
        **problems(401, 403, 404, 422),
    },
)
async def download_attachment(report: ReportDep, attachment_id: AttachmentId) -> FileResponse:
    attachment = service.find_attachment(report, attachment_id)
    return send_file(service.attachment_path(attachment), attachment.content_type, attachment.filename)


@router.delete(
    "/{report_id}/attachments/{attachment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove an attachment",
    responses=problems(401, 403, 404, 409, 422),
)
async def delete_attachment(
    session: SessionDep, user: CurrentUser, report: AuthoredReportDep, attachment_id: AttachmentId
) -> None:
    await service.delete_attachment(session, report=report, attachment_id=attachment_id, actor=user)


@router.get(
    "/{report_id}/assessment",
    response_model=AssessmentRead,
    summary="The report's indicator points and veto facts (the host)",
    responses=problems(401, 403, 404, 409, 422),
)
async def get_assessment(session: SessionDep, user: CurrentUser, report: HostedReportDep) -> AssessmentRead:
    return await assessment.read_assessment(session, report=report, actor=user)


@router.put(
    "/{report_id}/assessment",
    response_model=AssessmentRead,
    summary="Set the report's indicator points and veto facts (a veto present means yes)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def put_assessment(
    session: SessionDep, user: CurrentUser, report: HostedReportDep, assessment_in: AssessmentIn
) -> AssessmentRead:
    return await assessment.put_assessment(session, report=report, assessment_in=assessment_in, actor=user)
