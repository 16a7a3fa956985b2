"""Users and their roles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shuping.db import Base, utcnow

if TYPE_CHECKING:
    from shuping.orgs.models import Organization


class Role(StrEnum):
    admin = "admin"
    clerk = "clerk"
    leader = "leader"
    deputy = "deputy"
    secretary = "secretary"
    member = "member"
    integration = "integration"


# The organisation department's own people: they run cycles and see every organisation's data.
STAFF_ROLES = frozenset({Role.admin, Role.clerk})


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=32, validate_strings=True), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="RESTRICT"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password change or deactivation, so older refresh tokens stop working.
    token_version: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # By name: orgs sits above auth; shuping.models imports both, so the mapper finds it.
    org: Mapped[Organization] = relationship("Organization", lazy="raise")

    @property
    def org_name(self) -> str:
        return self.org.name


class RefreshToken(Base):
    """One issued refresh token, known by the SHA-256 of its random id (never the token itself).

    Tokens from one login form a family; each refresh marks its token used and issues the next.
    A used token shown again means a copy is abroad: the whole family is deleted.
    """

    __tablename__ = "refresh_token"

    jti_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    family_id: Mapped[str] = mapped_column(String(32), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None] = mapped_column(default=None)
