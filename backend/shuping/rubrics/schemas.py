"""Rubric schemas."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import Field

from shuping.core.schemas import InputSchema, Schema
from shuping.core.values import DecimalOut, PositivePointsIn, PositiveShareIn
from shuping.rubrics.models import ItemKind, ItemSource

KEY_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"
FORMULA_PATTERN = r"^[a-z][a-z0-9_]*$"


class TierFractionsIn(InputSchema):
    """Points of a tier item = fraction × max_points; each in (0, 1], strictly descending."""

    good: PositiveShareIn = Decimal("1.00")
    fairly_good: PositiveShareIn = Decimal("0.85")
    average: PositiveShareIn = Decimal("0.70")
    poor: PositiveShareIn = Decimal("0.50")


class TierFractionsRead(Schema):
    good: DecimalOut
    fairly_good: DecimalOut
    average: DecimalOut
    poor: DecimalOut


class RubricItemIn(InputSchema):
    key: str = Field(min_length=1, max_length=64, pattern=KEY_PATTERN)
    title: str = Field(min_length=1, max_length=200)
    category: str = Field(default="", max_length=100)
    source: ItemSource
    kind: ItemKind | None = Field(default=None, description="Ballot items only: score or tier")
    max_points: PositivePointsIn
    formula: str | None = Field(
        default=None,
        max_length=64,
        pattern=FORMULA_PATTERN,
        description='Indicator items only; "manual" when omitted. See GET /rubrics/formulas',
    )
    description: str = Field(default="", max_length=2000)


class RubricVetoIn(InputSchema):
    key: str = Field(min_length=1, max_length=64, pattern=KEY_PATTERN)
    title: str = Field(min_length=1, max_length=200)
    fact: str | None = Field(
        default=None,
        max_length=64,
        pattern=FORMULA_PATTERN,
        description="A veto fact that decides it from the cycle's data (see GET /rubrics/veto-facts); "
        "null: a clerk sets it",
    )


class RubricIn(InputSchema):
    """A whole rubric: used to create one and to replace one (PUT)."""

    name: str = Field(min_length=1, max_length=200)
    tier_fractions: TierFractionsIn = Field(default_factory=TierFractionsIn)
    items: list[RubricItemIn] = Field(max_length=100)
    vetoes: list[RubricVetoIn] = Field(default_factory=list, max_length=50)


class RubricItemRead(Schema):
    key: str
    title: str
    category: str
    source: ItemSource
    kind: ItemKind | None
    max_points: DecimalOut
    formula: str | None
    description: str


class RubricVetoRead(Schema):
    key: str
    title: str
    fact: str | None = Field(default=None, description="The veto fact that decides it; null: a clerk sets it")


class RubricSummary(Schema):
    id: int
    name: str
    version: int
    previous_id: int | None
    item_count: int
    max_total: DecimalOut = Field(description="The rubric's maximum: the sum of every item's max_points")
    frozen: bool = Field(description="Used by a cycle past preparation: editing makes a new version")
    cycle_count: int = Field(description="Cycles that use this rubric")
    created_at: datetime
    updated_at: datetime


class RubricRead(RubricSummary):
    tier_fractions: TierFractionsRead
    items: list[RubricItemRead]
    vetoes: list[RubricVetoRead]


class VetoFactRead(Schema):
    name: str
    description: str
    available: bool = Field(description="Decided by the system; otherwise it vetoes no one until plugged in")


class FormulaRead(Schema):
    name: str
    description: str
    available: bool = Field(description="Computed by the system; otherwise the points are entered by hand")
