"""Base schemas shared by every domain."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from shuping.core.i18n import N_, translate


class Schema(BaseModel):
    """Base of every response schema."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


class InputSchema(Schema):
    """Base of every request schema: unknown fields are refused, text is stripped of surrounding blanks.

    Pydantic strips before it checks a length or a pattern, so 5,000 blanks would pass a 4,000-character
    limit; the documented limits hold for the text as sent, so they are checked on it first.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _text_as_sent_within_limits(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name is None:
            return value
        limit = cls._limits().get(info.field_name)
        if limit is None:
            return value
        in_list, max_length, pattern = limit
        for text in value if in_list and isinstance(value, list) else [value]:
            if not isinstance(text, str):
                continue
            if max_length is not None and len(text) > max_length:
                raise PydanticCustomError(
                    "string_too_long", "String should have at most {max_length} characters", {"max_length": max_length}
                )
            if pattern is not None and not pattern.search(text):
                raise PydanticCustomError(
                    "string_pattern_mismatch", "String should match pattern '{pattern}'", {"pattern": pattern.pattern}
                )
        return value

    @classmethod
    @cache
    def _limits(cls) -> dict[str, tuple[bool, int | None, re.Pattern[str] | None]]:
        """Each text field's (or list of texts') maxLength and pattern, as the published schema states them."""
        properties = cls.model_json_schema(mode="validation").get("properties", {})
        limits = {}
        for name, field in cls.model_fields.items():
            prop = properties.get(field.alias or name, {})
            for branch in [prop, *prop.get("anyOf", [])]:
                in_list = branch.get("type") == "array"
                text = branch.get("items", {}) if in_list else branch
                if "maxLength" in text or "pattern" in text:
                    pattern = text.get("pattern")
                    limits[name] = (in_list, text.get("maxLength"), re.compile(pattern) if pattern else None)
                    break
        return limits


class TextInput(InputSchema):
    """A request whose text may not contain NUL characters (PostgreSQL cannot store them); imported
    rows are checked by it too, where the input guard (core.hardening) does not look."""

    @model_validator(mode="after")
    def _no_nul(self) -> TextInput:
        for name, value in self:
            if isinstance(value, str) and "\x00" in value:
                raise ValueError(N_("{name} contains a NUL character", name=name))
        return self


T = TypeVar("T")


class Page(Schema, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class PageParams(InputSchema):
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0)


def _in_readers_language(value: object) -> object:
    # Made while answering a request, whose language is known (core.i18n): a plain str would lose the msgid.
    return translate(value) if isinstance(value, str) else value


# A message a person reads in a response (a gate's blocker, an import row's error): in the request's language.
ReaderText = Annotated[str, BeforeValidator(_in_readers_language)]


class ProblemError(Schema):
    loc: list[str | int]
    msg: str = Field(description="In the request's language (Accept-Language)")


class Problem(Schema):
    """RFC 9457 problem details; title, detail and each errors[].msg in the request's language (Accept-Language)."""

    type: str
    code: str = Field(description="Stable machine code, e.g. invalid-state, not-configured (the end of type)")
    title: str
    status: int
    detail: str | None = None
    params: dict[str, Any] | None = Field(
        default=None, description="The detail's parameters, for a client's own wording"
    )
    request_id: str | None = None
    errors: list[ProblemError] | None = None


MAX_ID = 2_147_483_647
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]


def _iso_datetime_only(value: object) -> object:
    """Refuse numbers as datetimes: lax parsing would read "0.5" as a Unix timestamp."""
    if isinstance(value, int | float) or (
        isinstance(value, str) and value.strip().lstrip("+-").replace(".", "").isdigit()
    ):
        raise ValueError(N_("expected an ISO 8601 date-time such as 2026-01-31T08:00:00Z"))
    return value


IsoDateTime = Annotated[datetime, BeforeValidator(_iso_datetime_only)]

# Body fields take numbers and booleans strictly: lax mode reads `0` as False and "12" as 12.
BodyId = Annotated[int, Strict(), Field(ge=1, le=MAX_ID)]
