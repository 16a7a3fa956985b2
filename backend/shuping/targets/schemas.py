"""Target programme schemas: programmes, measures, targets, teams, projects and completion."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field

from shuping.core.i18n import N_
from shuping.core.schemas import BodyId, Schema, TextInput
from shuping.core.values import DecimalOut, IsoDate
from shuping.targets.completion import Light
from shuping.targets.models import MeasureBasis, ProgrammeStatus, ProjectStage, Ranking

# The years a programme may name: wide enough for any real one, narrow enough that no date arithmetic overflows.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
Day = Annotated[IsoDate, Field(ge=FIRST_DAY, le=LAST_DAY)]


def _no_booleans(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError(N_("expected a number, not true or false"))
    return value


# Decimals taken strictly: a JSON number or a numeric string ("12abc", true, NaN are refused).
AmountIn = Annotated[
    Decimal,
    BeforeValidator(_no_booleans),
    Field(max_digits=14, decimal_places=2, allow_inf_nan=False, ge=0, description="万元 or a count"),
]
WeightIn = Annotated[
    Decimal, BeforeValidator(_no_booleans), Field(max_digits=8, decimal_places=4, allow_inf_nan=False, gt=0)
]
MeasureKey = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$")]
Industry = Annotated[str, Field(min_length=1, max_length=100)]


class OrgRef(Schema):
    id: int
    code: str
    name: str


class ProgrammeCreate(TextInput):
    name: str = Field(min_length=1, max_length=200)
    host_org_id: BodyId = Field(description="The district or county hosting the programme")
    office_org_id: BodyId | None = Field(
        default=None, description="The office below the host that runs it and publishes its bulletins (区商务局)"
    )
    period_start: Day
    period_end: Day


class ProgrammeUpdate(TextInput):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    office_org_id: BodyId | None = Field(default=None, description="null: no office, the host's clerks publish")
    period_start: Day | None = None
    period_end: Day | None = None
    status: ProgrammeStatus | None = None


class ProgrammeRead(Schema):
    id: int
    name: str
    host: OrgRef
    office: OrgRef | None = Field(description="The office that runs it and publishes its bulletins, if set")
    period_start: date
    period_end: date
    status: ProgrammeStatus
    may_manage: bool = Field(description="Whether the caller manages it (measures, targets, teams, every project)")
    may_publish: bool = Field(description="Whether the caller publishes its bulletins (the office, else its managers)")
    created_at: datetime
    updated_at: datetime


class MeasureCreate(TextInput):
    key: MeasureKey
    name: str = Field(min_length=1, max_length=100, description="e.g. 签约项目数, 合同金额")
    unit: str = Field(min_length=1, max_length=20, description="e.g. 个, 万元")
    more_is_better: bool = True
    weight: WeightIn
    stage: ProjectStage = Field(description="The stage a project counts at")
    basis: MeasureBasis = Field(description="What it sums: projects, their contract amount or funds in place")
    position: int = Field(default=0, ge=0, le=1000)


class MeasureUpdate(TextInput):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    unit: str | None = Field(default=None, min_length=1, max_length=20)
    more_is_better: bool | None = None
    weight: WeightIn | None = None
    stage: ProjectStage | None = None
    basis: MeasureBasis | None = None
    position: int | None = Field(default=None, ge=0, le=1000)


class MeasureRead(Schema):
    id: int
    programme_id: int
    key: str
    name: str
    unit: str
    more_is_better: bool
    weight: DecimalOut
    stage: ProjectStage
    basis: MeasureBasis
    position: int


class TargetIn(TextInput):
    org_id: BodyId
    measure_key: MeasureKey
    value: AmountIn


class TargetsPut(TextInput):
    """The programme's whole table of targets: what is not listed has no target."""

    targets: list[TargetIn] = Field(max_length=5000)


class TargetRead(Schema):
    org: OrgRef
    measure_key: str
    value: DecimalOut


class TeamCreate(TextInput):
    name: str = Field(min_length=1, max_length=200, description="e.g. 轴承产业链招商攻坚小组")
    leader_name: str = Field(default="", max_length=100)
    industries: list[Industry] = Field(default_factory=list, max_length=50)
    member_org_ids: list[BodyId] = Field(default_factory=list, max_length=200)


class TeamUpdate(TextInput):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    leader_name: str | None = Field(default=None, max_length=100)
    industries: list[Industry] | None = Field(default=None, max_length=50)
    member_org_ids: list[BodyId] | None = Field(default=None, max_length=200)


class TeamRead(Schema):
    id: int
    programme_id: int
    name: str
    leader_name: str
    industries: list[str]
    members: list[OrgRef]


class ProjectCreate(TextInput):
    org_id: BodyId = Field(description="The responsible unit that owns it")
    team_id: BodyId | None = None
    company: str = Field(min_length=1, max_length=200)
    industry: str = Field(default="", max_length=100)
    origin_region: str = Field(default="", max_length=100, description="e.g. 京津冀, 长三角, 珠三角")
    ranking: Ranking = Ranking.none
    contract_amount: AmountIn = Decimal(0)
    funds_in_place: AmountIn = Decimal(0)
    negotiating_date: Day = Field(description="The day talks began (the lead's first stage, 洽谈)")
    evidence: str = Field(default="", max_length=4000)


class ProjectUpdate(TextInput):
    team_id: BodyId | None = None
    company: str | None = Field(default=None, min_length=1, max_length=200)
    industry: str | None = Field(default=None, max_length=100)
    origin_region: str | None = Field(default=None, max_length=100)
    ranking: Ranking | None = None
    contract_amount: AmountIn | None = None
    funds_in_place: AmountIn | None = None
    evidence: str | None = Field(default=None, max_length=4000)


class StageMoveIn(TextInput):
    to: ProjectStage
    on_date: Day = Field(description="The day the stage was reached (or the move back happened)")
    reason: str = Field(default="", max_length=1000, description="Required when moving back")


class StageMoveRead(Schema):
    from_stage: ProjectStage | None
    to_stage: ProjectStage
    on_date: date
    reason: str
    recorded_at: datetime


class ProjectRead(Schema):
    id: int
    programme_id: int
    org: OrgRef
    team_id: int | None
    company: str
    industry: str
    origin_region: str
    ranking: Ranking
    contract_amount: DecimalOut
    funds_in_place: DecimalOut
    stage: ProjectStage
    negotiating_date: date
    signed_date: date | None
    landed_date: date | None
    started_date: date | None
    producing_date: date | None
    evidence: str
    history: list[StageMoveRead]
    created_at: datetime
    updated_at: datetime


class MeasureCompletion(Schema):
    measure_key: str
    target: DecimalOut | None = Field(description="null: the unit has no target for it (not counted)")
    actual: DecimalOut
    completion: DecimalOut | None = Field(description="actual ÷ target (uncapped), six places")
    light: Light | None
    previous_actual: DecimalOut | None = Field(description="At the previous month's end; null before the period")


class UnitCompletion(Schema):
    org: OrgRef
    measures: list[MeasureCompletion]
    weighted_completion: DecimalOut | None = Field(description="Σ weight × min(completion, 1) ÷ Σ weight")
    rank: int | None
    light: Light | None
    previous_weighted_completion: DecimalOut | None
    change: DecimalOut | None = Field(description="Weighted completion minus the previous month end's")
    landed_projects: int
    no_project_landed: bool = Field(description="The veto fact: no project stood at 落地 or later")


class CompletionRead(Schema):
    programme_id: int
    as_of: date
    previous_as_of: date | None = Field(description="The previous month's end, when it falls in the period")
    expected_pace: DecimalOut = Field(description="Elapsed days ÷ period days")
    measures: list[MeasureRead]
    units: list[UnitCompletion]
