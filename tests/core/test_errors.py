"""Every error is RFC 9457 problem+json; nothing leaks a stack trace."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.main import create_app
from shuping.meetings.schemas import TokensRevoke
from tests.support.builders import auth_headers, get_org, get_user
from tests.support.languages import ENGLISH


def _is_problem(r: httpx.Response, status: int) -> dict[str, object]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status
    assert body["type"].startswith("https://")
    assert body["title"]
    assert body["request_id"] == r.headers["x-request-id"]
    return dict(body)


async def test_unknown_api_route_is_404_problem(client: httpx.AsyncClient) -> None:
    _is_problem(await client.get("/api/v1/no-such-thing"), 404)
    _is_problem(await client.post("/api/v1/no-such-thing", json={}), 404)
    _is_problem(await client.get("/api/v2/orgs"), 404)


async def test_wrong_method_is_405_problem(client: httpx.AsyncClient) -> None:
    r = await client.delete("/api/v1/orgs")
    _is_problem(r, 405)


async def test_malformed_body_is_422_with_locations(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/auth/refresh", content=b"{not json", headers={"content-type": "application/json"})
    body = _is_problem(r, 422)
    assert body["errors"]
    r = await client.post("/api/v1/auth/refresh", json={})
    body = _is_problem(r, 422)
    assert {"loc": ["body", "refresh_token"], "msg": "Field required"} in body["errors"]  # type: ignore[operator]


async def test_given_request_id_is_echoed(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/nothing", headers={"X-Request-ID": "abc123"})
    assert r.headers["x-request-id"] == "abc123"
    assert r.json()["request_id"] == "abc123"


async def test_unexpected_error_is_500_problem_without_trace(caplog: object) -> None:
    app = create_app()
    boom = APIRouter()

    @boom.get("/api/v1/boom")
    async def explode() -> None:
        raise RuntimeError("secret internal detail")

    app.include_router(boom)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=ENGLISH) as c:
        r = await c.get("/api/v1/boom")
    body = _is_problem(r, 500)
    assert "secret internal detail" not in r.text
    assert "Traceback" not in r.text
    assert str(body["request_id"]) in str(body["detail"])
    assert "secret internal detail" in caplog.text  # type: ignore[attr-defined]


async def test_405_names_every_allowed_method(client: httpx.AsyncClient) -> None:
    r = await client.put("/api/v1/orgs")
    assert r.status_code == 405
    assert {"GET", "POST"} <= set(r.headers["allow"].replace(" ", "").split(","))


async def test_body_that_is_not_utf8_is_422(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/auth/refresh", content=b"\xff\xfe\xfa", headers={"content-type": "application/json"})
    _is_problem(r, 422)


async def test_numbers_are_not_datetimes(client: httpx.AsyncClient, session: object) -> None:
    from tests.support.builders import auth_headers, get_user

    admin = await get_user(session, "admin")  # type: ignore[arg-type]
    r = await client.get("/api/v1/audit", params={"until": "0.5"}, headers=auth_headers(admin))
    body = _is_problem(r, 422)
    assert body["errors"][0]["loc"] == ["query", "until"]  # type: ignore[index]


async def test_a_query_parameter_given_twice_is_422(client: httpx.AsyncClient, session: object) -> None:
    from tests.support.builders import auth_headers, get_user

    h = auth_headers(await get_user(session, "admin"))  # type: ignore[arg-type]
    r = await client.get("/api/v1/orgs?limit=1&limit=2", headers=h)
    body = _is_problem(r, 422)
    assert body["errors"] == [{"loc": ["query", "limit"], "msg": "Give this parameter once"}]
    r = await client.get("/api/v1/rubrics?q=a&q=b", headers=h)
    assert r.status_code == 422
    # Parameters that are lists may repeat.
    r = await client.get("/api/v1/orgs?kind=township&kind=working_committee&limit=1", headers=h)
    assert r.status_code == 200
    r = await client.get("/api/v1/reports?status=draft&status=accepted", headers=h)
    assert r.status_code == 200


async def test_limits_hold_for_text_as_sent(client: httpx.AsyncClient, session: AsyncSession) -> None:
    """Blanks are stripped, but only after the documented maxLength and pattern are checked on what was sent."""
    h = auth_headers(await get_user(session, "admin"))
    county = await get_org(session, "410326")
    before = (await client.get("/api/v1/orgs", params={"limit": 1}, headers=h)).json()["total"]
    for body, field in [
        ({"code": "X9", "name": "\v" * 201 + "村", "kind": "township", "parent_id": county.id}, "name"),
        ({"code": " X9 ", "name": "村", "kind": "township", "parent_id": county.id}, "code"),
        ({"code": "X9" + " " * 63, "name": "村", "kind": "township", "parent_id": county.id}, "code"),
    ]:
        problem = _is_problem(await client.post("/api/v1/orgs", json=body, headers=h), 422)
        assert ["body", field] in [e["loc"] for e in problem["errors"]]  # type: ignore[attr-defined]
    assert (await client.get("/api/v1/orgs", params={"limit": 1}, headers=h)).json()["total"] == before
    # Blanks inside the limit are still trimmed.
    r = await client.post(
        "/api/v1/orgs", json={"code": "X9", "name": "  新村  ", "kind": "township", "parent_id": county.id}, headers=h
    )
    assert r.status_code == 201, r.text
    assert r.json()["name"] == "新村"


def test_limits_hold_for_each_text_of_a_list_as_sent() -> None:
    assert TokensRevoke.model_validate({"tokens": ["  abc  "]}).tokens == ["abc"]
    with pytest.raises(ValidationError) as caught:
        TokensRevoke.model_validate({"tokens": ["ok", " " * 100 + "x"]})
    assert caught.value.errors()[0]["loc"][0] == "tokens"
    assert caught.value.errors()[0]["type"] == "string_too_long"
