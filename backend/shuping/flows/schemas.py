"""Flow schemas: the cycle import document and what it answers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from shuping.auth.models import Role
from shuping.core.schemas import InputSchema, Problem, Schema
from shuping.core.values import IsoDate
from shuping.cycles.schemas import CategoryName, GradingIn, GroupIn
from shuping.reports.models import ReportStatus
from shuping.rubrics.schemas import RubricIn


class ImportReportIn(InputSchema):
    org_code: str = Field(min_length=1, max_length=64)
    title: str | None = Field(default=None, min_length=1, max_length=200)


class CycleImport(InputSchema):
    """One document that creates a cycle with its rubric, evaluator groups and reports."""

    name: str = Field(min_length=1, max_length=200)
    host_org_code: str = Field(min_length=1, max_length=64)
    period_start: IsoDate
    period_end: IsoDate
    report_due_date: IsoDate | None = None
    rubric: RubricIn
    groups: list[GroupIn] = Field(min_length=1, max_length=10)
    grading: GradingIn = Field(default_factory=GradingIn)
    opinion_categories: list[CategoryName] | None = Field(default=None, min_length=1, max_length=20)
    reports: list[ImportReportIn] = Field(min_length=1, max_length=500)


class ImportedReport(Schema):
    id: int
    org_code: str
    org_name: str
    status: ReportStatus


class CycleImportResult(Schema):
    cycle_id: int
    rubric_id: int
    reports: list[ImportedReport]


class ImportProblem(Problem):
    error_sheet: str | None = Field(
        default=None, description="Excel imports: where to download the workbook with an error column"
    )


# --- the home page's to-do list ---------------------------------------------------------------


class TodoKey(StrEnum):
    """What an entry counts; the SPA names it in the reader's language."""

    meetings_live = "meetings_live"
    meetings_upcoming = "meetings_upcoming"
    reports_to_review = "reports_to_review"
    ledger_overdue = "ledger_overdue"
    ledger_due_soon = "ledger_due_soon"
    notices_unsigned = "notices_unsigned"
    petitions_overdue = "petitions_overdue"
    sync_failed = "sync_failed"
    my_report = "my_report"
    notices_to_sign = "notices_to_sign"
    vote_now = "vote_now"


class TodoTarget(Schema):
    """A page of the SPA (or the phone ballot page under /vote) and the filters to open it with."""

    path: str = Field(examples=["/ledger"])
    query: dict[str, str] = Field(default_factory=dict, examples=[{"overdue": "true"}])


class TodoThing(Schema):
    """One thing an entry names: a meeting, a cycle with reports to review, a report, a sync kind."""

    id: int | None = None
    title: str = Field(description="Its name as stored (a meeting's or cycle's title); a key for a sync kind")
    status: str | None = Field(default=None, description="A meeting's or report's status (key)")
    starts_at: datetime | None = None
    count: int | None = Field(default=None, description="How many of the entry's count this thing holds")
    voting_open: bool | None = Field(default=None, description="A live meeting with a report open for voting now")
    target: TodoTarget


class TodoEntry(Schema):
    key: TodoKey
    count: int = Field(ge=0, description="The total the target page lists")
    target: TodoTarget
    items: list[TodoThing] = Field(default_factory=list)


class HomeTodo(Schema):
    """The signed-in user's to-do list, scoped as the pages it links to."""

    role: Role
    entries: list[TodoEntry]
