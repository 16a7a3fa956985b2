"""Routes for petition cases, appointments, statistics, imports, the sync log and the Sunshine push."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, NoReturn

import anyio
from fastapi import Depends, File, Query, Response, UploadFile, status
from fastapi.exceptions import RequestValidationError

from shuping.auth.dependencies import for_integration
from shuping.auth.models import Role
from shuping.core.dependencies import SessionDep
from shuping.core.errors import NotFound
from shuping.core.files import download
from shuping.core.i18n import N_, Msg
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.core.schemas import DbId, IsoDateTime, Page
from shuping.cycles.dependencies import ManagedCycleDep
from shuping.petitions import appointments, importer, repository, service, stats, sunshine, sync
from shuping.petitions.calendar import Stage
from shuping.petitions.dependencies import (
    AppointmentDep,
    CaseDep,
    CaseManager,
    CaseReader,
    CountyCaseManager,
    SignedBodyDep,
    SnapshotCycleDep,
    SyncOperator,
    SyncReader,
)
from shuping.petitions.measures import Period
from shuping.petitions.models import DEFAULT_SOURCE, StatsGroup, SyncKind, SyncStatus
from shuping.petitions.schemas import (
    AppointmentCreate,
    AppointmentRead,
    AppointmentUpdate,
    CaseCreate,
    CaseDetail,
    CaseRead,
    ExportFormat,
    ExtensionIn,
    ImportResult,
    LeaderRead,
    PushResult,
    StatsRead,
    SunshineBatch,
    SyncRunRead,
    TransitionIn,
)
from shuping.petitions.statemachine import CaseStatus

router = Router(prefix="/petitions", tags=["petitions"])
integrations_router = Router(prefix="/integrations/sunshine", tags=["integrations"])

XLSX = importer.XLSX_MEDIA_TYPE
CSV = importer.CSV_MEDIA_TYPE
_FILE = {"schema": {"type": "string", "format": "binary"}}
_XLSX_RESPONSE: dict[int | str, dict[str, Any]] = {200: {"content": {XLSX: _FILE}, "description": "An Excel workbook"}}
_EXPORT_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX: _FILE, "text/csv": _FILE}, "description": "An Excel workbook, or a UTF-8 CSV file"}
}

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


class CaseFilters:
    """The list and export filters."""

    def __init__(
        self,
        org_id: Annotated[DbId | None, Query(description="The township")] = None,
        department_id: Annotated[DbId | None, Query(description="The county department")] = None,
        status: Annotated[list[CaseStatus] | None, Query(description="One or more statuses")] = None,
        stage: Annotated[list[Stage] | None, Query(description="One or more clock stages")] = None,
        overdue: Annotated[bool | None, Query(description="Only (or no) overdue cases")] = None,
        q: Annotated[
            str | None, Query(max_length=100, description="Part of the case number, summary or category")
        ] = None,
    ) -> None:
        self.values: dict[str, Any] = {
            "org_id": org_id,
            "department_id": department_id,
            "status": status,
            "stage": stage,
            "overdue": overdue,
            "q": q,
        }


Filters = Annotated[CaseFilters, Depends(CaseFilters)]

# The years a period may name: wide enough for any real case, narrow enough that no clock overflows.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def _refuse_reversed(loc: tuple[str, str], msg: Msg) -> NoReturn:
    raise RequestValidationError([{"loc": loc, "msg": msg, "type": "value_error"}])


class StatsPeriodQuery:
    """The statistics' period: received from / to (Beijing dates, both included, either open)."""

    def __init__(
        self,
        date_from: Annotated[
            date | None,
            Query(alias="from", ge=FIRST_DAY, le=LAST_DAY, description="First day of the period (YYYY-MM-DD)"),
        ] = None,
        date_to: Annotated[
            date | None,
            Query(alias="to", ge=FIRST_DAY, le=LAST_DAY, description="Last day of the period (YYYY-MM-DD)"),
        ] = None,
    ) -> None:
        if date_from is not None and date_to is not None and date_to < date_from:
            _refuse_reversed(("query", "to"), N_("The period ends (to) before it starts (from)"))
        self.period = Period(date_from, date_to)


StatsPeriod = Annotated[StatsPeriodQuery, Depends(StatsPeriodQuery)]


@router.get("/cases", response_model=Page[CaseRead], summary="List and search cases", responses=problems(401, 403, 422))
async def list_cases(
    session: SessionDep, user: CaseReader, filters: Filters, limit: Limit = 50, offset: Offset = 0
) -> Page[CaseRead]:
    items, total = await repository.list_cases(session, user=user, limit=limit, offset=offset, **filters.values)
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.post(
    "/cases",
    response_model=CaseRead,
    status_code=status.HTTP_201_CREATED,
    summary="Enter a case by hand",
    responses=problems(400, 401, 403, 422),
)
async def create_case(session: SessionDep, user: CaseManager, case_in: CaseCreate) -> CaseRead:
    return repository.to_read(await service.create_case(session, case_in=case_in, actor=user))


@router.get(
    "/cases/export",
    response_class=Response,
    summary="Export cases as Excel or CSV (petitioners masked)",
    responses={**_EXPORT_RESPONSE, **problems(401, 403, 422)},
)
async def export_cases(
    session: SessionDep,
    user: CaseManager,
    filters: Filters,
    file_format: Annotated[
        ExportFormat, Query(alias="format", description="xlsx, or csv (UTF-8, formula-like text defused)")
    ] = ExportFormat.xlsx,
) -> Response:
    items, _ = await repository.list_cases(session, user=user, limit=100_000, offset=0, **filters.values)
    if file_format is ExportFormat.csv:
        content = await anyio.to_thread.run_sync(importer.export_csv, items)
        return download(content, CSV, "信访案件.csv", fallback_stem="export")
    content = await anyio.to_thread.run_sync(importer.export_sheet, items)
    return download(content, XLSX, "信访案件.xlsx", fallback_stem="export")


@router.get(
    "/cases/{case_id}",
    response_model=CaseDetail,
    summary="One case with its history and appointments",
    responses=problems(401, 403, 404, 422),
)
async def get_case(session: SessionDep, case: CaseDep) -> CaseDetail:
    return await repository.case_detail(session, case)


@router.post(
    "/cases/{case_id}/transitions",
    response_model=CaseRead,
    summary="Move a case to its next status",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def transition_case(
    session: SessionDep, user: CaseManager, case: CaseDep, transition_in: TransitionIn
) -> CaseRead:
    updated = await service.transition(
        session,
        case=case,
        to_status=transition_in.to_status,
        holder_org_id=transition_in.holder_org_id,
        note=transition_in.note,
        actor=user,
        satisfaction=transition_in.satisfaction,
    )
    return repository.to_read(updated)


@router.post(
    "/cases/{case_id}/extension",
    response_model=CaseRead,
    summary="Extend the handling period once, with a reason",
    responses=problems(401, 403, 404, 409, 422),
)
async def extend_case(session: SessionDep, user: CaseManager, case: CaseDep, extension_in: ExtensionIn) -> CaseRead:
    return repository.to_read(await service.extend(session, case=case, reason=extension_in.reason, actor=user))


@router.post(
    "/cases/{case_id}/appointments",
    response_model=AppointmentRead,
    status_code=status.HTTP_201_CREATED,
    summary="Book a video reception with a leader",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def book_appointment(
    session: SessionDep, user: CaseManager, case: CaseDep, appointment_in: AppointmentCreate
) -> AppointmentRead:
    return await appointments.book_appointment(session, case=case, appt_in=appointment_in, actor=user)


@router.get(
    "/appointments",
    response_model=Page[AppointmentRead],
    summary="List video reception appointments",
    responses=problems(401, 403, 422),
)
async def list_appointments(
    session: SessionDep,
    user: CaseReader,
    leader_id: Annotated[DbId | None, Query()] = None,
    since: Annotated[
        IsoDateTime | None, Query(description="Ending after this time (a calendar's first moment)")
    ] = None,
    until: Annotated[IsoDateTime | None, Query(description="Starting before this time (a calendar's end)")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[AppointmentRead]:
    if since is not None and until is not None and until <= since:
        _refuse_reversed(("query", "until"), N_("The period ends (until) before it starts (since)"))
    if user.role == Role.leader and leader_id is None:
        leader_id = user.id
    items, total = await appointments.list_appointments(
        session, user=user, leader_id=leader_id, since=since, until=until, limit=limit, offset=offset
    )
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/leaders",
    response_model=list[LeaderRead],
    summary="Leaders a video reception can be booked with",
    responses=problems(401, 403),
)
async def list_leaders(session: SessionDep, _user: CaseManager) -> list[LeaderRead]:
    return [LeaderRead.model_validate(u) for u in await appointments.list_leaders(session)]


@router.patch(
    "/appointments/{appointment_id}",
    response_model=AppointmentRead,
    summary="Record an appointment's outcome (held, missed or cancelled)",
    responses=problems(401, 403, 404, 409, 422),
)
async def update_appointment(
    session: SessionDep, user: CaseManager, appointment: AppointmentDep, appointment_in: AppointmentUpdate
) -> AppointmentRead:
    return await appointments.update_appointment(session, appt=appointment, appt_in=appointment_in, actor=user)


@router.get(
    "/stats",
    response_model=StatsRead,
    summary="Figures per township or department, and in total",
    responses=problems(401, 403, 422),
)
async def get_stats(
    session: SessionDep, user: CaseReader, period: StatsPeriod, group_by: StatsGroup = StatsGroup.org
) -> StatsRead:
    """The counts over the cases received in the period (every case received by today without one),
    and the four measures of petition work (及时受理率, 按期办结率, 群众满意率, 参评率) over it."""
    return await stats.compute_stats(session, group_by=group_by, user=user, period=period.period)


@router.post(
    "/stats/snapshots",
    response_model=StatsRead,
    summary="Freeze the figures for an evaluation cycle in assessment (idempotent)",
    responses=problems(401, 403, 404, 409, 422),
)
async def create_snapshot(session: SessionDep, cycle: SnapshotCycleDep) -> StatsRead:
    await stats.snapshot_stats(session, cycle_id=cycle.id)
    frozen = await stats.snapshot_read(session, cycle_id=cycle.id, group_by=StatsGroup.org)
    assert frozen is not None
    return frozen


@router.get(
    "/stats/snapshots/{cycle_id}",
    response_model=StatsRead,
    summary="The figures frozen for an evaluation cycle",
    responses=problems(401, 403, 404, 422),
)
async def get_snapshot(
    session: SessionDep, _user: CountyCaseManager, cycle: ManagedCycleDep, group_by: StatsGroup = StatsGroup.org
) -> StatsRead:
    frozen = await stats.snapshot_read(session, cycle_id=cycle.id, group_by=group_by)
    if frozen is None:
        raise NotFound(N_("Cycle {id} has no frozen petition figures", id=cycle.id))
    return frozen


@router.post(
    "/imports",
    response_model=ImportResult,
    summary="Import cases from Excel or CSV (dry run by default; all rows or none)",
    responses=problems(400, 401, 403, 413, 422),
)
async def import_cases(
    session: SessionDep,
    user: CountyCaseManager,
    file: Annotated[UploadFile, File(description=".xlsx or .csv, one case per row")],
    dry_run: Annotated[bool, Query(description="Only check and predict; apply nothing")] = True,
) -> ImportResult:
    content = await file.read(importer.MAX_IMPORT_BYTES + 1)
    return await importer.import_file(
        session, content=content, filename=file.filename or "upload", dry_run=dry_run, actor=user
    )


@router.get(
    "/imports/{run_id}/errors",
    response_class=Response,
    summary="The error sheet of an import: the failed rows with their problems",
    responses={**_XLSX_RESPONSE, **problems(401, 403, 404, 422)},
)
async def import_errors(session: SessionDep, _user: CountyCaseManager, run_id: DbId) -> Response:
    run = await sunshine.get_sync_run(session, run_id)
    if run.kind != SyncKind.import_:
        raise NotFound(N_("Sync run {run_id} is not an import", run_id=run_id))
    content = await anyio.to_thread.run_sync(importer.error_sheet, run.errors)
    return download(content, XLSX, f"import-{run.id}-errors.xlsx")


@router.get("/sync/runs", response_model=Page[SyncRunRead], summary="The sync log", responses=problems(401, 403, 422))
@for_integration
async def list_sync_runs(
    session: SessionDep,
    _user: SyncReader,
    kind: SyncKind | None = None,
    run_status: Annotated[SyncStatus | None, Query(alias="status")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[SyncRunRead]:
    rows, total = await sunshine.list_sync_runs(session, kind=kind, status=run_status, limit=limit, offset=offset)
    return Page(items=[SyncRunRead.model_validate(r) for r in rows], total=total, limit=limit, offset=offset)


@router.post(
    "/sync/pull",
    response_model=SyncRunRead,
    summary="Pull changes from the Sunshine system now",
    responses=problems(401, 403, 409),
)
@for_integration
async def pull_now(session: SessionDep, user: SyncOperator) -> SyncRunRead:
    return SyncRunRead.model_validate(await sync.pull(session, actor=user))


@integrations_router.post(
    "/cases",
    response_model=PushResult,
    summary="Receive a signed batch of cases (Standard Webhooks)",
    description=(
        "Headers `webhook-id`, `webhook-timestamp` (unix seconds, within 5 minutes) and `webhook-signature` "
        '(`v1,` + base64 HMAC-SHA256 over "{id}.{timestamp}.{raw body}"). A repeated message id is '
        "acknowledged and ignored; each case gets its own result."
    ),
    responses=problems(401, 409, 413, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SunshineBatch"}}},
        }
    },
)
async def receive_cases(session: SessionDep, signed: SignedBodyDep) -> PushResult:
    return await sunshine.receive_push(session, source=DEFAULT_SOURCE, message_id=signed.message_id, body=signed.body)


def add_openapi_schemas(document: dict[str, Any]) -> None:
    """Put the push body's schema, referenced by hand above, into the OpenAPI components."""
    schema = SunshineBatch.model_json_schema(ref_template="#/components/schemas/{model}")
    components = document.setdefault("components", {}).setdefault("schemas", {})
    components.update(schema.pop("$defs", {}))
    components["SunshineBatch"] = schema
