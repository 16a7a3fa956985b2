"""User administration: admins only, field errors, deactivation, audit."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from tests.support.builders import auth_headers, get_org, get_user, make_user


async def test_admin_creates_lists_and_updates_a_user(client: httpx.AsyncClient, session: AsyncSession) -> None:
    admin = await get_user(session, "admin")
    village = await get_org(session, "410326104201")
    body = {
        "username": "newsec",
        "full_name": "新书记",
        "password": "a-long-password",
        "role": "secretary",
        "org_id": village.id,
    }
    r = await client.post("/api/v1/users", json=body, headers=auth_headers(admin))
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["org_name"] == village.name
    assert "password" not in created and "password_hash" not in created

    listed = await client.get("/api/v1/users", params={"org_id": village.id}, headers=auth_headers(admin))
    assert {u["username"] for u in listed.json()["items"]} == {"newsec", f"s{village.code}"}

    r = await client.patch(f"/api/v1/users/{created['id']}", json={"full_name": "改名"}, headers=auth_headers(admin))
    assert r.status_code == 200
    assert r.json()["full_name"] == "改名"

    actions = (
        (
            await session.execute(
                select(AuditEntry.action)
                .where(AuditEntry.entity_type == "user", AuditEntry.entity_id == str(created["id"]))
                .order_by(AuditEntry.id)
            )
        )
        .scalars()
        .all()
    )
    assert actions == ["user.create", "user.update"]


async def test_new_user_can_log_in_and_password_change_revokes_old_tokens(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await get_user(session, "admin")
    body = {
        "username": "fresh",
        "full_name": "新人",
        "password": "first-password",
        "role": "clerk",
        "org_id": admin.org_id,
    }
    uid = (await client.post("/api/v1/users", json=body, headers=auth_headers(admin))).json()["id"]
    tokens = (await client.post("/api/v1/auth/token", data={"username": "fresh", "password": "first-password"})).json()
    old = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await client.get("/api/v1/auth/me", headers=old)).status_code == 200
    r = await client.patch(f"/api/v1/users/{uid}", json={"password": "second-password"}, headers=auth_headers(admin))
    assert r.status_code == 200
    assert (await client.get("/api/v1/auth/me", headers=old)).status_code == 401
    assert (
        await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    ).status_code == 401
    ok = await client.post("/api/v1/auth/token", data={"username": "fresh", "password": "second-password"})
    assert ok.status_code == 200


@pytest.mark.parametrize("role", [r for r in Role if r != Role.admin])
async def test_only_admins_manage_users(client: httpx.AsyncClient, session: AsyncSession, role: Role) -> None:
    user = await make_user(session, role=role)
    h = auth_headers(user)
    assert (await client.get("/api/v1/users", headers=h)).status_code == 403
    assert (await client.get(f"/api/v1/users/{user.id}", headers=h)).status_code == 403
    body = {"username": "x1", "full_name": "x", "password": "long-enough", "role": "admin", "org_id": user.org_id}
    assert (await client.post("/api/v1/users", json=body, headers=h)).status_code == 403
    r = await client.patch(f"/api/v1/users/{user.id}", json={"role": "admin"}, headers=h)
    assert r.status_code == 403
    assert (await get_user(session, user.username)).role == role


async def test_anonymous_cannot_list_users(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/users")).status_code == 401


async def test_user_errors_name_the_field(client: httpx.AsyncClient, session: AsyncSession) -> None:
    admin = await get_user(session, "admin")
    h = auth_headers(admin)
    base = {"username": "okname", "full_name": "x", "password": "long-enough", "role": "clerk", "org_id": admin.org_id}

    r = await client.post("/api/v1/users", json={**base, "password": "short"}, headers=h)
    assert r.status_code == 422
    assert ["body", "password"] in [e["loc"] for e in r.json()["errors"]]

    r = await client.post("/api/v1/users", json={**base, "role": "king"}, headers=h)
    assert r.status_code == 422
    assert ["body", "role"] in [e["loc"] for e in r.json()["errors"]]

    r = await client.post("/api/v1/users", json={**base, "username": "admin"}, headers=h)
    assert r.status_code == 409
    assert r.json()["errors"][0]["loc"] == ["body", "username"]

    r = await client.post("/api/v1/users", json={**base, "org_id": 999999}, headers=h)
    assert r.status_code == 400
    assert r.json()["errors"][0]["loc"] == ["body", "org_id"]

    r = await client.post("/api/v1/users", json={**base, "is_superuser": True}, headers=h)
    assert r.status_code == 422

    assert (await client.get("/api/v1/users/999999", headers=h)).status_code == 404
    r = await client.patch("/api/v1/users/999999", json={"full_name": "x"}, headers=h)
    assert r.status_code == 404


async def test_admin_cannot_lock_themselves_out(client: httpx.AsyncClient, session: AsyncSession) -> None:
    admin = await get_user(session, "admin")
    r = await client.patch(f"/api/v1/users/{admin.id}", json={"is_active": False}, headers=auth_headers(admin))
    assert r.status_code == 409
    r = await client.patch(f"/api/v1/users/{admin.id}", json={"role": "clerk"}, headers=auth_headers(admin))
    assert r.status_code == 409


async def test_deactivated_users_are_hidden_unless_asked(client: httpx.AsyncClient, session: AsyncSession) -> None:
    admin = await get_user(session, "admin")
    user = await make_user(session, full_name="待停用", is_active=False)
    h = auth_headers(admin)
    default = await client.get("/api/v1/users", params={"q": "待停用"}, headers=h)
    assert default.json()["total"] == 0
    everyone = await client.get("/api/v1/users", params={"q": "待停用", "include_inactive": True}, headers=h)
    assert [u["id"] for u in everyone.json()["items"]] == [user.id]


async def test_demo_accounts_exist(client: httpx.AsyncClient, session: AsyncSession) -> None:
    admin = await get_user(session, "admin")
    h = auth_headers(admin)
    counts = {}
    for role in ("leader", "deputy", "secretary", "clerk", "admin"):
        counts[role] = (await client.get("/api/v1/users", params={"role": role, "limit": 1}, headers=h)).json()["total"]
    assert counts == {"leader": 7, "deputy": 24, "secretary": 14 + 216, "clerk": 1, "admin": 1}


async def test_own_password_change_needs_the_current_one(client: httpx.AsyncClient, session: AsyncSession) -> None:
    admin = await get_user(session, "admin")
    h = auth_headers(admin)
    r = await client.patch(f"/api/v1/users/{admin.id}", json={"password": "new-password-1"}, headers=h)
    assert r.status_code == 409
    r = await client.post(
        "/api/v1/auth/password", json={"current_password": "wrong", "new_password": "new-password-1"}, headers=h
    )
    assert r.status_code == 400
    assert r.json()["errors"][0]["loc"] == ["body", "current_password"]
    r = await client.post(
        "/api/v1/auth/password", json={"current_password": "shuping-demo", "new_password": "new-password-1"}, headers=h
    )
    assert r.status_code == 200
    assert (await client.get("/api/v1/auth/me", headers=h)).status_code == 401
    fresh = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert (await client.get("/api/v1/auth/me", headers=fresh)).status_code == 200
