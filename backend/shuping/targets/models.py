"""Target-responsibility programmes (目标责任): measures, each unit's targets, teams and the project pipeline."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shuping.db import Base, utcnow

AMOUNT = Numeric(14, 2)  # 万元, to the hundredth
WEIGHT = Numeric(8, 4)


def _enum(cls: type[StrEnum]) -> Enum:
    return Enum(
        cls, native_enum=False, length=32, validate_strings=True, values_callable=lambda e: [m.value for m in e]
    )


class ProgrammeStatus(StrEnum):
    draft = "draft"
    active = "active"
    closed = "closed"


class ProjectStage(StrEnum):
    """洽谈 → 签约 → 落地 → 开工 → 投产, in this order (`STAGE_ORDER`)."""

    negotiating = "negotiating"
    signed = "signed"
    landed = "landed"
    started = "started"
    producing = "producing"


STAGE_ORDER: dict[ProjectStage, int] = {stage: i for i, stage in enumerate(ProjectStage)}


class MeasureBasis(StrEnum):
    """What a measure sums over the projects that reached its stage."""

    projects = "projects"  # how many
    contract_amount = "contract_amount"  # 合同金额 万元
    funds_in_place = "funds_in_place"  # 到位资金 万元


class Ranking(StrEnum):
    none = "none"
    global_500 = "global_500"  # 世界500强
    china_500 = "china_500"  # 国内500强
    industry_100 = "industry_100"  # 行业100强


class SupervisionBody(StrEnum):
    """Who inspects a programme's progress (督查): the people's congress, the CPPCC, the two offices'
    supervision office, or another body named in the round's title."""

    congress = "congress"  # 人大
    cppcc = "cppcc"  # 政协
    office = "office"  # 两办督察室
    other = "other"


class BulletinStatus(StrEnum):
    draft = "draft"
    published = "published"


class TargetProgramme(Base):
    __tablename__ = "target_programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    host_org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    # The office that runs it day to day and publishes its bulletins (牵头单位, e.g. 区商务局), if not the host.
    office_org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    status: Mapped[ProgrammeStatus] = mapped_column(_enum(ProgrammeStatus), default=ProgrammeStatus.draft)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TargetMeasure(Base):
    __tablename__ = "target_measure"
    __table_args__ = (UniqueConstraint("programme_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("target_programme.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(20))
    more_is_better: Mapped[bool] = mapped_column(default=True)
    weight: Mapped[Decimal] = mapped_column(WEIGHT)
    stage: Mapped[ProjectStage] = mapped_column(_enum(ProjectStage))
    basis: Mapped[MeasureBasis] = mapped_column(_enum(MeasureBasis))


class Target(Base):
    """A responsible unit's target for one measure (a unit may have none for a measure)."""

    __tablename__ = "target"
    __table_args__ = (UniqueConstraint("measure_id", "org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("target_programme.id", ondelete="CASCADE"), index=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("target_measure.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    value: Mapped[Decimal] = mapped_column(AMOUNT)


class TargetTeam(Base):
    """An industrial-chain team (产业链招商攻坚小组) led by a district leader."""

    __tablename__ = "target_team"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("target_programme.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    leader_name: Mapped[str] = mapped_column(String(100), default="")
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)

    members: Mapped[list[TargetTeamMember]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="TargetTeamMember.id"
    )


class TargetTeamMember(Base):
    __tablename__ = "target_team_member"
    __table_args__ = (UniqueConstraint("team_id", "org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("target_team.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)


class TargetProject(Base):
    """A lead (招商信息) or project, owned by a responsible unit and moved through the stages."""

    __tablename__ = "target_project"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("target_programme.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("target_team.id", ondelete="SET NULL"), index=True)
    company: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str] = mapped_column(String(100), default="")
    origin_region: Mapped[str] = mapped_column(String(100), default="")
    ranking: Mapped[Ranking] = mapped_column(_enum(Ranking), default=Ranking.none)
    contract_amount: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    funds_in_place: Mapped[Decimal] = mapped_column(AMOUNT, default=Decimal(0))
    stage: Mapped[ProjectStage] = mapped_column(_enum(ProjectStage), default=ProjectStage.negotiating)
    # The day each stage was (last) reached; cleared when the project moves back below it.
    negotiating_date: Mapped[date]
    signed_date: Mapped[date | None]
    landed_date: Mapped[date | None]
    started_date: Mapped[date | None]
    producing_date: Mapped[date | None]
    evidence: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    history: Mapped[list[TargetProjectStage]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="TargetProjectStage.id"
    )


class TargetProjectStage(Base):
    """One move of a project's stage (the first records its creation); a move back carries its reason."""

    __tablename__ = "target_project_stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("target_project.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[ProjectStage | None] = mapped_column(_enum(ProjectStage))
    to_stage: Mapped[ProjectStage] = mapped_column(_enum(ProjectStage))
    on_date: Mapped[date]
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class TargetCycleFreeze(Base):
    """The target figures a cycle is assessed on, frozen as it enters assessment (`assessment`):
    which programme fed it (none: the indicator stays missing) and on which day."""

    __tablename__ = "target_cycle_freeze"

    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), primary_key=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("target_programme.id", ondelete="SET NULL"))
    as_of: Mapped[date]
    frozen_at: Mapped[datetime] = mapped_column(default=utcnow)


class TargetCycleFigure(Base):
    """One unit's frozen weighted completion for a cycle (None: the unit had no target)."""

    __tablename__ = "target_cycle_figure"
    __table_args__ = (UniqueConstraint("cycle_id", "org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("target_cycle_freeze.cycle_id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    weighted_completion: Mapped[Decimal | None] = mapped_column(Numeric(12, 8))
    landed_projects: Mapped[int] = mapped_column(default=0)


class TargetMonthlyReport(Base):
    """A unit's report of one month (月报): its figures computed from the pipeline at the month's end
    (or the period's end), kept as submitted, with the unit's note."""

    __tablename__ = "target_monthly_report"
    __table_args__ = (UniqueConstraint("programme_id", "org_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("target_programme.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    month: Mapped[date]  # the month's first day
    as_of: Mapped[date]  # the day its figures are computed on
    # Per measure: key, target, actual, completion (decimal strings), as computed when submitted.
    figures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    weighted_completion: Mapped[Decimal | None] = mapped_column(Numeric(12, 8))
    note: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TargetSupervisionRound(Base):
    """One round of inspection (督查) of a programme by a body, over a few days."""

    __tablename__ = "target_supervision_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("target_programme.id", ondelete="CASCADE"), index=True)
    body: Mapped[SupervisionBody] = mapped_column(_enum(SupervisionBody))
    title: Mapped[str] = mapped_column(String(200))
    started_on: Mapped[date]
    ended_on: Mapped[date | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class TargetFinding(Base):
    """What a round found at one unit on a visit, to be put right by a deadline (a ledger item, see
    `ledger.models.LedgerItemFinding`)."""

    __tablename__ = "target_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("target_supervision_round.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    visited_on: Mapped[date]
    finding: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TargetBulletin(Base):
    """The monthly bulletin (月度通报): completion per unit and measure on the month's last day, ranked,
    with lights and month-on-month change. A draft is computed live; publishing freezes `snapshot`
    and puts it on the public board (图板展示)."""

    __tablename__ = "target_bulletin"
    __table_args__ = (UniqueConstraint("programme_id", "month"), UniqueConstraint("programme_id", "number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("target_programme.id", ondelete="CASCADE"), index=True)
    month: Mapped[date]  # the month's first day
    number: Mapped[int]  # 第 n 期, counted within the programme
    as_of: Mapped[date]
    status: Mapped[BulletinStatus] = mapped_column(_enum(BulletinStatus), default=BulletinStatus.draft)
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    published_at: Mapped[datetime | None]
    published_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
