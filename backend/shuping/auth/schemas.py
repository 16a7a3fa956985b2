"""Auth and user schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, StrictBool

from shuping.auth.models import Role
from shuping.core.schemas import BodyId, InputSchema, Schema


class TokenPair(Schema):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Lifetime of the access token in seconds")


class RefreshIn(InputSchema):
    refresh_token: str = Field(min_length=1, max_length=4096)


class UserRead(Schema):
    id: int
    username: str
    full_name: str
    role: Role
    org_id: int
    org_name: str
    is_active: bool
    created_at: datetime


class UserCreate(InputSchema):
    username: str = Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    full_name: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=8, max_length=128)
    role: Role
    org_id: BodyId


class UserUpdate(InputSchema):
    full_name: str | None = Field(default=None, min_length=1, max_length=100)
    role: Role | None = None
    org_id: BodyId | None = None
    is_active: StrictBool | None = None
    password: str | None = Field(default=None, min_length=8, max_length=128)


class PasswordChange(InputSchema):
    current_password: str = Field(min_length=1, max_length=128)
    new_password: str = Field(min_length=8, max_length=128)
