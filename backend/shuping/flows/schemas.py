"""Flow schemas: the cycle import document and what it answers."""

from __future__ import annotations

from pydantic import Field

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
