"""Organisation schemas."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, StrictBool

from shuping.core.schemas import BodyId, InputSchema, Schema
from shuping.orgs.models import OrgKind


class OrgRead(Schema):
    id: int
    code: str
    name: str
    kind: OrgKind
    parent_id: int | None
    is_active: bool
    children_count: int = 0
    created_at: datetime


class OrgCreate(InputSchema):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str = Field(min_length=1, max_length=200)
    kind: OrgKind
    parent_id: BodyId | None = None


class OrgUpdate(InputSchema):
    code: str | None = Field(default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str | None = Field(default=None, min_length=1, max_length=200)
    parent_id: BodyId | None = None
    is_active: StrictBool | None = None
