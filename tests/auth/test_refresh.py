"""Refresh tokens rotate on use; a reused one revokes its whole family."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth import tokens
from shuping.auth.models import RefreshToken
from shuping.db import utcnow
from tests.support.builders import DEMO_PASSWORD, auth_headers, get_user, make_user

REFRESH_URL = "/api/v1/auth/refresh"


async def login(client: httpx.AsyncClient, username: str = "admin", password: str = DEMO_PASSWORD) -> dict[str, str]:
    r = await client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return dict(r.json())


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(REFRESH_URL, json={"refresh_token": token})


async def test_refresh_returns_a_new_refresh_token_and_the_used_one_stops_working(client: httpx.AsyncClient) -> None:
    first = await login(client)
    r = await refresh(client, first["refresh_token"])
    assert r.status_code == 200
    second = r.json()
    assert second["refresh_token"] != first["refresh_token"]
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {second['access_token']}"})
    assert me.status_code == 200
    # The new one works in turn, and so on down the family.
    third = await refresh(client, second["refresh_token"])
    assert third.status_code == 200
    assert (await refresh(client, third.json()["refresh_token"])).status_code == 200


async def test_reused_refresh_token_revokes_its_family(client: httpx.AsyncClient, session: AsyncSession) -> None:
    stolen = (await login(client))["refresh_token"]
    other_session = (await login(client))["refresh_token"]
    # The thief (or the user) uses it first: a rotated sibling is issued.
    sibling = (await refresh(client, stolen)).json()["refresh_token"]
    # The other party presents the same token again: refused, and the whole family with it.
    reuse = await refresh(client, stolen)
    assert reuse.status_code == 401
    assert reuse.json()["type"].endswith("/refresh-token-reused")
    assert (await refresh(client, sibling)).status_code == 401
    assert (await refresh(client, stolen)).status_code == 401
    # A separate login of the same user is another family and keeps working.
    assert (await refresh(client, other_session)).status_code == 200
    # The revocation and its audit entry were kept although the request failed.
    last = (
        await session.execute(
            select(AuditEntry).where(AuditEntry.action == "auth.refresh_reused").order_by(AuditEntry.id.desc())
        )
    ).scalar_one()
    assert last.entity_id == str((await get_user(session, "admin")).id)


async def test_refresh_token_unknown_to_the_server_is_refused(client: httpx.AsyncClient, session: AsyncSession) -> None:
    # Correctly signed, but never recorded (as one issued before rotation existed).
    admin = await get_user(session, "admin")
    token, _ = tokens.issue(admin.id, tokens.TokenType.refresh, admin.token_version)
    assert (await refresh(client, token)).status_code == 401


async def test_expired_refresh_token_is_refused(client: httpx.AsyncClient, session: AsyncSession) -> None:
    token = (await login(client))["refresh_token"]
    rows = (await session.execute(select(RefreshToken))).scalars().all()
    for row in rows:
        row.expires_at = utcnow() - timedelta(seconds=1)
    await session.flush()
    assert (await refresh(client, token)).status_code == 401


async def test_the_server_keeps_no_token_and_purges_expired_rows(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = await get_user(session, "admin")
    session.add(
        RefreshToken(
            jti_hash="0" * 64, family_id="f" * 32, user_id=admin.id, expires_at=utcnow() - timedelta(minutes=1)
        )
    )
    await session.flush()
    pair = await login(client)
    rows = (await session.execute(select(RefreshToken).execution_options(populate_existing=True))).scalars().all()
    assert [r.jti_hash for r in rows if r.jti_hash == "0" * 64] == []
    assert len(rows) == 1
    stored = rows[0]
    assert stored.user_id == admin.id and stored.used_at is None
    jti = tokens.decode(pair["refresh_token"], tokens.TokenType.refresh).jti
    assert len(jti) >= 22  # 128 random bits
    assert stored.jti_hash not in (jti, pair["refresh_token"])
    assert pair["refresh_token"] not in repr(stored.__dict__)


async def test_password_change_ends_every_refresh_token(client: httpx.AsyncClient, session: AsyncSession) -> None:
    user = await make_user(session, username="rotator")
    old = await login(client, "rotator")
    r = await client.post(
        "/api/v1/auth/password",
        json={"current_password": DEMO_PASSWORD, "new_password": "another-password-1"},
        headers=auth_headers(user),
    )
    assert r.status_code == 200
    assert (await refresh(client, old["refresh_token"])).status_code == 401
    assert (await refresh(client, r.json()["refresh_token"])).status_code == 200
    # Only the new family is left.
    count = await session.scalar(select(func.count()).select_from(RefreshToken).where(RefreshToken.user_id == user.id))
    assert count == 2  # the used token of the new family and its successor


async def test_deactivation_ends_every_refresh_token(client: httpx.AsyncClient, session: AsyncSession) -> None:
    user = await make_user(session, username="leaving")
    pair = await login(client, "leaving")
    admin = await get_user(session, "admin")
    r = await client.patch(f"/api/v1/users/{user.id}", json={"is_active": False}, headers=auth_headers(admin))
    assert r.status_code == 200
    assert (await refresh(client, pair["refresh_token"])).status_code == 401
