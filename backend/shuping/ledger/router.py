"""Routes for opinions, the rectification ledger, its figures and follow-up reports, and the public board."""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from fastapi import Depends, File, Path, Query, Response, UploadFile, status
from fastapi.responses import FileResponse

from shuping.core.dependencies import SessionDep
from shuping.core.files import download, send_file
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.core.schemas import MAX_ID, DbId, Page
from shuping.ledger import batch, board, duplicates, evidence, followup, importer, opinions, service, stats
from shuping.ledger import items as ledger_items
from shuping.ledger.dependencies import (
    ActingItemDep,
    FollowupSubjectDep,
    HostedItemDep,
    ItemDep,
    LedgerReader,
    LedgerStaff,
    ReaderCycle,
    StaffCycle,
    StaffCycleQuery,
)
from shuping.ledger.models import OpinionSource
from shuping.ledger.schemas import (
    BatchTransitionIn,
    Board,
    DuplicateSuggestions,
    EvidenceRead,
    FollowupReport,
    HarvestResult,
    ItemDetail,
    ItemRead,
    ItemUpdate,
    LedgerStats,
    MergeIn,
    NoteCreate,
    NoteRead,
    OpinionCreate,
    OpinionImportResult,
    OpinionList,
    OpinionRead,
    PublicityIn,
    Reminders,
    TransitionIn,
)
from shuping.ledger.statemachine import ItemStatus

opinions_router = Router(prefix="/cycles", tags=["opinions"])
router = Router(prefix="/ledger", tags=["ledger"])
public_router = Router(prefix="/public", tags=["public"])

XLSX = importer.XLSX_MEDIA_TYPE
CSV = importer.CSV_MEDIA_TYPE
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _binary(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"content": {media_type: {"schema": {"type": "string", "format": "binary"}}}, "description": description}
    }


Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
CategoryQuery = Annotated[str | None, Query(min_length=1, max_length=50, description="One of the cycle's categories")]
EvidenceId = Annotated[int, Path(ge=1, le=MAX_ID)]


# --- opinions --------------------------------------------------------------------------------


@opinions_router.get(
    "/{cycle_id}/opinions",
    response_model=OpinionList,
    summary="The cycle's opinions, with counts by category and organisation",
    responses=problems(401, 403, 404, 422),
)
async def list_opinions(
    session: SessionDep,
    user: LedgerReader,
    cycle: ReaderCycle,
    org_id: Annotated[DbId | None, Query()] = None,
    category: CategoryQuery = None,
    source: OpinionSource | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> OpinionList:
    return await opinions.list_opinions(
        session, cycle=cycle, user=user, org_id=org_id, category=category, source=source, limit=limit, offset=offset
    )


@opinions_router.post(
    "/{cycle_id}/opinions",
    response_model=OpinionRead,
    status_code=status.HTTP_201_CREATED,
    summary="Enter an opinion (it opens a ledger item, or joins the one named)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def create_opinion(
    session: SessionDep, user: LedgerStaff, cycle: StaffCycle, opinion_in: OpinionCreate
) -> OpinionRead:
    return await opinions.create_opinion(session, cycle=cycle, opinion_in=opinion_in, actor=user)


@opinions_router.post(
    "/{cycle_id}/opinions/from-ballots",
    response_model=HarvestResult,
    summary="Turn the comments of the cycle's closed ballots into opinions (idempotent)",
    responses=problems(401, 403, 404, 409, 422),
)
async def harvest_ballots(session: SessionDep, user: LedgerStaff, cycle: StaffCycle) -> HarvestResult:
    return await opinions.harvest(session, cycle=cycle, actor=user)


@opinions_router.post(
    "/{cycle_id}/opinions/imports",
    response_model=OpinionImportResult,
    summary="Import paper opinions from Excel (dry run by default; all rows or none)",
    responses=problems(400, 401, 403, 404, 409, 413, 422),
)
async def import_opinions(
    session: SessionDep,
    user: LedgerStaff,
    cycle: StaffCycle,
    file: Annotated[UploadFile, File(description=".xlsx, one opinion per row (see the template)")],
    dry_run: Annotated[bool, Query(description="Only check; apply nothing")] = True,
) -> OpinionImportResult:
    content = await file.read(importer.MAX_IMPORT_BYTES + 1)
    return await importer.import_file(
        session, cycle=cycle, content=content, filename=file.filename or "upload.xlsx", dry_run=dry_run, actor=user
    )


@opinions_router.get(
    "/{cycle_id}/opinions/imports/template",
    response_class=Response,
    summary="The Excel sheet to fill in for an import, with the cycle's categories and organisations",
    responses={**_binary(XLSX, "An Excel workbook"), **problems(401, 403, 404, 422)},
)
async def import_template(session: SessionDep, user: LedgerStaff, cycle: StaffCycle) -> Response:
    categories = await service.categories_of(session, cycle.id)
    orgs = await importer.reporting_orgs(session, cycle)
    pairs = sorted({(o.code, o.name) for o in orgs.values()})
    content = await anyio.to_thread.run_sync(importer.template, categories, pairs)
    return download(content, XLSX, "意见建议导入模板.xlsx")


@opinions_router.get(
    "/{cycle_id}/opinions/imports/{import_id}/errors",
    response_class=Response,
    summary="The error sheet of an import: the failed rows with their problems",
    responses={**_binary(XLSX, "An Excel workbook"), **problems(401, 403, 404, 422)},
)
async def import_errors(
    session: SessionDep, user: LedgerStaff, cycle: StaffCycle, import_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Response:
    run = await importer.get_import(session, cycle, import_id)
    content = await anyio.to_thread.run_sync(importer.error_sheet, run.errors)
    return download(content, XLSX, f"opinion-import-{run.id}-errors.xlsx")


# --- ledger items ----------------------------------------------------------------------------


class ItemFilters:
    """The list and export filters."""

    def __init__(
        self,
        cycle_id: Annotated[DbId | None, Query()] = None,
        org_id: Annotated[DbId | None, Query(description="The owner organisation")] = None,
        category: CategoryQuery = None,
        status: Annotated[list[ItemStatus] | None, Query(description="One or more statuses")] = None,
        overdue: Annotated[bool | None, Query(description="Only (or no) overdue items")] = None,
        due_soon: Annotated[bool | None, Query(description="Only (or no) items due soon")] = None,
        mine: Annotated[
            bool | None, Query(description="Only your organisation's items, or those you answer for")
        ] = None,
        q: Annotated[str | None, Query(max_length=100, description="Part of the title or measures")] = None,
    ) -> None:
        self.values: dict[str, Any] = {
            "cycle_id": cycle_id,
            "org_id": org_id,
            "category": category,
            "status": status,
            "overdue": overdue,
            "due_soon": due_soon,
            "mine": mine,
            "q": q.replace("\x00", "") if q else q,
        }


Filters = Annotated[ItemFilters, Depends(ItemFilters)]


@router.get("/items", response_model=Page[ItemRead], summary="List ledger items", responses=problems(401, 403, 422))
async def list_items(
    session: SessionDep, user: LedgerReader, filters: Filters, limit: Limit = 50, offset: Offset = 0
) -> Page[ItemRead]:
    items, total = await ledger_items.list_items(session, user=user, limit=limit, offset=offset, **filters.values)
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/items.xlsx",
    response_class=Response,
    summary="Export the ledger as Excel (Chinese headers)",
    responses={**_binary(XLSX, "An Excel workbook"), **problems(401, 403, 422)},
)
async def export_items(session: SessionDep, user: LedgerReader, filters: Filters) -> Response:
    items, _ = await ledger_items.list_items(session, user=user, limit=100_000, offset=0, **filters.values)
    content = await anyio.to_thread.run_sync(importer.export_sheet, items)
    return download(content, XLSX, "整改台账.xlsx")


@router.get(
    "/items.csv",
    response_class=Response,
    summary="Export the ledger as CSV (Chinese headers, UTF-8, formula-like text defused)",
    responses={**_binary("text/csv", "A UTF-8 CSV file"), **problems(401, 403, 422)},
)
async def export_items_csv(session: SessionDep, user: LedgerReader, filters: Filters) -> Response:
    items, _ = await ledger_items.list_items(session, user=user, limit=100_000, offset=0, **filters.values)
    content = await anyio.to_thread.run_sync(importer.export_csv, items)
    return download(content, CSV, "整改台账.csv")


@router.get(
    "/items/{item_id}",
    response_model=ItemDetail,
    summary="One item with its opinions, notes, evidence and history",
    responses=problems(401, 403, 404, 422),
)
async def get_item(session: SessionDep, user: LedgerReader, item: ItemDep) -> ItemDetail:
    return await ledger_items.detail(session, item, user=user)


@router.patch(
    "/items/{item_id}",
    response_model=ItemRead,
    summary="Change an item (the org department: anything; the owner: its measures)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def update_item(session: SessionDep, user: LedgerReader, item: ActingItemDep, item_in: ItemUpdate) -> ItemRead:
    updated = await ledger_items.update_item(session, item=item, item_in=item_in, actor=user)
    return await ledger_items.read(session, updated, user=user)


@router.post(
    "/items/{item_id}/transitions",
    response_model=ItemRead,
    summary="Move an item to its next status",
    description=(
        "open → in_progress (owner or org department) → done (owner) → verified (org department); "
        "done → in_progress sends it back, and open, in_progress or done → rejected refuses it "
        "(org department, with a note saying why); rejected → open reopens it. "
        "An illegal step is 409 naming the allowed ones."
    ),
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def transition_item(
    session: SessionDep, user: LedgerReader, item: ActingItemDep, transition_in: TransitionIn
) -> ItemRead:
    moved = await ledger_items.transition(session, item=item, to=transition_in.to, note=transition_in.note, actor=user)
    return await ledger_items.read(session, moved, user=user)


@router.post(
    "/items/{item_id}/merge",
    response_model=ItemRead,
    summary="Fold similar items into this one, keeping every opinion, note, file and history entry",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def merge_items(session: SessionDep, user: LedgerStaff, item: HostedItemDep, merge_in: MergeIn) -> ItemRead:
    merged = await ledger_items.merge(session, item=item, item_ids=merge_in.item_ids, actor=user)
    return await ledger_items.read(session, merged, user=user)


@router.post(
    "/items/batch/transitions",
    response_model=list[ItemRead],
    summary="Move several items to the same next status: all of them, or none",
    description=(
        "Each item is checked and moved as POST /items/{item_id}/transitions moves it, and audited the same. "
        "If any may not move (out of sight, not the caller's to move, an illegal step), nothing changes: the "
        "problem (code batch-refused) lists each refused item in errors (loc body.item_ids.<index>) and in "
        "refused_ids; its status is 403 or 404 when an item is the caller's to neither see nor act on, else "
        "the refusal's own (409, 400). At most 500 ids, each once (else 422)."
    ),
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def transition_items(session: SessionDep, user: LedgerReader, batch_in: BatchTransitionIn) -> list[ItemRead]:
    moved = await batch.transition_all(
        session, item_ids=batch_in.item_ids, to=batch_in.to, note=batch_in.note, actor=user
    )
    return await ledger_items.reads(session, moved, user=user)


@router.get(
    "/duplicates",
    response_model=DuplicateSuggestions,
    summary="Items of one organisation that say nearly the same, suggested for merging",
    description=(
        "The cycle's open and in-progress items, grouped per organisation when their titles — without spacing, "
        "punctuation, case or full-width forms — are at least `threshold` similar (difflib's ratio), directly or "
        "through another item of the group. Each group names the item to keep (most opinions, else the oldest) "
        "for POST /items/{target_id}/merge."
    ),
    responses=problems(401, 403, 404, 422),
)
async def duplicate_suggestions(session: SessionDep, user: LedgerStaff, cycle: StaffCycleQuery) -> DuplicateSuggestions:
    return await duplicates.suggestions(session, cycle=cycle, user=user)


@router.put(
    "/items/{item_id}/publicity",
    response_model=ItemRead,
    summary="Show an item on the public board under a title of its own, change that title, or withdraw it",
    description=(
        "The org department hosting the item's cycle decides. public_title is required when public is true: "
        "the board never shows the item's own title, which for a ballot comment is the comment itself, and "
        "refuses a public title repeating an anonymous opinion. The board lists the item once the cycle's "
        "results are published."
    ),
    responses=problems(400, 401, 403, 404, 422),
)
async def set_item_publicity(
    session: SessionDep, user: LedgerStaff, item: HostedItemDep, publicity_in: PublicityIn
) -> ItemRead:
    changed = await board.set_publicity(session, item=item, publicity_in=publicity_in, actor=user)
    return await ledger_items.read(session, changed, user=user)


@router.get(
    "/items/{item_id}/notes",
    response_model=list[NoteRead],
    summary="An item's progress notes, by date",
    responses=problems(401, 403, 404, 422),
)
async def list_notes(session: SessionDep, user: LedgerReader, item: ItemDep) -> list[NoteRead]:
    return await ledger_items.list_notes(session, item)


@router.post(
    "/items/{item_id}/notes",
    response_model=NoteRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a dated progress note",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def add_note(session: SessionDep, user: LedgerReader, item: ActingItemDep, note_in: NoteCreate) -> NoteRead:
    return await ledger_items.add_note(session, item=item, note_in=note_in, actor=user)


@router.post(
    "/items/{item_id}/evidence",
    response_model=EvidenceRead,
    status_code=status.HTTP_201_CREATED,
    summary="Attach evidence (PDF, PNG, JPEG, WebP, DOCX or XLSX; 20 MB by default)",
    responses=problems(400, 401, 403, 404, 409, 413, 415, 422),
)
async def add_evidence(
    session: SessionDep,
    user: LedgerReader,
    item: ActingItemDep,
    file: Annotated[UploadFile, File(description="A photo, scan or document showing progress")],
) -> EvidenceRead:
    return await evidence.add(session, item=item, upload=file, actor=user)


@router.get(
    "/items/{item_id}/evidence/{evidence_id}",
    response_class=FileResponse,
    summary="Download an evidence file",
    responses={
        200: {"description": "The file as uploaded", "content": {"application/octet-stream": {}}},
        **problems(401, 403, 404, 422),
    },
)
async def download_evidence(
    session: SessionDep, user: LedgerReader, item: ItemDep, evidence_id: EvidenceId
) -> FileResponse:
    found = await evidence.get(session, item, evidence_id)
    return send_file(evidence.path_of(found), found.content_type, found.filename)


@router.delete(
    "/items/{item_id}/evidence/{evidence_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove an evidence file",
    responses=problems(401, 403, 404, 409, 422),
)
async def remove_evidence(
    session: SessionDep, user: LedgerReader, item: ActingItemDep, evidence_id: EvidenceId
) -> None:
    await evidence.remove(session, item=item, evidence_id=evidence_id, actor=user)


# --- supervision -----------------------------------------------------------------------------


@router.get(
    "/stats",
    response_model=LedgerStats,
    summary="Figures per township and per category, and in total",
    responses=problems(401, 403, 422),
)
async def get_stats(
    session: SessionDep, user: LedgerReader, cycle_id: Annotated[DbId | None, Query()] = None
) -> LedgerStats:
    return await stats.compute(session, user=user, cycle_id=cycle_id)


@router.get(
    "/reminders",
    response_model=Reminders,
    summary="Items overdue and items due soon",
    responses=problems(401, 403, 422),
)
async def get_reminders(
    session: SessionDep, user: LedgerReader, cycle_id: Annotated[DbId | None, Query()] = None
) -> Reminders:
    return await stats.reminders(session, user=user, cycle_id=cycle_id)


@router.get(
    "/unfiled-opinions",
    response_model=list[OpinionRead],
    summary="Opinions in no ledger item (always empty while the ledger is whole)",
    responses=problems(401, 403, 422),
)
async def unfiled_opinions(
    session: SessionDep, user: LedgerStaff, cycle_id: Annotated[DbId | None, Query()] = None
) -> list[OpinionRead]:
    return await opinions.unfiled_opinions(session, cycle_id=cycle_id)


@router.get(
    "/followup",
    response_model=FollowupReport,
    summary="The year-end follow-up report (专题汇报) of one organisation",
    responses=problems(401, 403, 404, 422),
)
async def get_followup(session: SessionDep, subject: FollowupSubjectDep) -> FollowupReport:
    return await followup.report(session, cycle=subject.cycle, org=subject.org)


@router.get(
    "/followup.docx",
    response_class=Response,
    summary="The follow-up report as a Word document",
    responses={**_binary(DOCX, "A Word document"), **problems(401, 403, 404, 422)},
)
async def get_followup_docx(session: SessionDep, subject: FollowupSubjectDep) -> Response:
    data = await followup.report(session, cycle=subject.cycle, org=subject.org)
    content = await anyio.to_thread.run_sync(followup.docx, data, subject.org.issuing_organ)
    return download(content, DOCX, f"{data.org.name}整改落实情况专题汇报.docx")


# --- the public board ------------------------------------------------------------------------


@public_router.get(
    "/ledger-board",
    response_model=Board,
    summary="The public progress board of a published cycle: counts per township, the items marked public (no login)",
    description=(
        "Only cycles whose results are published; a cycle that is not (or does not exist) is 404. Counts cover "
        "every item of the cycle; items are listed only when the org department has marked them public, under "
        "the title it gave them there. No person, note or opinion text."
    ),
    responses=problems(404, 422),
)
async def ledger_board(
    session: SessionDep,
    response: Response,
    cycle_id: Annotated[
        DbId | None, Query(description="Default: the latest cycle with a ledger and published results")
    ] = None,
) -> Board:
    response.headers["Cache-Control"] = "public, max-age=60"
    return await board.board(session, cycle_id=cycle_id)
