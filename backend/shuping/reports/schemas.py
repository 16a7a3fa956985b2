"""Report schemas: the report, its attachments, and its indicator points and veto facts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field, HttpUrl, UrlConstraints

from shuping.core.batch import BatchIds
from shuping.core.schemas import BodyId, InputSchema, Schema
from shuping.core.values import DecimalOut, PointsIn
from shuping.cycles.models import CycleStage
from shuping.cycles.schemas import OrgRef
from shuping.reports.models import ReportStatus
from shuping.rubrics.schemas import KEY_PATTERN

ItemKey = Annotated[str, Field(min_length=1, max_length=64, pattern=KEY_PATTERN)]
BODY_MAX = 100_000


class AttachmentRead(Schema):
    id: int
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    created_at: datetime


class ReportSummary(Schema):
    id: int
    cycle_id: int
    cycle_name: str
    org: OrgRef
    position: int
    title: str
    status: ReportStatus
    submitted_at: datetime | None
    reviewed_at: datetime | None
    late: bool = Field(description="Submitted after the cycle's due date, or still not submitted past it")
    attachment_count: int
    has_video: bool


class ReportRead(ReportSummary):
    body: str = Field(description="Markdown")
    video_url: str | None
    review_comment: str | None
    cycle_stage: CycleStage
    report_due_date: date | None
    attachments: list[AttachmentRead]
    can_edit: bool = Field(description="The caller may change and submit it now")
    can_review: bool = Field(description="The caller may accept or return it now")
    created_at: datetime
    updated_at: datetime


class ReportDocumentRead(Schema):
    """A Word document imported as the report's text."""

    report: ReportRead = Field(description="The report, its body now the document's text in Markdown")
    original: AttachmentRead = Field(description="The uploaded .docx, kept among the report's attachments")
    images_left_out: int = Field(description="Pictures in the document that the text does not hold (the original does)")


class ReportAdd(InputSchema):
    org_id: BodyId
    title: str | None = Field(default=None, min_length=1, max_length=200)


class ReportUpdate(InputSchema):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    body: str | None = Field(default=None, max_length=BODY_MAX, description="Markdown")
    video_url: Annotated[HttpUrl, UrlConstraints(max_length=500)] | None = Field(
        default=None, description="A link to the report's video (http or https)"
    )


class ReportBatchIn(InputSchema):
    report_ids: BatchIds


class ReportReturn(InputSchema):
    comment: str = Field(min_length=2, max_length=2000, description="What the secretary should revise")


class AssessmentIn(InputSchema):
    """Replace a report's indicator points and veto facts (a veto present means yes)."""

    indicators: dict[ItemKey, PointsIn] = Field(default_factory=dict, description="Indicator item key → points")
    vetoes: dict[ItemKey, Annotated[str, Field(min_length=1, max_length=500)]] = Field(
        default_factory=dict, description="Veto key → reason"
    )


class IndicatorRead(Schema):
    key: str
    title: str
    max_points: DecimalOut
    formula: str | None
    computed: bool = Field(
        description="Computed by its formula from the county's data (petitions, ledger): `points` is what the "
        "formula gives now; it cannot be entered"
    )
    points: DecimalOut | None
    missing: bool = Field(description="No points yet (not entered, or no data for the formula): counts 0")
    set_at: datetime | None = Field(description="When the points were entered; null for computed indicators")


class VetoRead(Schema):
    key: str
    title: str
    fact: str | None = Field(
        default=None, description="The veto fact deciding it from the cycle's data: it cannot be set by hand"
    )
    vetoed: bool
    reason: str | None
    set_at: datetime | None


class AssessmentRead(Schema):
    report_id: int
    indicators: list[IndicatorRead]
    vetoes: list[VetoRead]
    indicator_total: DecimalOut
    missing_count: int
