"""Petition cases, their history, video reception appointments, sync bookkeeping and frozen statistics."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shuping.db import Base, utcnow
from shuping.orgs.models import Organization
from shuping.petitions.calendar import Stage
from shuping.petitions.statemachine import Action, CaseStatus

DEFAULT_SOURCE = "sunshine"
# What the history calls an external system that pushes or is pulled from (its own name, as people say it).
SOURCE_NAMES = {DEFAULT_SOURCE: "阳光信访"}


def _enum(cls: type[StrEnum]) -> Enum:
    # Store the values ("import"), not the member names ("import_").
    return Enum(
        cls, native_enum=False, length=32, validate_strings=True, values_callable=lambda e: [m.value for m in e]
    )


class EventKind(StrEnum):
    created = "created"
    status = "status"
    extended = "extended"
    updated = "updated"
    appointment_booked = "appointment_booked"
    appointment_outcome = "appointment_outcome"


class Via(StrEnum):
    """How a change reached us."""

    manual = "manual"
    push = "push"
    pull = "pull"
    import_ = "import"
    demo = "demo"


class AppointmentStatus(StrEnum):
    booked = "booked"
    held = "held"
    missed = "missed"
    cancelled = "cancelled"


class Satisfaction(StrEnum):
    """The petitioner's rating of a closed case (群众满意度评价); none recorded means not rated."""

    satisfied = "satisfied"  # 满意
    basically_satisfied = "basically_satisfied"  # 基本满意
    dissatisfied = "dissatisfied"  # 不满意


class SyncKind(StrEnum):
    push = "push"
    pull = "pull"
    import_ = "import"


class SyncStatus(StrEnum):
    running = "running"
    ok = "ok"
    partial = "partial"
    failed = "failed"


class StatsGroup(StrEnum):
    org = "org"
    department = "department"


class PetitionCase(Base):
    __tablename__ = "petition_case"
    __table_args__ = (UniqueConstraint("source", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32), default=DEFAULT_SOURCE)
    external_id: Mapped[str] = mapped_column(String(64))
    # The township (or working committee) the case comes from, and the county department it concerns.
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    # Responsible body (转办 moves it) and the body handling the case now (交办 moves only this).
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    holder_org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    category: Mapped[str] = mapped_column(String(64), index=True)
    summary: Mapped[str] = mapped_column(Text)
    # Only masked values are ever stored: the Sunshine system keeps the petitioner's identity.
    petitioner_name: Mapped[str] = mapped_column(String(64))
    petitioner_phone: Mapped[str] = mapped_column(String(32))
    received_date: Mapped[date] = mapped_column(index=True)
    status: Mapped[CaseStatus] = mapped_column(_enum(CaseStatus), index=True)
    stage: Mapped[Stage] = mapped_column(_enum(Stage))
    stage_started_date: Mapped[date]
    due_date: Mapped[date | None] = mapped_column(index=True)
    extended: Mapped[bool] = mapped_column(default=False)
    extension_reason: Mapped[str | None] = mapped_column(Text)
    reopen_count: Mapped[int] = mapped_column(default=0)
    resolved_date: Mapped[date | None]
    # The dates the measures of petition work are judged by (see petitions/measures.py): the
    # acceptance decision (the first start), the end of the first handling stage (the first
    # resolve) and the latest closing; the petitioner's rating recorded on closing.
    accepted_date: Mapped[date | None]
    handled_date: Mapped[date | None]
    closed_date: Mapped[date | None]
    satisfaction: Mapped[Satisfaction | None] = mapped_column(_enum(Satisfaction))
    note: Mapped[str | None] = mapped_column(Text)
    # The source system's own change time: an update older than this is stale.
    external_updated_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    org: Mapped[Organization | None] = relationship(foreign_keys=[org_id], lazy="raise")
    department: Mapped[Organization | None] = relationship(foreign_keys=[department_id], lazy="raise")
    owner: Mapped[Organization] = relationship(foreign_keys=[owner_org_id], lazy="raise")
    holder: Mapped[Organization] = relationship(foreign_keys=[holder_org_id], lazy="raise")


class PetitionEvent(Base):
    """One entry of a case's history: a status change, an extension, an appointment."""

    __tablename__ = "petition_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("petition_case.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind))
    action: Mapped[Action | None] = mapped_column(_enum(Action))
    from_status: Mapped[CaseStatus | None] = mapped_column(_enum(CaseStatus))
    to_status: Mapped[CaseStatus | None] = mapped_column(_enum(CaseStatus))
    stage: Mapped[Stage] = mapped_column(_enum(Stage))
    due_date: Mapped[date | None]
    # Whether the stage this step closed had run past its due date.
    late: Mapped[bool] = mapped_column(default=False)
    holder_org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"))
    owner_org_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"))
    via: Mapped[Via] = mapped_column(_enum(Via))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_name: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class Appointment(Base):
    """A video reception (预约视频接访): the petitioner meets a leader from their township."""

    __tablename__ = "petition_appointment"
    __table_args__ = (Index("ix_petition_appointment_leader_slot", "leader_id", "starts_at", "ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("petition_case.id", ondelete="CASCADE"), index=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[AppointmentStatus] = mapped_column(_enum(AppointmentStatus), default=AppointmentStatus.booked)
    location: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class WebhookMessage(Base):
    """A delivered webhook message id: a second delivery is acknowledged and ignored."""

    __tablename__ = "petition_webhook_message"
    __table_args__ = (UniqueConstraint("source", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    message_id: Mapped[str] = mapped_column(String(128))
    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class SyncRun(Base):
    """One push, pull or import: when, how much, what failed, how far behind the source we were."""

    __tablename__ = "petition_sync_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32), default=DEFAULT_SOURCE)
    kind: Mapped[SyncKind] = mapped_column(_enum(SyncKind), index=True)
    status: Mapped[SyncStatus] = mapped_column(_enum(SyncStatus))
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    dry_run: Mapped[bool] = mapped_column(default=False)
    message_id: Mapped[str | None] = mapped_column(String(128))
    file_name: Mapped[str | None] = mapped_column(String(255))
    updated_since: Mapped[datetime | None]
    cursor: Mapped[datetime | None]
    received: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    stale: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    # Seconds between the newest source change seen and the end of the run.
    lag_seconds: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    # Per-row or per-case errors (for an import: the row's values too, for the error sheet).
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class PetitionStatsSnapshot(Base):
    """A township's or department's figures frozen when a cycle entered assessment."""

    __tablename__ = "petition_stats_snapshot"
    __table_args__ = (UniqueConstraint("cycle_id", "group_by", "org_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The evaluation cycle; no foreign key here so this domain does not depend on cycles.
    cycle_id: Mapped[int] = mapped_column(index=True)
    group_by: Mapped[StatsGroup] = mapped_column(_enum(StatsGroup))
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"))
    as_of: Mapped[date]
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted: Mapped[int]
    resolved: Mapped[int]
    assigned_or_transferred: Mapped[int]
    in_progress: Mapped[int]
    overdue: Mapped[int]
    resolution_rate: Mapped[Decimal | None] = mapped_column(Numeric(7, 6))
    median_days_to_resolve: Mapped[Decimal | None] = mapped_column(Numeric(8, 1))
    # The measures' counts over the cycle's period (None in snapshots taken before they existed).
    acceptance_due: Mapped[int | None]
    accepted_in_time: Mapped[int | None]
    handling_due: Mapped[int | None]
    handled_in_time: Mapped[int | None]
    closed: Mapped[int | None]
    rated: Mapped[int | None]
    satisfied: Mapped[int | None]
