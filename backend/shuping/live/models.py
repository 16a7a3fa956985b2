"""Live events: an ordered log per channel (e.g. one meeting), kept so screens can resume."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shuping.db import Base, utcnow


class LiveChannel(Base):
    """The last sequence number handed out on a channel; its row lock orders publishers."""

    __tablename__ = "live_channel"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    last_seq: Mapped[int] = mapped_column(default=0)


class LiveEvent(Base):
    __tablename__ = "live_event"
    __table_args__ = (UniqueConstraint("channel", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(100))
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
