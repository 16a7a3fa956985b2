"""Organisations: the county, its townships, villages and departments."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shuping.db import Base, utcnow


class OrgKind(StrEnum):
    county = "county"
    township = "township"
    working_committee = "working_committee"
    village = "village"
    department = "department"


# A notice number is the prefix, 〔year〕, a sequence and 号 in 64 characters (rectification_notice.number).
DOC_PREFIX_MAX = 32
ISSUING_ORGAN_MAX = 100


# Which kinds may sit directly under which: the tree the county actually has.
ALLOWED_PARENTS: dict[OrgKind, frozenset[OrgKind | None]] = {
    OrgKind.county: frozenset({None}),
    OrgKind.township: frozenset({OrgKind.county}),
    OrgKind.working_committee: frozenset({OrgKind.county}),
    OrgKind.village: frozenset({OrgKind.township, OrgKind.working_committee}),
    OrgKind.department: frozenset({OrgKind.county}),
}


class Organization(Base):
    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[OrgKind] = mapped_column(
        Enum(OrgKind, native_enum=False, length=32, validate_strings=True), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # What the rectification notices of a cycle it hosts carry: the 发文字号 prefix (汝组整改 gives
    # 汝组整改〔2013〕1号) and the 发文机关 that signs them; unset, both follow from its name
    # (orgs.service.document_settings).
    doc_prefix: Mapped[str | None] = mapped_column(String(DOC_PREFIX_MAX))
    issuing_organ: Mapped[str | None] = mapped_column(String(ISSUING_ORGAN_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
