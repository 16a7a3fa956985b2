"""Audit log schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from shuping.core.schemas import ReaderText, Schema


class AuditEntryRead(Schema):
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str | None
    action: str
    entity_type: str
    entity_id: str | None
    data: dict[str, Any]
    prev_hash: str
    hash: str


class ChainCheckRead(Schema):
    ok: bool
    entries: int
    first_broken_id: int | None = None
    reason: ReaderText | None = Field(default=None, description="In the request's language (Accept-Language)")
