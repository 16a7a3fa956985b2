"""Monthly bulletin (月度通报) schemas: what a bulletin says (frozen as its snapshot when published), its
state, and the public board's read of the latest published one."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from shuping.core.schemas import Schema, TextInput
from shuping.core.values import DecimalOut
from shuping.targets.completion import Light
from shuping.targets.models import BulletinStatus
from shuping.targets.schemas import Day, OrgRef


class BulletinCreate(TextInput):
    month: Day = Field(description="A day of the month reported (its first day by custom: 2013-10-01)")


class BulletinWithdraw(TextInput):
    reason: str = Field(min_length=2, max_length=1000, description="Why the published bulletin is withdrawn")


class ProgrammeRef(Schema):
    id: int
    name: str


class BulletinMeasure(Schema):
    key: str
    name: str
    unit: str
    weight: DecimalOut
    more_is_better: bool


class BulletinUnitMeasure(Schema):
    measure_key: str
    target: DecimalOut | None = Field(description="null: the unit has no target for it (not counted)")
    actual: DecimalOut
    completion: DecimalOut | None = Field(description="actual ÷ target (uncapped), six places")
    light: Light | None


class BulletinUnit(Schema):
    org: OrgRef
    measures: list[BulletinUnitMeasure]
    weighted_completion: DecimalOut | None = Field(description="Σ weight × min(completion, 1) ÷ Σ weight")
    rank: int | None = Field(description="1 = highest weighted completion; null: the unit has no target")
    light: Light | None
    previous_weighted_completion: DecimalOut | None = Field(description="As the comparison (`previous`) had it")
    change: DecimalOut | None = Field(description="Weighted completion minus the previous one (month on month)")
    landed_projects: int
    no_project_landed: bool = Field(description="The veto fact: no project stood at 落地 or later")


class BulletinPrevious(Schema):
    """What the month-on-month change compares with: the previous month's published bulletin, or
    (without one) the completion computed at the previous month's end."""

    month: date
    as_of: date
    number: int | None = Field(description="The bulletin's number; null: computed at the month's end")


class LightCounts(Schema):
    green: int
    yellow: int
    red: int
    unranked: int = Field(description="Units listed without a target, so without a light")


class BulletinContent(Schema):
    """What a bulletin says: computed live for a draft, frozen (the snapshot) once published."""

    programme: ProgrammeRef
    month: date = Field(description="The month's first day")
    number: int = Field(description="第 n 期 within the programme")
    as_of: date = Field(description="The month's last day, within the programme's period")
    organ: str = Field(description="The issuing organ (发文机关): the programme's office, else its host")
    doc_number: str = Field(description="发文字号, e.g. 洛商务通〔2013〕2号")
    title: str
    expected_pace: DecimalOut = Field(description="Elapsed days ÷ period days on as_of")
    red_below: DecimalOut = Field(description="Red below this share of the expected pace")
    previous: BulletinPrevious | None
    measures: list[BulletinMeasure]
    units: list[BulletinUnit] = Field(description="In rank order; units without a target last")
    counts: LightCounts
    summary: str = Field(description="The summary paragraph (总体情况), in Chinese as printed")


class BulletinSummary(Schema):
    id: int
    programme_id: int
    month: date
    number: int
    as_of: date
    title: str
    status: BulletinStatus
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime


class BulletinRead(BulletinContent):
    id: int
    programme_id: int
    status: BulletinStatus
    published_at: datetime | None
    may_publish: bool = Field(description="Whether the caller publishes, withdraws or deletes it")
    created_at: datetime
    updated_at: datetime


class PublicBulletin(BulletinContent):
    id: int
    published_at: datetime


class TargetBoard(Schema):
    """The public board's (图板展示) target bulletins: the programmes with a published bulletin, and the
    chosen programme's latest published one."""

    programmes: list[ProgrammeRef]
    bulletin: PublicBulletin | None
