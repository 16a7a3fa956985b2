"""Routes for cycles: settings, stages, evaluator groups and members, reports, import."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Depends, File, Path, Query, Response, UploadFile, status
from fastapi.responses import FileResponse

from shuping.auth.dependencies import CurrentUser, RequireRole, StaffUser
from shuping.auth.models import Role, User
from shuping.core.dependencies import SessionDep
from shuping.core.files import download
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.core.schemas import MAX_ID, Page
from shuping.cycles import excel, importing, service
from shuping.cycles.dependencies import CycleDep, ManagedCycleDep, ManagedGroupDep
from shuping.cycles.models import CycleStage
from shuping.cycles.schemas import (
    CandidateRead,
    CycleAdvance,
    CycleCreate,
    CycleImport,
    CycleImportResult,
    CycleRead,
    CycleRevert,
    CycleSummary,
    CycleUpdate,
    Gate,
    GroupsRead,
    GroupsUpdate,
    ImportProblem,
    MemberRead,
    MembersAdd,
    ReportAdd,
)
from shuping.reports import service as reports_service
from shuping.reports.schemas import ReportRead

router = Router(prefix="/cycles", tags=["cycles"])

XLSX_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "An Excel workbook",
        "content": {excel.XLSX: {"schema": {"type": "string", "format": "binary"}}},
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


@router.get(
    "", response_model=Page[CycleSummary], summary="List the cycles you take part in", responses=problems(401, 422)
)
async def list_cycles(
    session: SessionDep,
    user: CurrentUser,
    stage: CycleStage | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of the name")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[CycleSummary]:
    items, total = await service.list_cycles(session, user=user, stage=stage, q=q, limit=limit, offset=offset)
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.post(
    "",
    response_model=CycleRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create a cycle (in preparation)",
    responses=problems(400, 401, 403, 422),
)
async def create_cycle(session: SessionDep, staff: StaffUser, cycle_in: CycleCreate) -> CycleRead:
    cycle = await service.create_cycle(session, cycle_in=cycle_in, actor=staff)
    return await service.read(session, cycle.id, staff)


@router.post(
    "/import",
    response_model=CycleImportResult,
    status_code=status.HTTP_201_CREATED,
    summary="Create a cycle with its rubric, groups and reports from one JSON document (all or nothing)",
    responses=_import_problems(upload=False),
)
async def import_cycle(session: SessionDep, staff: StaffUser, doc: CycleImport) -> CycleImportResult:
    return await importing.import_json(session, doc=doc, actor=staff)


@router.get(
    "/import/template",
    response_class=Response,
    summary="The Excel workbook to fill in for an import",
    responses={**XLSX_RESPONSE, **problems(401, 403)},
)
async def import_template(session: SessionDep, staff: StaffUser) -> Response:
    content = await importing.template(session, actor=staff)
    return download(content, excel.XLSX, "评议周期导入模板.xlsx", fallback_stem="cycle-template")


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
    return await importing.import_excel(session, upload=file, actor=staff)


@router.get(
    "/import/error-sheets/{token}",
    response_class=FileResponse,
    summary="The workbook of a failed Excel import, with an error column (kept a day, for its uploader)",
    responses={**XLSX_RESPONSE, **problems(401, 403, 404, 422)},
)
async def import_error_sheet(
    staff: StaffUser, token: Annotated[str, Path(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
) -> FileResponse:
    path = importing.error_sheet_path(staff.id, token)
    return FileResponse(path, media_type=excel.XLSX, filename="导入错误.xlsx")


@router.get("/{cycle_id:int}", response_model=CycleRead, summary="One cycle", responses=problems(401, 403, 404, 422))
async def get_cycle(session: SessionDep, user: CurrentUser, cycle: CycleDep) -> CycleRead:
    return await service.read(session, cycle.id, user)


@router.patch(
    "/{cycle_id:int}",
    response_model=CycleRead,
    summary="Change a cycle's settings (most only in preparation)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def update_cycle(
    session: SessionDep, user: CurrentUser, cycle: ManagedCycleDep, cycle_in: CycleUpdate
) -> CycleRead:
    await service.update_cycle(session, cycle=cycle, cycle_in=cycle_in, actor=user)
    return await service.read(session, cycle.id, user)


@router.get(
    "/{cycle_id:int}/gate",
    response_model=Gate,
    summary="Whether the cycle may move to its next stage, and what blocks it",
    responses=problems(401, 403, 404, 422),
)
async def get_gate(session: SessionDep, cycle: CycleDep) -> Gate:
    return await service.gate(session, cycle)


@router.post(
    "/{cycle_id:int}/advance",
    response_model=CycleRead,
    summary="Move the cycle to its next stage, if the gate holds",
    responses=problems(401, 403, 404, 409, 422),
)
async def advance_cycle(
    session: SessionDep,
    user: CurrentUser,
    cycle: ManagedCycleDep,
    body: Annotated[CycleAdvance | None, Body()] = None,
) -> CycleRead:
    await service.advance(session, cycle=cycle, to=body.to if body else None, actor=user)
    return await service.read(session, cycle.id, user)


@router.post(
    "/{cycle_id:int}/revert",
    response_model=CycleRead,
    summary="Take the cycle back one stage (administrators, with a recorded reason)",
    responses=problems(401, 403, 404, 409, 422),
)
async def revert_cycle(
    session: SessionDep,
    admin: Annotated[User, Depends(RequireRole(Role.admin))],
    cycle: ManagedCycleDep,
    body: CycleRevert,
) -> CycleRead:
    await service.revert(session, cycle=cycle, reason=body.reason, actor=admin)
    return await service.read(session, cycle.id, admin)


@router.get(
    "/{cycle_id:int}/groups",
    response_model=GroupsRead,
    summary="The evaluator groups",
    responses=problems(401, 403, 404, 422),
)
async def get_groups(session: SessionDep, cycle: CycleDep) -> GroupsRead:
    return await service.groups_read(session, cycle)


@router.put(
    "/{cycle_id:int}/groups",
    response_model=GroupsRead,
    summary="Set the evaluator groups (a group whose key stays keeps its members)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def replace_groups(
    session: SessionDep, user: CurrentUser, cycle: ManagedCycleDep, body: GroupsUpdate
) -> GroupsRead:
    await service.replace_groups(session, cycle=cycle, groups_in=body.groups, actor=user)
    return await service.groups_read(session, await service.get_cycle(session, cycle.id))


@router.get(
    "/{cycle_id:int}/members",
    response_model=list[MemberRead],
    summary="Every named evaluator of the cycle",
    responses=problems(401, 403, 404, 422),
)
async def list_cycle_members(session: SessionDep, cycle: ManagedCycleDep) -> list[MemberRead]:
    return await service.list_members(session, cycle)


@router.get(
    "/{cycle_id:int}/candidates",
    response_model=list[CandidateRead],
    summary="Active leaders, deputies and members who may be assigned as evaluators",
    responses=problems(401, 403, 404, 422),
)
async def list_candidates(
    session: SessionDep,
    cycle: ManagedCycleDep,
    q: Annotated[str | None, Query(max_length=100, description="Part of the username or name")] = None,
    role: Role | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[CandidateRead]:
    return await service.candidates(session, cycle=cycle, q=q, role=role, limit=limit)


@router.get(
    "/{cycle_id:int}/groups/{key}/members",
    response_model=list[MemberRead],
    summary="The named evaluators of a group",
    responses=problems(401, 403, 404, 422),
)
async def list_group_members(session: SessionDep, cycle: ManagedCycleDep, group: ManagedGroupDep) -> list[MemberRead]:
    return await service.list_members(session, cycle, group)


@router.post(
    "/{cycle_id:int}/groups/{key}/members",
    response_model=list[MemberRead],
    summary="Assign named evaluators to a group",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def add_group_members(
    session: SessionDep, user: CurrentUser, cycle: ManagedCycleDep, group: ManagedGroupDep, body: MembersAdd
) -> list[MemberRead]:
    return await service.add_members(session, cycle=cycle, group=group, user_ids=body.user_ids, actor=user)


@router.delete(
    "/{cycle_id:int}/groups/{key}/members/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a named evaluator from a group",
    responses=problems(401, 403, 404, 409, 422),
)
async def remove_group_member(
    session: SessionDep,
    user: CurrentUser,
    cycle: ManagedCycleDep,
    group: ManagedGroupDep,
    user_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> None:
    await service.remove_member(session, cycle=cycle, group=group, user_id=user_id, actor=user)


@router.post(
    "/{cycle_id:int}/reports",
    response_model=ReportRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a reporting organisation (its report starts as a draft)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def add_report(session: SessionDep, user: CurrentUser, cycle: ManagedCycleDep, body: ReportAdd) -> ReportRead:
    return await reports_service.create_report(session, cycle=cycle, org_id=body.org_id, title=body.title, actor=user)
