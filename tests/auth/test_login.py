"""Login, refresh, /me, token forgery and login limits."""

from __future__ import annotations

import base64
import json
import time

import httpx
import pytest
from jose import jwt
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth import passwords
from shuping.config import get_settings
from tests.support.builders import DEMO_PASSWORD, auth_headers, get_user, make_user

TOKEN_URL = "/api/v1/auth/token"


async def login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(TOKEN_URL, data={"username": username, "password": password})


async def test_login_issues_tokens_and_me_answers(client: httpx.AsyncClient) -> None:
    r = await login(client, "admin", DEMO_PASSWORD)
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == get_settings().access_token_minutes * 60
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == "admin"
    assert me.json()["role"] == "admin"
    assert me.json()["org_name"] == "县委组织部"


async def test_wrong_password_is_401_problem_and_audited(client: httpx.AsyncClient, session: AsyncSession) -> None:
    r = await login(client, "admin", "not-the-password")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["status"] == 401
    assert problem["title"] == "Invalid username or password"
    assert problem["request_id"] == r.headers["x-request-id"]
    last = (await session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))).scalar_one()
    assert last.action == "auth.login_failed"
    assert last.actor_name == "admin"


async def test_successful_login_is_audited(client: httpx.AsyncClient, session: AsyncSession) -> None:
    assert (await login(client, "clerk", DEMO_PASSWORD)).status_code == 200
    last = (await session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))).scalar_one()
    assert (last.action, last.actor_name) == ("auth.login", "clerk")


async def test_unknown_user_is_401_and_still_verifies_a_hash(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    original = passwords._hasher.verify

    def spy(password: str, hashed: str) -> bool:
        calls.append(hashed)
        return bool(original(password, hashed))

    monkeypatch.setattr(passwords._hasher, "verify", spy)
    r = await login(client, "nobody-like-this", "whatever-password")
    assert r.status_code == 401
    assert r.json()["title"] == "Invalid username or password"
    # The same argon2 work as a wrong password, so timing does not reveal who exists.
    assert calls == [passwords._DUMMY_HASH]


async def test_unknown_user_costs_about_the_same_time_as_a_wrong_password(client: httpx.AsyncClient) -> None:
    async def timed(username: str) -> float:
        start = time.perf_counter()
        assert (await login(client, username, "wrong-password-1")).status_code == 401
        return time.perf_counter() - start

    # Interleaved and the fastest of several, so a busy machine does not decide the outcome.
    known_times, unknown_times = [], []
    for _ in range(5):
        known_times.append(await timed("leader01"))
        unknown_times.append(await timed("ghost-user"))
    known, unknown = min(known_times), min(unknown_times)
    assert unknown > known / 3
    assert unknown < known * 3


async def test_inactive_user_cannot_log_in(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await make_user(session, username="gone", is_active=False)
    assert (await login(client, "gone", DEMO_PASSWORD)).status_code == 401


async def test_sixth_rapid_wrong_password_gets_429_with_retry_after(client: httpx.AsyncClient) -> None:
    for _ in range(5):
        assert (await login(client, "deputy01", "bad-password")).status_code == 401
    r = await login(client, "deputy01", "bad-password")
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0
    assert r.headers["content-type"].startswith("application/problem+json")
    # Locked even with the right password, until the window passes.
    assert (await login(client, "deputy01", DEMO_PASSWORD)).status_code == 429
    # Another account from the same address is not locked by this one.
    assert (await login(client, "deputy02", DEMO_PASSWORD)).status_code == 200


async def test_many_usernames_from_one_address_are_limited(client: httpx.AsyncClient) -> None:
    limit = get_settings().login_ip_max_attempts
    for i in range(limit):
        assert (await login(client, f"spray{i}", "bad-password")).status_code == 401
    assert (await login(client, "spray-last", "bad-password")).status_code == 429


async def test_refresh_gives_a_new_pair_and_rejects_access_tokens(client: httpx.AsyncClient) -> None:
    pair = (await login(client, "admin", DEMO_PASSWORD)).json()
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert r.status_code == 200
    assert r.json()["access_token"]
    wrong = await client.post("/api/v1/auth/refresh", json={"refresh_token": pair["access_token"]})
    assert wrong.status_code == 401
    # A refresh token is no access token either.
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {pair['refresh_token']}"})
    assert me.status_code == 401


async def test_refresh_validates_its_body(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": "x", "extra": 1})
    assert r.status_code == 422
    assert ["body", "extra"] in [e["loc"] for e in r.json()["errors"]]


def _b64(obj: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def _claims(user_id: int, **overrides: object) -> dict[str, object]:
    s = get_settings()
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": str(user_id),
        "typ": "access",
        "ver": 0,
        "iat": now,
        "exp": now + 600,
        "iss": s.jwt_issuer,
        "aud": s.jwt_audience,
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda c: f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(c)}.", id="alg-none"),
        pytest.param(lambda c: f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(c)}.sig", id="alg-none-with-sig"),
        pytest.param(lambda c: jwt.encode(c, get_settings().secret_key, algorithm="HS512"), id="other-algorithm"),
        pytest.param(lambda c: jwt.encode(c, "another-secret-of-enough-length-0123456789"), id="bad-signature"),
        pytest.param(
            lambda c: jwt.encode(c, get_settings().secret_key, algorithm="HS256")[:-4] + "AAAA", id="tampered-signature"
        ),
        pytest.param(
            lambda c: (lambda t: t.split(".")[0] + "." + _b64({**c, "sub": "2"}) + "." + t.split(".")[2])(
                jwt.encode(c, get_settings().secret_key, algorithm="HS256")
            ),
            id="tampered-payload",
        ),
    ],
)
async def test_forged_tokens_are_401(client: httpx.AsyncClient, session: AsyncSession, forge: object) -> None:
    admin = await get_user(session, "admin")
    token = forge(_claims(admin.id))  # type: ignore[operator]
    r = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "overrides",
    [
        {"aud": "someone-else"},
        {"iss": "someone-else"},
        {"exp": int(time.time()) - 10},
        {"exp": None},
        {"iat": None},
        {"aud": None},
        {"iss": None},
        {"typ": "refresh"},
        {"ver": 99},
    ],
    ids=["wrong-aud", "wrong-iss", "expired", "no-exp", "no-iat", "no-aud", "no-iss", "refresh-type", "old-version"],
)
async def test_tokens_with_bad_claims_are_401(
    client: httpx.AsyncClient, session: AsyncSession, overrides: dict[str, object]
) -> None:
    admin = await get_user(session, "admin")
    token = jwt.encode(_claims(admin.id, **overrides), get_settings().secret_key, algorithm="HS256")
    r = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


async def test_a_well_formed_token_is_accepted(client: httpx.AsyncClient, session: AsyncSession) -> None:
    admin = await get_user(session, "admin")
    token = jwt.encode(_claims(admin.id), get_settings().secret_key, algorithm="HS256")
    assert (await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})).status_code == 200


async def test_missing_or_garbage_bearer_is_401(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/v1/auth/me")).status_code == 401
    r = await client.get("/api/v1/auth/me", headers={"Authorization": "Bearer not.a.jwt"})
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"


async def test_deactivated_users_tokens_stop_working(client: httpx.AsyncClient, session: AsyncSession) -> None:
    user = await make_user(session)
    headers = auth_headers(user)
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    admin = await get_user(session, "admin")
    r = await client.patch(f"/api/v1/users/{user.id}", json={"is_active": False}, headers=auth_headers(admin))
    assert r.status_code == 200
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401
