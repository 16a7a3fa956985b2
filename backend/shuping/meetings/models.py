"""Evaluation meetings (述职评议大会): agenda, one-time ballot tokens, ballots, paper sheets.

Anonymity (DESIGN §4): a ballot of an anonymous group holds no token, no person and no time;
its id and receipt are random. That a code or a person has voted is recorded apart from the
ballot (`TokenUse`, `EvaluatorUse`), in tables with no id and no time. While a report is open
the rows of one writer transaction still share its order (and, in PostgreSQL, its `xmin`);
closing the report rewrites all of them in a random order (`meetings/anonymise.py`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, Numeric, PrimaryKeyConstraint, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shuping.db import Base, utcnow


class Direction(StrEnum):
    upward = "upward"
    downward = "downward"


class MeetingStatus(StrEnum):
    scheduled = "scheduled"
    live = "live"
    ended = "ended"


class Voting(StrEnum):
    pending = "pending"
    open = "open"
    closed = "closed"


class BallotSource(StrEnum):
    named = "named"  # a named group's evaluator, signed in
    # Online in an anonymous group: by a one-time code or by a signed-in member of the group, on
    # purpose not told apart (a lone signed-in voter would be singled out by it).
    token = "token"
    paper = "paper"


def _enum(cls: type[StrEnum], length: int = 16) -> Enum:
    return Enum(cls, native_enum=False, length=length, validate_strings=True)


class Meeting(Base):
    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycle.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    direction: Mapped[Direction] = mapped_column(_enum(Direction))
    starts_at: Mapped[datetime]
    status: Mapped[MeetingStatus] = mapped_column(_enum(MeetingStatus), index=True)
    current_report_id: Mapped[int | None] = mapped_column(ForeignKey("report.id", ondelete="RESTRICT"))
    revealed: Mapped[bool] = mapped_column(default=False)
    # Lets the hall's big screen read the tally and events without a login.
    screen_key: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agenda: Mapped[list[AgendaItem]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )


class AgendaItem(Base):
    __tablename__ = "agenda_item"
    __table_args__ = (UniqueConstraint("meeting_id", "report_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int]
    voting: Mapped[Voting] = mapped_column(_enum(Voting))


class BallotToken(Base):
    """A one-time QR token: only its SHA-256 is kept."""

    __tablename__ = "ballot_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("evaluator_group.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked: Mapped[bool] = mapped_column(default=False)


class TokenUse(Base):
    """That a token has voted on a report: the key makes its use atomic.

    No id and no time; in SQLite no rowid either (rows are kept in key order)."""

    __tablename__ = "token_use"
    __table_args__ = (PrimaryKeyConstraint("token_id", "report_id"), {"sqlite_with_rowid": False})

    token_id: Mapped[int] = mapped_column(ForeignKey("ballot_token.id", ondelete="CASCADE"))
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="RESTRICT"), index=True)


class EvaluatorUse(Base):
    """That a signed-in evaluator of an anonymous group has voted on a report, apart from the
    ballot, which names nobody: one ballot each, never replaced."""

    __tablename__ = "evaluator_use"
    __table_args__ = (PrimaryKeyConstraint("meeting_id", "report_id", "user_id"), {"sqlite_with_rowid": False})

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"))
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="RESTRICT"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"), index=True)


class Ballot(Base):
    __tablename__ = "ballot"
    __table_args__ = (
        UniqueConstraint("meeting_id", "report_id", "evaluator_id"),
        # A cycle's tally reads this index alone, in order: per report and group, equal answers side by side.
        Index(
            "ix_ballot_tally",
            "report_id",
            "group_id",
            "signature",
            postgresql_include=["total", "first_tier", "straight"],
        ),
    )

    # Random, so neither id nor row order tells which token or person cast it.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="RESTRICT"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="RESTRICT"))
    group_id: Mapped[int] = mapped_column(ForeignKey("evaluator_group.id", ondelete="RESTRICT"), index=True)
    source: Mapped[BallotSource] = mapped_column(_enum(BallotSource))
    # Named groups' ballots only: one per evaluator, report and meeting; a later one replaces it.
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    receipt: Mapped[str] = mapped_column(String(16), unique=True)
    # JSONB in PostgreSQL: item averages read 10 answers of each of a province's 1.5 million ballots, and
    # `json` would be parsed again for every one of them (21 s instead of about 1 s).
    items: Mapped[dict[str, Any]] = mapped_column(JSON().with_variant(JSONB(), "postgresql"))
    total: Mapped[Decimal] = mapped_column(Numeric(10, 4))
    first_tier: Mapped[str | None] = mapped_column(String(16))
    # Shape facts for the consistency flags, kept so a whole cycle is tallied in SQL: every item at the
    # same share of its maximum, and a digest of the answers (equal answers, equal digest).
    straight: Mapped[bool] = mapped_column(default=False)
    signature: Mapped[str] = mapped_column(String(32), default="")
    comment: Mapped[str | None] = mapped_column(Text)
    comment_category: Mapped[str | None] = mapped_column(String(50))


class IdempotencyRecord(Base):
    """The first answer to a ballot request, returned again for a retry with the same key."""

    __tablename__ = "idempotency_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    # sha256 of who asked (a code or a person) together with the client's random Idempotency-Key,
    # neither stored: knowing a code, or a person, does not find their record.
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    # An anonymous group's ballots: rewritten with the report's ballots when its voting closes.
    anonymous: Mapped[bool] = mapped_column(default=False)
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class PaperSheet(Base):
    """One clerk's entry of one paper ballot sheet; two entries per sheet are reconciled."""

    __tablename__ = "paper_sheet"
    __table_args__ = (UniqueConstraint("meeting_id", "sheet_no", "report_id", "entry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    sheet_no: Mapped[str] = mapped_column(String(32))
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="RESTRICT"))
    group_id: Mapped[int] = mapped_column(ForeignKey("evaluator_group.id", ondelete="RESTRICT"))
    entry: Mapped[int]
    items: Mapped[dict[str, Any]] = mapped_column(JSON)
    comment: Mapped[str | None] = mapped_column(Text)
    comment_category: Mapped[str | None] = mapped_column(String(50))
    entered_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    counted: Mapped[bool] = mapped_column(default=False)
