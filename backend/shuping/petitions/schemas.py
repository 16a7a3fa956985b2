"""Petition schemas: cases, history, appointments, the Sunshine payloads, imports, sync log, statistics."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, field_validator

from shuping.core.i18n import N_
from shuping.core.schemas import BodyId, InputSchema, IsoDateTime, ReaderText, Schema, TextInput
from shuping.petitions.calendar import Stage
from shuping.petitions.models import AppointmentStatus, EventKind, Satisfaction, StatsGroup, SyncKind, SyncStatus, Via
from shuping.petitions.statemachine import Action, CaseStatus

ExternalId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-/]+$")]
OrgCode = Annotated[str, Field(min_length=1, max_length=64)]


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError(N_("give a time zone, e.g. 2026-03-01T08:00:00+08:00 or …Z"))
    return value


AwareDateTime = Annotated[IsoDateTime, AfterValidator(_aware)]


class ExportFormat(StrEnum):
    """The file an export is written as."""

    xlsx = "xlsx"
    csv = "csv"


class OrgRef(Schema):
    id: int
    code: str
    name: str


class CaseRead(Schema):
    id: int
    source: str
    external_id: str
    org: OrgRef | None
    department: OrgRef | None
    owner: OrgRef
    holder: OrgRef
    category: str
    summary: str
    petitioner_name: str = Field(description="Masked, e.g. 张**")
    petitioner_phone: str = Field(description="Masked, e.g. 138****1234")
    received_date: date
    status: CaseStatus
    stage: Stage
    stage_started_date: date
    due_date: date | None
    overdue: bool
    extended: bool
    extension_reason: str | None
    reopen_count: int
    resolved_date: date | None
    accepted_date: date | None = Field(description="The acceptance decision (the first start)")
    handled_date: date | None = Field(description="The end of the first handling stage (the first resolve)")
    closed_date: date | None = Field(description="The latest closing")
    satisfaction: Satisfaction | None = Field(description="The petitioner's rating on closing; null: not rated")
    note: str | None
    allowed_transitions: list[CaseStatus]
    external_updated_at: datetime | None
    created_at: datetime
    updated_at: datetime


class EventRead(Schema):
    id: int
    at: datetime
    kind: EventKind
    action: Action | None
    from_status: CaseStatus | None
    to_status: CaseStatus | None
    stage: Stage
    due_date: date | None
    late: bool
    holder: OrgRef | None
    owner: OrgRef | None
    via: Via
    actor_name: str | None
    note: str | None


class AppointmentRead(Schema):
    id: int
    case_id: int
    case_external_id: str
    petitioner_name: str = Field(description="Masked, e.g. 张**")
    org: OrgRef | None = Field(description="The case's township")
    leader_id: int
    leader_name: str
    starts_at: datetime
    ends_at: datetime
    status: AppointmentStatus
    location: str | None
    outcome: str | None
    created_at: datetime


class CaseDetail(CaseRead):
    events: list[EventRead]
    appointments: list[AppointmentRead]


class CaseCreate(TextInput):
    external_id: ExternalId
    org_id: BodyId | None = None
    department_id: BodyId | None = None
    category: str = Field(min_length=1, max_length=64)
    summary: str = Field(min_length=1, max_length=4000)
    petitioner_name: str = Field(default="", max_length=64)
    petitioner_phone: str = Field(default="", max_length=32)
    received_date: date
    note: str | None = Field(default=None, max_length=4000)


class TransitionIn(TextInput):
    to_status: CaseStatus
    holder_org_id: BodyId | None = Field(
        default=None, description="The body a case is assigned (交办) or transferred (转办) to"
    )
    note: str | None = Field(default=None, max_length=4000)
    satisfaction: Satisfaction | None = Field(
        default=None, description="On closing only: the petitioner's rating (满意/基本满意/不满意); omit when not rated"
    )


class ExtensionIn(TextInput):
    reason: str = Field(min_length=2, max_length=2000)


class AppointmentCreate(TextInput):
    leader_id: BodyId
    starts_at: AwareDateTime
    ends_at: AwareDateTime
    location: str | None = Field(default=None, max_length=200)


class AppointmentUpdate(TextInput):
    status: Literal[AppointmentStatus.held, AppointmentStatus.missed, AppointmentStatus.cancelled]
    outcome: str | None = Field(default=None, max_length=4000)


# The Sunshine Petition system's case, as pushed, pulled or imported.
class SunshineCase(TextInput):
    external_id: ExternalId
    org_code: OrgCode | None = None
    department_code: OrgCode | None = None
    category: str = Field(min_length=1, max_length=64)
    summary: str = Field(min_length=1, max_length=4000)
    petitioner_name: str = Field(default="", max_length=64)
    petitioner_phone: str = Field(default="", max_length=32)
    received_at: AwareDateTime | date
    status: CaseStatus
    updated_at: AwareDateTime
    note: str | None = Field(default=None, max_length=4000)
    satisfaction: Satisfaction | None = Field(
        default=None, description="The petitioner's rating of a closed case; absent or null leaves the stored one"
    )

    @field_validator("org_code", "department_code", "note", "satisfaction", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


class SunshineBatch(InputSchema):
    """A push: up to 500 cases; each is checked on its own, so one bad case fails only itself."""

    cases: list[SunshineCase] = Field(max_length=500)


CaseResultKind = Literal["created", "updated", "unchanged", "stale", "error"]


class CaseResult(Schema):
    external_id: str | None
    result: CaseResultKind
    error: str | None = None


class PushResult(Schema):
    duplicate: bool = Field(description="True when this message id was delivered before; nothing was changed")
    results: list[CaseResult]


class SyncRunRead(Schema):
    id: int
    source: str
    kind: SyncKind
    status: SyncStatus
    started_at: datetime
    finished_at: datetime | None
    dry_run: bool
    message_id: str | None
    file_name: str | None
    updated_since: datetime | None
    cursor: datetime | None
    received: int
    created: int
    updated: int
    unchanged: int
    stale: int
    failed: int
    lag_seconds: int | None
    error: str | None


class RowError(Schema):
    row: int = Field(description="Row number in the sheet (the header is row 1)")
    column: str | None
    message: ReaderText = Field(description="In the request's language (Accept-Language)")


class ImportResult(Schema):
    run_id: int
    dry_run: bool
    applied: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    stale: int
    errors: list[RowError]


class StatsFigures(Schema):
    accepted: int = Field(description="Every case taken in (cumulative)")
    resolved: int = Field(description="Resolved or closed")
    assigned_or_transferred: int = Field(description="Now held by the body it was assigned or transferred to")
    in_progress: int = Field(description="Accepted or being handled by the receiving body")
    overdue: int = Field(description="Open cases past the due date of their current stage")
    resolution_rate: Decimal | None = Field(description="resolved / accepted, 0..1; null without cases")
    median_days_to_resolve: Decimal | None = Field(description="Calendar days from receipt to resolution")
    # The measures of petition work over the period (petitions/measures.py); counts are null only in
    # snapshots frozen before the measures existed, rates are null when nothing was due.
    acceptance_due: int | None = Field(description="Cases whose acceptance deadline fell in the period, settled")
    accepted_in_time: int | None = Field(description="Of those, decided by the deadline")
    timely_acceptance_rate: Decimal | None = Field(description="及时受理率: accepted_in_time / acceptance_due")
    handling_due: int | None = Field(description="Cases whose (extended) handling deadline fell in the period, settled")
    handled_in_time: int | None = Field(description="Of those, handled (first resolved) by the deadline")
    on_time_completion_rate: Decimal | None = Field(description="按期办结率: handled_in_time / handling_due")
    closed: int | None = Field(description="Cases closed in the period")
    rated: int | None = Field(description="Of those, rated by the petitioner")
    satisfied: int | None = Field(description="Of those, rated 满意 or 基本满意")
    satisfaction_rate: Decimal | None = Field(description="群众满意率: satisfied / rated")
    rating_rate: Decimal | None = Field(description="参评率: rated / closed")


class StatsRow(StatsFigures):
    org: OrgRef


class StatsRead(Schema):
    group_by: StatsGroup
    as_of: date
    period_from: date | None = Field(default=None, description="The period's first day (open when null)")
    period_to: date | None = Field(default=None, description="The period's last day (open when null)")
    cycle_id: int | None = None
    rows: list[StatsRow]
    total: StatsFigures


class SnapshotCreate(InputSchema):
    cycle_id: BodyId


class LeaderRead(Schema):
    id: int
    full_name: str
