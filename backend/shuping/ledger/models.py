"""Opinions (意见建议) and the rectification ledger (整改台账): items, their opinions, notes, evidence, history."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shuping.db import Base, utcnow
from shuping.ledger.statemachine import Action, ItemStatus
from shuping.orgs.models import Organization


def _enum(cls: type[StrEnum], length: int = 16) -> Enum:
    return Enum(
        cls, native_enum=False, length=length, validate_strings=True, values_callable=lambda e: [m.value for m in e]
    )


class OpinionSource(StrEnum):
    ballot = "ballot"  # a ballot's comment, harvested after voting closed
    meeting = "meeting"  # said in a meeting and entered by a clerk
    clerk = "clerk"  # raised by the organisation department
    paper = "paper"  # gathered on paper and imported


class EventKind(StrEnum):
    created = "created"
    status = "status"
    updated = "updated"
    opinion_added = "opinion_added"
    merged = "merged"
    note = "note"
    evidence_added = "evidence_added"
    evidence_removed = "evidence_removed"


class Opinion(Base):
    """One opinion or suggestion raised about an organisation's secretary in a cycle."""

    __tablename__ = "opinion"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="RESTRICT"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    # One of the cycle's opinion categories; a ballot comment may come without one.
    category: Mapped[str | None] = mapped_column(String(50), index=True)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[OpinionSource] = mapped_column(_enum(OpinionSource), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"), index=True)
    # The ballot whose comment this is: unique, so each comment becomes at most one opinion.
    ballot_id: Mapped[str | None] = mapped_column(ForeignKey("ballot.id", ondelete="SET NULL"), unique=True)
    # Only a named ballot's evaluator; an anonymous (token or paper) ballot's author is never known.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    org: Mapped[Organization] = relationship(lazy="raise")


class LedgerItem(Base):
    """One line of the rectification ledger: what the owner organisation will do, by when, and how far it is."""

    __tablename__ = "ledger_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="RESTRICT"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    # The person answerable in the owner organisation (its secretary by default).
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    category: Mapped[str | None] = mapped_column(String(50), index=True)
    title: Mapped[str] = mapped_column(String(200))
    measures: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ItemStatus] = mapped_column(_enum(ItemStatus), index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[date]
    due_days: Mapped[int]
    due_date: Mapped[date] = mapped_column(index=True)
    done_date: Mapped[date | None]
    verified_date: Mapped[date | None]
    # On the public board only once a clerk marks it, under the title the clerk gives it there.
    public: Mapped[bool] = mapped_column(default=False, server_default=false())
    public_title: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    org: Mapped[Organization] = relationship(lazy="raise")


class LedgerItemOpinion(Base):
    """Which item an opinion is in: the opinion is the key, so it is in one item at most."""

    __tablename__ = "ledger_item_opinion"

    opinion_id: Mapped[int] = mapped_column(ForeignKey("opinion.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("ledger_item.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerItemFinding(Base):
    """Which supervision finding (督查发现的问题) an item puts right: one item per finding."""

    __tablename__ = "ledger_item_finding"

    finding_id: Mapped[int] = mapped_column(ForeignKey("target_finding.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("ledger_item.id", ondelete="CASCADE"), unique=True)


class LedgerNote(Base):
    """A dated progress note on an item."""

    __tablename__ = "ledger_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("ledger_item.id", ondelete="CASCADE"), index=True)
    note_date: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerEvidence(Base):
    """A file that shows progress (photo, scan, document), stored under var_dir."""

    __tablename__ = "ledger_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("ledger_item.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    # Relative to settings.var_dir; never derived from the uploaded name.
    storage_path: Mapped[str] = mapped_column(String(255), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    uploaded_by_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LedgerEvent(Base):
    """One entry of an item's history."""

    __tablename__ = "ledger_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("ledger_item.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[EventKind] = mapped_column(_enum(EventKind, 24))
    action: Mapped[Action | None] = mapped_column(_enum(Action))
    from_status: Mapped[ItemStatus | None] = mapped_column(_enum(ItemStatus))
    to_status: Mapped[ItemStatus | None] = mapped_column(_enum(ItemStatus))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class OpinionImport(Base):
    """One upload of paper opinions: a dry run or a real one, with its row errors for the error sheet."""

    __tablename__ = "opinion_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    dry_run: Mapped[bool]
    applied: Mapped[bool]
    rows: Mapped[int]
    created: Mapped[int]
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
