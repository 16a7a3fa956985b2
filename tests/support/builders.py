"""Builders and helpers for tests: users, organisations, auth headers."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.auth import tokens
from shuping.auth.models import Role, User
from shuping.core.calendar import china_today
from shuping.demo.seed import DEMO_PASSWORD
from shuping.orgs.models import Organization, OrgKind
from shuping.petitions.models import PetitionCase

__all__ = [
    "DEMO_PASSWORD",
    "TOWNSHIP_CODES",
    "auth_headers",
    "example_document",
    "get_org",
    "get_user",
    "make_case",
    "make_cycle",
    "make_org",
    "make_user",
]


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
    from shuping.petitions import repository, service

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
    case = service.new_case(**fields)
    session.add(case)
    await session.flush()
    return await repository.get_case(session, case.id)


# --- evaluation setup ---------------------------------------------------------------------------

TOWNSHIP_CODES = [f"410326{n}" for n in (*range(101, 108), *range(201, 207), 301)]


def example_document(**overrides: Any) -> dict[str, Any]:
    """The issue's import document with the demo county's real codes (a fresh copy each call)."""
    doc: dict[str, Any] = {
        "name": "2013年上半年乡镇党委书记抓基层党建述职评议",
        "host_org_code": "410326",
        "period_start": "2013-01-01",
        "period_end": "2013-06-30",
        "rubric": {
            "name": "乡镇党委书记抓基层党建工作测评表",
            "tier_fractions": {"good": "1.00", "fairly_good": "0.85", "average": "0.70", "poor": "0.50"},
            "items": [
                {"key": "duty", "title": "履行第一责任人职责", "category": "责任落实", "source": "ballot",
                 "kind": "score", "max_points": 30},
                {"key": "overall", "title": "总体评价", "category": "总体评价", "source": "ballot", "kind": "tier",
                 "max_points": 60},
                {"key": "petition_rate", "title": "信访化解率", "category": "服务群众", "source": "indicator",
                 "max_points": 10},
            ],
            "vetoes": [{"key": "major_incident", "title": "发生重大责任事故"}],
        },
        "groups": [
            {"key": "leaders", "name": "上级领导", "weight": "0.4", "aggregation": "mean", "anonymous": False,
             "expected": 7, "quorum": 1},
            {"key": "deputies", "name": "两代表一委员", "weight": "0.3", "aggregation": "trimmed_mean", "trim": 1,
             "anonymous": True, "expected": 24, "quorum": 1},
            {"key": "members", "name": "党员群众", "weight": "0.3", "aggregation": "trimmed_mean", "trim": 1,
             "anonymous": True, "expected": 60, "quorum": 1},
        ],
        "grading": {"method": "thresholds", "thresholds": {"good": "0.90", "fairly_good": "0.80", "average": "0.60"},
                    "poor_vote_share": "0.3333", "consequence_count": 1},
        "opinion_categories": ["班子建设", "党员队伍", "服务群众", "发展经济", "作风建设"],
        "reports": [{"org_code": code, "title": f"{code}述职报告"} for code in TOWNSHIP_CODES],
    }  # fmt: skip
    doc.update(overrides)
    return doc


async def make_cycle(session: AsyncSession, **overrides: Any) -> Any:
    """Import a cycle as the admin would (see example_document); returns the CycleImportResult."""
    from shuping.flows import cycle_import
    from shuping.flows.schemas import CycleImport

    admin = (
        await session.execute(select(User).options(selectinload(User.org)).where(User.username == "admin"))
    ).scalar_one()
    doc = CycleImport.model_validate_json(json.dumps(example_document(**overrides), ensure_ascii=False))
    return await cycle_import.import_json(session, doc=doc, actor=admin)
