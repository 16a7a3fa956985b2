"""Evaluation cycles (评议周期): stages, evaluator groups and their members, grading, opinion categories."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shuping.db import Base, utcnow
from shuping.orgs.models import Organization
from shuping.rubrics.models import Rubric

SHARE = Numeric(5, 4)


class CycleStage(StrEnum):
    preparation = "preparation"
    evaluation = "evaluation"
    assessment = "assessment"
    rectification = "rectification"
    closed = "closed"


STAGES: tuple[CycleStage, ...] = tuple(CycleStage)


def next_stage(stage: CycleStage) -> CycleStage | None:
    i = STAGES.index(stage)
    return STAGES[i + 1] if i + 1 < len(STAGES) else None


def previous_stage(stage: CycleStage) -> CycleStage | None:
    i = STAGES.index(stage)
    return STAGES[i - 1] if i > 0 else None


class Aggregation(StrEnum):
    mean = "mean"
    trimmed_mean = "trimmed_mean"


class GradingMethod(StrEnum):
    thresholds = "thresholds"
    quota = "quota"


DEFAULT_OPINION_CATEGORIES = ("班子建设", "党员队伍", "服务群众", "发展经济", "作风建设")
DEFAULT_THRESHOLDS = {"good": Decimal("0.90"), "fairly_good": Decimal("0.80"), "average": Decimal("0.60")}
DEFAULT_POOR_VOTE_SHARE = Decimal("0.3333")


class Cycle(Base):
    __tablename__ = "cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    host_org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    rubric_id: Mapped[int | None] = mapped_column(ForeignKey("rubric.id", ondelete="RESTRICT"), index=True)
    stage: Mapped[CycleStage] = mapped_column(
        Enum(CycleStage, native_enum=False, length=32, validate_strings=True), index=True
    )
    stage_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    report_due_date: Mapped[date | None]
    # Tiers by share of the rubric's maximum (thresholds) or by share of the reports (quota).
    grading_method: Mapped[GradingMethod] = mapped_column(
        Enum(GradingMethod, native_enum=False, length=16, validate_strings=True)
    )
    grade_good: Mapped[Decimal] = mapped_column(SHARE)
    grade_fairly_good: Mapped[Decimal] = mapped_column(SHARE)
    grade_average: Mapped[Decimal] = mapped_column(SHARE)
    poor_vote_share: Mapped[Decimal] = mapped_column(SHARE)
    consequence_count: Mapped[int] = mapped_column(default=1)
    # No score built from fewer ballots is shown anywhere (one ballot's score is one person's vote).
    min_ballots_shown: Mapped[int] = mapped_column(default=3, server_default="3")
    # Set when the cycle's results are published, cleared when an administrator reopens them: while
    # set, nothing that feeds the results may change (cycles.freeze asks it, and the ballot writer).
    frozen_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    host_org: Mapped[Organization] = relationship(lazy="raise")
    rubric: Mapped[Rubric | None] = relationship(lazy="raise")
    groups: Mapped[list[EvaluatorGroup]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="EvaluatorGroup.position"
    )
    opinion_categories: Mapped[list[OpinionCategory]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="OpinionCategory.position"
    )


class EvaluatorGroup(Base):
    __tablename__ = "evaluator_group"
    __table_args__ = (UniqueConstraint("cycle_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    weight: Mapped[Decimal] = mapped_column(SHARE)
    aggregation: Mapped[Aggregation] = mapped_column(
        Enum(Aggregation, native_enum=False, length=16, validate_strings=True)
    )
    # trimmed_mean drops the `trim` highest and lowest totals.
    trim: Mapped[int] = mapped_column(default=0)
    anonymous: Mapped[bool] = mapped_column(default=False)
    expected: Mapped[int] = mapped_column(default=0)
    quorum: Mapped[int] = mapped_column(default=1)


class EvaluatorGroupMember(Base):
    """A named evaluator in a group; one group per person per cycle, so no one counts twice."""

    __tablename__ = "evaluator_group_member"
    __table_args__ = (UniqueConstraint("cycle_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("evaluator_group.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OpinionCategory(Base):
    __tablename__ = "opinion_category"
    __table_args__ = (UniqueConstraint("cycle_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(50))
