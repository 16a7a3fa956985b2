"""Rubrics (测评表): scored items, tier fractions and veto items."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shuping.db import Base, utcnow


class ItemSource(StrEnum):
    ballot = "ballot"
    indicator = "indicator"


class ItemKind(StrEnum):
    score = "score"
    tier = "tier"


class Tier(StrEnum):
    good = "good"
    fairly_good = "fairly_good"
    average = "average"
    poor = "poor"


# What each tier is called in the county's documents and ballot sheets (DESIGN's glossary).
TIER_NAMES: dict[str, str] = {Tier.good: "好", Tier.fairly_good: "较好", Tier.average: "一般", Tier.poor: "较差"}


def tier_name(tier: str | None) -> str:
    """The tier's name, or 未评定 (not graded) for none."""
    return TIER_NAMES.get(tier or "", "未评定")


POINTS = Numeric(8, 2)
SHARE = Numeric(5, 4)

DEFAULT_TIER_FRACTIONS: dict[Tier, Decimal] = {
    Tier.good: Decimal("1.00"),
    Tier.fairly_good: Decimal("0.85"),
    Tier.average: Decimal("0.70"),
    Tier.poor: Decimal("0.50"),
}


class Rubric(Base):
    __tablename__ = "rubric"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # Editing a rubric that a cycle past preparation uses makes a new version.
    version: Mapped[int] = mapped_column(default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("rubric.id", ondelete="RESTRICT"), index=True)
    tier_good: Mapped[Decimal] = mapped_column(SHARE)
    tier_fairly_good: Mapped[Decimal] = mapped_column(SHARE)
    tier_average: Mapped[Decimal] = mapped_column(SHARE)
    tier_poor: Mapped[Decimal] = mapped_column(SHARE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    items: Mapped[list[RubricItem]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="RubricItem.position"
    )
    vetoes: Mapped[list[RubricVeto]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="RubricVeto.position"
    )

    def tier_fraction(self, tier: Tier) -> Decimal:
        fraction: Decimal = getattr(self, f"tier_{tier.value}")
        return fraction


class RubricItem(Base):
    __tablename__ = "rubric_item"
    __table_args__ = (UniqueConstraint("rubric_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubric.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(100), default="")
    source: Mapped[ItemSource] = mapped_column(Enum(ItemSource, native_enum=False, length=16, validate_strings=True))
    kind: Mapped[ItemKind | None] = mapped_column(Enum(ItemKind, native_enum=False, length=16, validate_strings=True))
    max_points: Mapped[Decimal] = mapped_column(POINTS)
    # Indicator items name the formula that computes them ("manual": entered by the org department).
    formula: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")


class RubricVeto(Base):
    __tablename__ = "rubric_veto"
    __table_args__ = (UniqueConstraint("rubric_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(ForeignKey("rubric.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    # A registered veto fact that decides it from the cycle's data (e.g. no project landed); None: a clerk does.
    fact: Mapped[str | None] = mapped_column(String(64))
