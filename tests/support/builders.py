"""Builders and helpers for tests: users, organisations, auth headers."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth import tokens
from shuping.auth.models import Role, User
from shuping.demo.seed import DEMO_PASSWORD
from shuping.orgs.models import Organization, OrgKind
from shuping.petitions.calendar import china_today
from shuping.petitions.models import PetitionCase

__all__ = ["DEMO_PASSWORD", "auth_headers", "get_org", "get_user", "make_case", "make_org", "make_user"]


def auth_headers(user: User) -> dict[str, str]:
    token, _ = tokens.issue(user.id, tokens.TokenType.access, user.token_version)
    return {"Authorization": f"Bearer {token}"}


async def get_user(session: AsyncSession, username: str) -> User:
    return (await session.execute(select(User).where(User.username == username))).scalar_one()


async def get_org(session: AsyncSession, code: str) -> Organization:
    return (await session.execute(select(Organization).where(Organization.code == code))).scalar_one()


async def make_org(session: AsyncSession, **overrides: Any) -> Organization:
    fields: dict[str, Any] = {"code": f"T{uuid.uuid4().hex[:8]}", "name": "测试乡", "kind": OrgKind.township}
    fields.update(overrides)
    if "parent_id" not in fields and fields["kind"] != OrgKind.county:
        fields["parent_id"] = (await get_org(session, "410326")).id
    org = Organization(**fields)
    session.add(org)
    await session.flush()
    return org


async def make_user(session: AsyncSession, **overrides: Any) -> User:
    existing = await get_user(session, "admin")
    fields: dict[str, Any] = {
        "username": f"u{uuid.uuid4().hex[:8]}",
        "full_name": "测试用户",
        "password_hash": existing.password_hash,  # the demo password, without hashing again
        "role": Role.secretary,
        "org_id": existing.org_id,
    }
    fields.update(overrides)
    user = User(**fields)
    session.add(user)
    await session.flush()
    return user


async def make_case(session: AsyncSession, **overrides: Any) -> PetitionCase:
    """A petition case in 小店镇 concerning 县信访局, accepted today unless overridden."""
    from shuping.petitions import service as petitions

    fields: dict[str, Any] = {
        "external_id": f"T-{uuid.uuid4().hex[:10]}",
        "org": await get_org(session, "410326104"),
        "dept": await get_org(session, "410326-D29"),
        "category": "劳动社保",
        "summary": "测试案件",
        "name": "张三丰",
        "phone": "13812341234",
        "received": china_today(),
        "note": None,
        "external_updated_at": None,
        "source": "sunshine",
    }
    fields.update(overrides)
    case = petitions.new_case(**fields)
    session.add(case)
    await session.flush()
    return await petitions.get_case(session, case.id)
