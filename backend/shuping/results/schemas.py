"""Result, explanation, publication and consequence schemas (decimals as strings with 2 places)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from shuping.core.batch import BatchIds
from shuping.core.schemas import InputSchema, IsoDateTime, ReaderText, Schema
from shuping.results.models import NoticeStatus, ResultStatus
from shuping.scoring.withholding import Withheld

WITHHELD = (
    "Why this group's figures are withheld (null: shown): `few_ballots`, it has fewer than `hidden_below` "
    "ballots; `complement`, showing them would let such a group's figures be worked out from the ballot part"
)
HIDDEN_BELOW = "When withheld: the cycle's minimum of ballots behind any figure shown (`min_ballots_shown`)"


class TierCounts(Schema):
    good: int
    fairly_good: int
    average: int
    poor: int


class GroupResultRead(Schema):
    key: str
    name: str
    weight: str
    ballots: int = Field(description="Ballots received, shown even when the figures built from them are withheld")
    dropped: int
    score: str | None = Field(description="Group score; null without ballots or when withheld")
    approval_rate: str | None = Field(
        description="Share of good + fairly good on the first tier item, 0..1; null when withheld"
    )
    tier_counts: TierCounts | None = Field(description="Ballots per tier on the first tier item; null when withheld")
    quorum: int
    quorum_ok: bool
    withheld: Withheld | None = Field(default=None, description=WITHHELD)
    hidden_below: int | None = Field(default=None, description=HIDDEN_BELOW)


class ResultItem(Schema):
    report_id: int
    org_id: int
    org_code: str
    org_name: str
    total: str | None
    max_total: str
    ballot_part: str | None
    tier: str | None
    rank: int | None
    flagged: bool
    vetoed: bool
    tier_rule: str | None
    indicator_points: str
    missing_indicators: list[str]
    incomplete: bool
    quorum_ok: bool
    consistency_flags: list[str]
    groups: list[GroupResultRead]


class MissingIndicator(Schema):
    key: str
    title: str
    org_names: list[str] = Field(description="The organisations whose reports lack the indicator")


class ResultsSummary(Schema):
    cycle_id: int
    status: ResultStatus
    computed_at: datetime
    published_at: datetime | None
    hash: str = Field(description="SHA-256 of the max total and every item in ranking order (canonical JSON)")
    max_total: str
    reports: int = Field(description="How many reports the ranking holds")
    publishable: bool
    blockers: list[str]
    missing_indicators: list[MissingIndicator] = Field(
        default_factory=list, description="Indicators not set for some report, in rubric order"
    )
    missing_indicators_reason: str | None = Field(
        default=None, description="Why the results were published with those indicators missing"
    )
    quorum_override_reason: str | None = Field(
        default=None, description="Why the results were published with a group missing its quorum"
    )


ITEM_TITLES = (
    "Each rubric item's and veto's title by key: names the keys in missing_indicators, vetoes and a veto tier rule"
)


class ResultsRead(ResultsSummary):
    item_titles: dict[str, str] = Field(default_factory=dict, description=ITEM_TITLES)
    offset: int
    limit: int | None = Field(description="The page size asked for; null: every item from offset on")
    items: list[ResultItem] = Field(description="Ordered by rank (then report order), from offset")


class ExplainBallot(Schema):
    ref: str = Field(description="The ballot's receipt: anonymous, and what its evaluator can look up")
    total: str
    dropped: bool
    first_tier: str | None


class ExplainGroup(Schema):
    key: str
    name: str
    aggregation: str
    trim: int
    weight: str
    ballots: list[ExplainBallot] = Field(description="One line per ballot; empty when withheld")
    ballot_count: int = Field(description="How many ballots the group has, also when their lines are withheld")
    kept: int
    score: str | None = Field(description="Group score; null without ballots or when withheld")
    weighted: str | None = Field(description="weight × score; null without ballots or when withheld")
    withheld: Withheld | None = Field(default=None, description=WITHHELD)
    hidden_below: int | None = Field(default=None, description=HIDDEN_BELOW)


class ExplainIndicator(Schema):
    key: str
    title: str
    formula: str | None
    max_points: str
    points: str | None
    missing: bool


class ExplainRead(Schema):
    report_id: int
    org_name: str
    groups: list[ExplainGroup]
    weight_sum: str | None
    ballot_part: str | None
    ballot_part_rule: ReaderText
    indicators: list[ExplainIndicator]
    indicator_points: str
    total: str | None
    vetoes: dict[str, str]
    poor_share: str | None = Field(
        description="Share of poor on the first tier item over all the report's ballots; null when withheld"
    )
    poor_share_withheld: bool = Field(
        default=False, description="poor_share is withheld: the report has fewer than min_ballots_shown ballots"
    )
    poor_vote_share_limit: str
    min_ballots_shown: int = Field(description="The cycle's minimum of ballots behind any figure shown")
    tier: str | None
    tier_rule: str | None
    rank: int | None
    flagged: bool
    steps: list[ReaderText] = Field(description="Each step of the sum, in the request's language")
    item_titles: dict[str, str] = Field(default_factory=dict, description=ITEM_TITLES)


class PublishIn(InputSchema):
    quorum_override_reason: str | None = Field(default=None, min_length=4, max_length=1000)
    missing_indicators_reason: str | None = Field(
        default=None,
        min_length=4,
        max_length=1000,
        description="Required when an indicator is missing for some report: why publish all the same",
    )


class ReopenIn(InputSchema):
    reason: str = Field(min_length=4, max_length=1000)


class InterviewCreate(InputSchema):
    report_id: int = Field(ge=1, le=2_147_483_647, strict=True)
    held_at: IsoDateTime
    led_by: str = Field(min_length=1, max_length=100)
    attendees: str = Field(default="", max_length=2000)
    notes: str = Field(default="", max_length=20_000)


class InterviewRead(Schema):
    id: int
    cycle_id: int
    report_id: int
    org_name: str
    held_at: datetime
    led_by: str
    attendees: str
    notes: str
    created_at: datetime


class NoticeCreate(InputSchema):
    report_id: int = Field(ge=1, le=2_147_483_647, strict=True)
    findings: str | None = Field(default=None, max_length=20_000, description="Default: drawn from the results")
    measures: str = Field(min_length=1, max_length=20_000)
    deadline_date: date


class NoticeBatchIn(InputSchema):
    """One notice to each of several flagged reports: the same requirements and deadline, each its own findings."""

    report_ids: BatchIds
    measures: str = Field(min_length=1, max_length=20_000)
    deadline_date: date


class NoticeRead(Schema):
    id: int
    cycle_id: int
    report_id: int
    org_id: int
    org_name: str
    number: str
    findings: str
    measures: str
    deadline_date: date
    status: NoticeStatus
    overdue: bool
    issued_at: datetime
    acknowledged_at: datetime | None


class HistoryEntry(Schema):
    cycle_id: int
    cycle_name: str
    period_end: date
    total: str | None
    tier: str | None
    rank: int | None
    reports: int
    flagged: bool
    flagged_twice: bool = Field(description="Flagged in this cycle and in the one before")


class OrgHistory(Schema):
    org_id: int
    org_name: str
    entries: list[HistoryEntry]
    flagged_consecutively: bool


class AveragedItem(Schema):
    key: str
    title: str
    max_points: str


class ReportItemAverages(Schema):
    report_id: int
    org_name: str
    averages: dict[str, str] = Field(
        description="Item key → average points over the report's ballots; empty when withheld"
    )
    withheld: bool = Field(default=False, description="The report has fewer than `hidden_below` ballots")
    hidden_below: int | None = Field(default=None, description=HIDDEN_BELOW)


class ItemAverages(Schema):
    """Each ballot item's average points per report, and over all the cycle's ballots (the county)."""

    cycle_id: int
    items: list[AveragedItem]
    county: dict[str, str] = Field(description="Item key → average points over every ballot of the cycle")
    reports: list[ReportItemAverages]
