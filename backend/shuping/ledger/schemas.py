"""Ledger schemas: opinions, items, notes, evidence, history, statistics, reminders, imports, the board."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StrictBool

from shuping.core.batch import BatchIds
from shuping.core.schemas import BodyId, InputSchema, ReaderText, Schema, TextInput
from shuping.core.values import DecimalOut, IsoDate
from shuping.cycles.schemas import OrgRef
from shuping.ledger.models import EventKind, OpinionSource
from shuping.ledger.statemachine import Action, ItemStatus

Category = Annotated[str, Field(min_length=1, max_length=50)]
OpinionText = Annotated[str, Field(min_length=2, max_length=4000)]
Title = Annotated[str, Field(min_length=2, max_length=200)]
Measures = Annotated[str, Field(max_length=8000)]
NoteText = Annotated[str, Field(min_length=1, max_length=4000)]
DueDays = Annotated[int, Field(ge=1, le=365, strict=True)]


class UserRef(Schema):
    id: int
    full_name: str


class CycleRef(Schema):
    id: int
    name: str


# --- opinions --------------------------------------------------------------------------------


class OpinionCreate(TextInput):
    org_id: BodyId = Field(description="The organisation the opinion concerns (it reports in the cycle)")
    category: Category = Field(description="One of the cycle's opinion categories")
    text: OpinionText
    source: OpinionSource = Field(
        default=OpinionSource.clerk, description="meeting (said in a meeting) or clerk (the org department's own)"
    )
    meeting_id: BodyId | None = Field(default=None, description="The meeting it was raised in (source meeting)")
    item_id: BodyId | None = Field(
        default=None, description="Put it into this existing ledger item instead of opening a new one"
    )
    title: Title | None = Field(default=None, description="The new item's title (default: the opinion's start)")
    measures: Measures | None = None
    due_days: DueDays | None = Field(default=None, description="Working days to the new item's deadline")


class OpinionRead(Schema):
    id: int
    cycle_id: int
    org: OrgRef
    category: str | None
    text: str
    source: OpinionSource
    meeting_id: int | None
    anonymous: bool = Field(description="True unless a named evaluator or a clerk raised it")
    item_id: int | None = Field(description="The ledger item it is in (never null when all is well)")
    created_at: datetime


class CategoryCount(Schema):
    category: str | None = Field(description="null: a ballot comment given without a category")
    count: int


class OrgCount(Schema):
    org: OrgRef
    count: int


class OpinionList(Schema):
    items: list[OpinionRead]
    total: int
    limit: int
    offset: int
    by_category: list[CategoryCount] = Field(description="Counts over the whole cycle (within your scope)")
    by_org: list[OrgCount]


class HarvestResult(Schema):
    created: int = Field(description="Ballot comments that became opinions now")
    existing: int = Field(description="Ballot comments already harvested earlier")
    pending: int = Field(description="Comments on reports whose voting is still open; harvest again later")
    opinion_ids: list[int]


# --- ledger items ----------------------------------------------------------------------------


class ItemRead(Schema):
    id: int
    cycle: CycleRef
    org: OrgRef
    owner: UserRef | None
    category: str | None
    title: str
    measures: str | None
    status: ItemStatus
    status_reason: str | None = Field(description="Why it was rejected or sent back, when it was")
    start_date: date
    due_days: int
    due_date: date
    working_days_left: int | None = Field(description="Negative once overdue; null for a finished item")
    overdue: bool
    due_soon: bool
    done_date: date | None
    verified_date: date | None
    opinion_count: int
    allowed_transitions: list[ItemStatus] = Field(description="What you may move it to now")
    public: bool = Field(description="Listed on the public board (which shows only cycles with published results)")
    public_title: str | None = Field(description="The title the board shows it under, given by the org department")
    created_at: datetime
    updated_at: datetime


class NoteRead(Schema):
    id: int
    note_date: date
    text: str
    author_name: str
    created_at: datetime


class EvidenceRead(Schema):
    id: int
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by_name: str
    created_at: datetime


class EventRead(Schema):
    id: int
    at: datetime
    kind: EventKind
    action: Action | None
    from_status: ItemStatus | None
    to_status: ItemStatus | None
    actor_name: str
    note: str | None


class ItemOpinion(Schema):
    id: int
    category: str | None
    text: str
    source: OpinionSource
    meeting_id: int | None
    anonymous: bool
    created_at: datetime


class ItemFinding(Schema):
    """The supervision finding (督查发现的问题) an item puts right."""

    id: int
    programme_id: int
    programme_name: str
    round_id: int
    round_title: str
    body: str = Field(description="congress (人大), cppcc (政协), office (两办督察室) or other")
    visited_on: date
    finding: str
    deadline: date


class ItemDetail(ItemRead):
    opinions: list[ItemOpinion]
    finding: ItemFinding | None = Field(default=None, description="The supervision finding it puts right, if any")
    notes: list[NoteRead]
    evidence: list[EvidenceRead]
    events: list[EventRead]
    can_edit: bool = Field(description="Whether you may change its details (staff: all; the owner: measures)")
    can_publish: bool = Field(description="Whether you may show it on the public board, retitle or withdraw it")


class ItemUpdate(TextInput):
    title: Title | None = None
    measures: Measures | None = None
    category: Category | None = None
    owner_user_id: BodyId | None = None
    due_date: IsoDate | None = Field(default=None, description="A new deadline (the org department)")


class TransitionIn(TextInput):
    to: ItemStatus
    note: Annotated[str, Field(max_length=4000)] | None = Field(
        default=None, description="Required when rejecting or sending back: the reason"
    )


class PublicityIn(TextInput):
    public: StrictBool = Field(description="Show the item on the public board (true) or withdraw it (false)")
    public_title: Annotated[str, Field(max_length=200)] | None = Field(
        default=None,
        description="The title shown on the board, in the org department's own words; required when public",
    )


class MergeIn(InputSchema):
    item_ids: list[BodyId] = Field(min_length=1, max_length=100, description="Items to fold into this one")


class BatchTransitionIn(TransitionIn):
    """One status step for several items at once: all of them move, or none."""

    item_ids: BatchIds


class DuplicateGroup(Schema):
    """Active items of one organisation whose titles say nearly the same: merge them into `target_id`."""

    org: OrgRef
    target_id: int = Field(description="The item to keep: the one holding most opinions, else the oldest")
    similarity: DecimalOut = Field(description="The lowest similarity between two titles of the group (0 to 1)")
    items: list[ItemRead]


class DuplicateSuggestions(Schema):
    cycle_id: int
    threshold: DecimalOut = Field(description="Titles this similar or more (after normalising) are suggested")
    groups: list[DuplicateGroup]


class NoteCreate(TextInput):
    note_date: IsoDate = Field(description="The day the progress happened (not in the future)")
    text: NoteText


# --- statistics, reminders -------------------------------------------------------------------


class Figures(Schema):
    total: int
    open: int
    in_progress: int
    done: int
    verified: int
    rejected: int
    overdue: int
    due_soon: int
    completion_rate: DecimalOut | None = Field(
        description="verified / (total − rejected), 0..1; null when nothing is to be done"
    )


class OrgFigures(Figures):
    org: OrgRef


class CategoryFigures(Figures):
    category: str | None


class LedgerStats(Schema):
    as_of: date
    cycle_id: int | None
    by_org: list[OrgFigures]
    by_category: list[CategoryFigures]
    total: Figures


class Reminders(Schema):
    as_of: date
    due_soon_days: int = Field(description="The due-soon window in working days")
    overdue: list[ItemRead]
    due_soon: list[ItemRead]


# --- import ----------------------------------------------------------------------------------


class RowError(Schema):
    row: int
    column: str | None
    message: ReaderText = Field(description="In the request's language (Accept-Language)")


class OpinionImportResult(Schema):
    import_id: int
    dry_run: bool
    applied: bool
    rows: int
    created: int = Field(description="Opinions (each with its ledger item) created, or that would be")
    errors: list[RowError]


# --- follow-up report and public board -------------------------------------------------------


class FollowupItem(Schema):
    id: int
    category: str | None
    title: str
    measures: str | None
    status: ItemStatus
    due_date: date
    overdue: bool
    done_date: date | None
    verified_date: date | None
    opinion_count: int
    latest_note: str | None


class FollowupReport(Schema):
    cycle: CycleRef
    org: OrgRef
    as_of: date
    figures: Figures
    items: list[FollowupItem]


class BoardItem(Schema):
    id: int
    title: str = Field(description="The title the org department gave it for the board (not the item's own)")
    category: str | None
    measures: str | None
    status: ItemStatus
    due_date: date
    overdue: bool


class BoardOrg(Schema):
    org: OrgRef
    figures: Figures = Field(description="Counts over all the township's items in the cycle")
    items: list[BoardItem] = Field(description="Only the items the org department has marked public")


class Board(Schema):
    cycle: CycleRef | None = Field(description="null until a cycle with ledger items has its results published")
    cycles: list[CycleRef] = Field(description="Every cycle with ledger items and published results, newest first")
    as_of: date
    total: Figures
    orgs: list[BoardOrg]
