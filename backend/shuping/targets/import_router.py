"""Routes for importing a programme's targets and the month's project progress sheet from Excel or CSV."""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from fastapi import File, Query, Response, UploadFile

from shuping.auth.dependencies import CurrentUser
from shuping.core.dependencies import SessionDep
from shuping.core.files import download
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.targets import importer
from shuping.targets.dependencies import ManagedProgrammeDep, ProgrammeDep, ProjectUser
from shuping.targets.importer import ProjectImportResult, TargetImportResult

router = Router(prefix="/targets", tags=["targets"])

XLSX = importer.XLSX_MEDIA_TYPE
DryRun = Annotated[bool, Query(description="Only check and say what would happen; change nothing")]
UPLOAD = ".xlsx or .csv (UTF-8 or GB18030), laid out as the template"


def _binary(description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}, "description": description}}


@router.post(
    "/programmes/{programme_id}/targets/import",
    response_model=TargetImportResult,
    summary="Import the targets from a sheet of units × measures (dry run by default; all units or none)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def import_targets(
    session: SessionDep,
    user: CurrentUser,
    programme: ManagedProgrammeDep,
    file: Annotated[UploadFile, File(description=UPLOAD)],
    dry_run: DryRun = True,
) -> TargetImportResult:
    content = await file.read(importer.MAX_IMPORT_BYTES + 1)
    return await importer.import_targets(
        session,
        programme=programme,
        content=content,
        filename=file.filename or "targets.xlsx",
        dry_run=dry_run,
        actor=user,
    )


@router.get(
    "/programmes/{programme_id}/targets/import/template",
    response_class=Response,
    summary="The targets sheet to fill in: a row per unit, a column per measure, today's targets filled in",
    responses={**_binary("An Excel workbook"), **problems(401, 403, 404, 422)},
)
async def targets_template(session: SessionDep, programme: ManagedProgrammeDep) -> Response:
    measures, units = await importer.targets_template_data(session, programme)
    content = await anyio.to_thread.run_sync(importer.targets_template, measures, units)
    return download(content, XLSX, f"{programme.name}-目标任务导入模板.xlsx", "targets-template")


@router.post(
    "/programmes/{programme_id}/projects/import",
    response_model=ProjectImportResult,
    summary="Import the month's project progress sheet: new leads and stage moves (dry run by default; all or none)",
    description="A unit's secretary, or a clerk reaching the unit, may import rows of the units they reach "
    "only; the programme's managers any unit's. A row of another unit is an error of its row.",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def import_projects(
    session: SessionDep,
    user: ProjectUser,
    programme: ProgrammeDep,
    file: Annotated[UploadFile, File(description=UPLOAD)],
    dry_run: DryRun = True,
) -> ProjectImportResult:
    content = await file.read(importer.MAX_IMPORT_BYTES + 1)
    return await importer.import_projects(
        session,
        programme=programme,
        content=content,
        filename=file.filename or "projects.xlsx",
        dry_run=dry_run,
        actor=user,
    )


@router.get(
    "/programmes/{programme_id}/projects/import/template",
    response_class=Response,
    summary="The month's project progress sheet to fill in, with the caller's units and the teams",
    responses={**_binary("An Excel workbook"), **problems(401, 403, 404, 422)},
)
async def projects_template(session: SessionDep, user: ProjectUser, programme: ProgrammeDep) -> Response:
    units, teams, example = await importer.projects_template_data(session, programme, user)
    content = await anyio.to_thread.run_sync(importer.projects_template, units, teams, example)
    return download(content, XLSX, f"{programme.name}-项目进展导入模板.xlsx", "projects-template")
