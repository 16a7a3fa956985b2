"""Computed and published results of a cycle, and the consequences for flagged reports."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shuping.db import Base, utcnow


class ResultStatus(StrEnum):
    computed = "computed"
    published = "published"


class ResultSet(Base):
    """The cycle's latest computation; once published, frozen with its hash in the audit log."""

    __tablename__ = "result_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="RESTRICT"), unique=True)
    status: Mapped[ResultStatus] = mapped_column(
        Enum(ResultStatus, native_enum=False, length=16, validate_strings=True)
    )
    # The summary served with every page: max total, number of reports, blockers. The items are the
    # `ResultEntry` rows; `hash` covers the max total and every item in ranking order.
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    hash: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    computed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    quorum_override: Mapped[str | None] = mapped_column(Text)
    # The indicators some report lacks ({key, title, org_names} in rubric order), and why the result was
    # published all the same (a reason is required then).
    missing_indicators: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    indicator_override: Mapped[str | None] = mapped_column(Text)


class ResultEntry(Base):
    """One report's place in a cycle's result: its item as served, and its figures as columns for trends."""

    __tablename__ = "result_entry"
    __table_args__ = (UniqueConstraint("cycle_id", "report_id"), UniqueConstraint("cycle_id", "position"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="RESTRICT"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="RESTRICT"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    total: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    tier: Mapped[str | None] = mapped_column(String(16))
    rank: Mapped[int | None]
    flagged: Mapped[bool] = mapped_column(default=False)
    published: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int]  # 0-based place in the ranking as served (by rank, then report order)
    # The `ResultItem` as canonical JSON (sorted keys): exactly what the hash covers and a page serves.
    item: Mapped[str] = mapped_column(Text)


class Interview(Base):
    """约谈: who led it, when, who attended, what was said."""

    __tablename__ = "interview"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="RESTRICT"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="RESTRICT"), index=True)
    held_at: Mapped[datetime]
    led_by: Mapped[str] = mapped_column(String(100))
    attendees: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NoticeStatus(StrEnum):
    issued = "issued"
    acknowledged = "acknowledged"


class RectificationNotice(Base):
    """整改通知书 for a flagged report: numbered, with findings, measures and a deadline."""

    __tablename__ = "rectification_notice"
    __table_args__ = (UniqueConstraint("cycle_id", "report_id"), UniqueConstraint("number"))

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="RESTRICT"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="RESTRICT"))
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    number: Mapped[str] = mapped_column(String(64))
    findings: Mapped[str] = mapped_column(Text)
    measures: Mapped[str] = mapped_column(Text)
    deadline_date: Mapped[date]
    status: Mapped[NoticeStatus] = mapped_column(
        Enum(NoticeStatus, native_enum=False, length=16, validate_strings=True)
    )
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
