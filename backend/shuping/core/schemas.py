"""Base schemas shared by every domain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict


class Schema(BaseModel):
    """Base of every response schema."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


class InputSchema(Schema):
    """Base of every request schema: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


T = TypeVar("T")


class Page(Schema, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class PageParams(InputSchema):
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0)


class ProblemError(Schema):
    loc: list[str | int]
    msg: str


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str | None = None
    request_id: str | None = None
    errors: list[ProblemError] | None = None


MAX_ID = 2_147_483_647
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]


def _iso_datetime_only(value: object) -> object:
    """Refuse numbers as datetimes: lax parsing would read "0.5" as a Unix timestamp."""
    if isinstance(value, int | float) or (
        isinstance(value, str) and value.strip().lstrip("+-").replace(".", "").isdigit()
    ):
        raise ValueError("expected an ISO 8601 date-time such as 2026-01-31T08:00:00Z")
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime_only)]

# Body fields take numbers and booleans strictly: lax mode reads `0` as False and "12" as 12.
BodyId = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
