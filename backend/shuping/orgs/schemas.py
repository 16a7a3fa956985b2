"""Organisation schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StrictBool

from shuping.core.schemas import BodyId, InputSchema, Schema
from shuping.orgs.models import DOC_PREFIX_MAX, ISSUING_ORGAN_MAX, OrgKind

# Printed on one line of an official document: no control character (tab and newline included), and
# the prefix holds no 〔〕, which set the year apart in the number.
DocPrefix = Annotated[
    str,
    Field(
        min_length=1,
        max_length=DOC_PREFIX_MAX,
        pattern=r"^[^\x00-\x1f\x7f-\x9f〔〕]+$",
        description="发文字号 prefix of the rectification notices of the cycles it hosts, e.g. 汝组整改 "
        "(汝组整改〔2013〕1号); null: its name followed by 整改",
        examples=["汝组整改"],
    ),
]
IssuingOrgan = Annotated[
    str,
    Field(
        min_length=1,
        max_length=ISSUING_ORGAN_MAX,
        pattern=r"^[^\x00-\x1f\x7f-\x9f]+$",
        description="发文机关 signing those notices, e.g. 中共汝阳县委组织部; null: its name",
        examples=["中共汝阳县委组织部"],
    ),
]


class OrgRead(Schema):
    id: int
    code: str
    name: str
    kind: OrgKind
    parent_id: int | None
    is_active: bool
    doc_prefix: str | None
    issuing_organ: str | None
    children_count: int = 0
    created_at: datetime


class OrgCreate(InputSchema):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str = Field(min_length=1, max_length=200)
    kind: OrgKind
    parent_id: BodyId | None = None
    doc_prefix: DocPrefix | None = None
    issuing_organ: IssuingOrgan | None = None


class OrgUpdate(InputSchema):
    code: str | None = Field(default=None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    name: str | None = Field(default=None, min_length=1, max_length=200)
    parent_id: BodyId | None = None
    is_active: StrictBool | None = None
    doc_prefix: DocPrefix | None = None
    issuing_organ: IssuingOrgan | None = None
