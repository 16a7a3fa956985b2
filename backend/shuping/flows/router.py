"""Routes for flows: importing a cycle with its rubric, groups and reports (under /cycles, tagged cycles);
the home page's to-do list (/home/todo)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, File, Path, Response, UploadFile, status
from fastapi.responses import FileResponse

from shuping.auth.dependencies import RequireRole, StaffUser
from shuping.auth.models import Role, User
from shuping.core.dependencies import SessionDep
from shuping.core.files import download, send_file
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.flows import cycle_import, home
from shuping.flows.cycle_workbook import XLSX
from shuping.flows.schemas import CycleImport, CycleImportResult, HomeTodo, ImportProblem

router = Router(prefix="/cycles", tags=["cycles"])

XLSX_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "An Excel workbook",
        "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
    }
}


def _import_problems(*, upload: bool) -> dict[int | str, dict[str, Any]]:
    responses = problems(401, 403, 413, 415, 422) if upload else problems(401, 403, 422)
    responses[400] = {
        "model": ImportProblem,
        "description": "The document breaks rules; nothing was imported. Each error names its location",
        "content": {"application/problem+json": {}},
    }
    return responses


@router.post(
    "/import",
    response_model=CycleImportResult,
    status_code=status.HTTP_201_CREATED,
    summary="Create a cycle with its rubric, groups and reports from one JSON document (all or nothing)",
    responses=_import_problems(upload=False),
)
async def import_cycle(session: SessionDep, staff: StaffUser, doc: CycleImport) -> CycleImportResult:
    return await cycle_import.import_json(session, doc=doc, actor=staff)


@router.get(
    "/import/template",
    response_class=Response,
    summary="The Excel workbook to fill in for an import",
    responses={**XLSX_RESPONSE, **problems(401, 403)},
)
async def import_template(session: SessionDep, staff: StaffUser) -> Response:
    content = await cycle_import.template(session, actor=staff)
    return download(content, XLSX, "评议周期导入模板.xlsx", fallback_stem="cycle-template")


@router.post(
    "/import/excel",
    response_model=CycleImportResult,
    status_code=status.HTTP_201_CREATED,
    summary="Create a cycle from a filled-in Excel workbook (all or nothing; errors come with an error sheet)",
    responses=_import_problems(upload=True),
)
async def import_excel(
    session: SessionDep,
    staff: StaffUser,
    file: Annotated[UploadFile, File(description="The filled-in template (.xlsx, at most 5 MB)")],
) -> CycleImportResult:
    return await cycle_import.import_excel(session, upload=file, actor=staff)


@router.get(
    "/import/error-sheets/{token}",
    response_class=FileResponse,
    summary="The workbook of a failed Excel import, with an error column (kept a day, for its uploader)",
    responses={**XLSX_RESPONSE, **problems(401, 403, 404, 422)},
)
async def import_error_sheet(
    staff: StaffUser, token: Annotated[str, Path(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
) -> FileResponse:
    path = cycle_import.error_sheet_path(staff.id, token)
    return send_file(path, XLSX, "导入错误.xlsx")


home_router = Router(prefix="/home", tags=["home"])
HomeReader = Annotated[
    User, Depends(RequireRole(Role.admin, Role.clerk, Role.leader, Role.deputy, Role.member, Role.secretary))
]


@home_router.get(
    "/todo",
    response_model=HomeTodo,
    summary="The signed-in user's to-do list: counts and the pages that list them",
    responses=problems(401, 403),
)
async def todo(session: SessionDep, user: HomeReader) -> HomeTodo:
    return await home.todo(session, user=user)
