"""Cycle schemas: cycles, stages and gates, evaluator groups and members, grading."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import Field, StrictBool, StrictInt

from shuping.auth.models import Role
from shuping.core.schemas import BodyId, InputSchema, ReaderText, Schema
from shuping.core.values import DecimalOut, IsoDate, PositiveShareIn, ShareIn
from shuping.cycles.models import DEFAULT_POOR_VOTE_SHARE, Aggregation, CycleStage, GradingMethod

GROUP_KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
DEFAULT_MIN_BALLOTS_SHOWN = 3
CategoryName = Annotated[str, Field(min_length=1, max_length=50)]


class GroupIn(InputSchema):
    key: str = Field(min_length=1, max_length=32, pattern=GROUP_KEY_PATTERN, examples=["leaders"])
    name: str = Field(min_length=1, max_length=100)
    weight: PositiveShareIn
    aggregation: Aggregation = Aggregation.mean
    trim: StrictInt | None = Field(
        default=None, ge=0, le=50, description="trimmed_mean: drop this many highest and lowest (default 1)"
    )
    anonymous: StrictBool = False
    expected: StrictInt = Field(default=0, ge=0, le=100_000, description="Evaluators expected (0: not set)")
    quorum: StrictInt = Field(default=1, ge=1, le=100_000, description="Minimum valid ballots")


class GroupRead(Schema):
    key: str
    name: str
    weight: DecimalOut
    aggregation: Aggregation
    trim: int
    anonymous: bool
    expected: int
    quorum: int
    member_count: int = 0


class GroupsUpdate(InputSchema):
    groups: list[GroupIn] = Field(max_length=10)


class GroupsRead(Schema):
    groups: list[GroupRead]
    weight_sum: DecimalOut
    weights_ok: bool = Field(description="The weights sum to exactly 1, as the evaluation gate requires")


class TierSharesIn(InputSchema):
    good: ShareIn
    fairly_good: ShareIn
    average: ShareIn


class TierSharesRead(Schema):
    good: DecimalOut
    fairly_good: DecimalOut
    average: DecimalOut


class GradingIn(InputSchema):
    """Tiers by `thresholds` (shares of the rubric's maximum) or by `quota` (shares of the reports)."""

    method: GradingMethod = GradingMethod.thresholds
    thresholds: TierSharesIn | None = Field(default=None, description="method thresholds; default 0.90/0.80/0.60")
    quotas: TierSharesIn | None = Field(default=None, description="method quota; the rest are poor")
    poor_vote_share: PositiveShareIn = Field(
        default=DEFAULT_POOR_VOTE_SHARE, description="Share of `poor` on the first tier item that forces poor"
    )
    consequence_count: StrictInt = Field(
        default=1, ge=0, le=1000, description="The reports at the bottom flagged for interview"
    )
    min_ballots_shown: StrictInt = Field(
        default=DEFAULT_MIN_BALLOTS_SHOWN,
        ge=1,
        le=1000,
        description="No group score, approval rate, tier count or ballot total built from fewer ballots is shown "
        "(the totals still count them)",
    )


class GradingRead(Schema):
    method: GradingMethod
    thresholds: TierSharesRead | None
    quotas: TierSharesRead | None
    poor_vote_share: DecimalOut
    consequence_count: int
    min_ballots_shown: int = Field(description="Figures built from fewer ballots are withheld wherever shown")


class CycleCreate(InputSchema):
    name: str = Field(min_length=1, max_length=200)
    host_org_id: BodyId
    period_start: IsoDate
    period_end: IsoDate
    report_due_date: IsoDate | None = None
    rubric_id: BodyId | None = None
    grading: GradingIn = Field(default_factory=GradingIn)
    opinion_categories: list[CategoryName] | None = Field(
        default=None, min_length=1, max_length=20, description="Default: the five of the reference county"
    )


class CycleUpdate(InputSchema):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    period_start: IsoDate | None = None
    period_end: IsoDate | None = None
    report_due_date: IsoDate | None = None
    rubric_id: BodyId | None = None
    grading: GradingIn | None = None
    opinion_categories: list[CategoryName] | None = Field(default=None, min_length=1, max_length=20)


class OrgRef(Schema):
    id: int
    code: str
    name: str


class RubricRef(Schema):
    id: int
    name: str
    version: int
    max_total: DecimalOut


class ReportCounts(Schema):
    total: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    accepted: int = 0


class Blocker(Schema):
    code: str = Field(description="Stable identifier, e.g. weights_sum, reports_not_accepted")
    message: ReaderText = Field(description="In the request's language (Accept-Language)")
    params: dict[str, str | int] = Field(default_factory=dict)


class Gate(Schema):
    """Whether the cycle may move to its next stage, and what stands in the way."""

    stage: CycleStage
    to: CycleStage | None
    ready: bool
    blockers: list[Blocker]


class CycleSummary(Schema):
    id: int
    name: str
    period_start: date
    period_end: date
    report_due_date: date | None
    stage: CycleStage
    host_org: OrgRef
    rubric: RubricRef | None
    report_counts: ReportCounts
    created_at: datetime


class CycleRead(CycleSummary):
    stage_changed_at: datetime
    grading: GradingRead
    opinion_categories: list[str]
    groups: list[GroupRead]
    weight_sum: DecimalOut
    next_gate: Gate
    can_manage: bool = Field(description="The caller may change this cycle")
    updated_at: datetime


class CycleAdvance(InputSchema):
    to: CycleStage | None = Field(default=None, description="The stage expected next; refused if it is not")


class CycleRevert(InputSchema):
    reason: str = Field(min_length=2, max_length=500)


class MembersAdd(InputSchema):
    user_ids: list[BodyId] = Field(min_length=1, max_length=500)


class MemberRead(Schema):
    user_id: int
    username: str
    full_name: str
    role: Role
    org_name: str
    group_key: str


class CandidateRead(Schema):
    """A user who may be assigned as an evaluator, and the group they are already in, if any."""

    user_id: int
    username: str
    full_name: str
    role: Role
    org_name: str
    group_key: str | None
