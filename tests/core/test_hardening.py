"""Input hardening (core.hardening): control characters, body sizes and JSON depth, refused in one place."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.config import get_settings
from shuping.core.hardening import MAX_BODY_BYTES, MAX_JSON_DEPTH, json_too_deep
from shuping.flows import cycle_import as cycles_importing
from shuping.ledger import importer as ledger_importer
from shuping.main import app
from shuping.meetings import router as meetings_routes
from shuping.petitions import importer as petitions_importer
from tests.petitions.support import SECRET, WEBHOOK_URL, signed
from tests.support.builders import auth_headers, get_org, get_user

NUL = "\x00"


def _problem(r: httpx.Response, status: int) -> dict[str, object]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert body["request_id"] == r.headers["x-request-id"]
    return dict(body)


def _refused(r: httpx.Response, loc: list[object]) -> str:
    body = _problem(r, 422)
    assert body["type"] == "https://shuping.example/problems/validation-error"
    errors = body["errors"]
    assert isinstance(errors, list) and errors[0]["loc"] == loc, errors
    return str(errors[0]["msg"])


def _deep(levels: int) -> bytes:
    return b'{"a":' * levels + b"1" + b"}" * levels


# ---------------------------------------------------------------- control characters


async def test_nul_in_the_login_form_is_422_naming_the_username(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/auth/token", data={"username": f"admin{NUL}", "password": "shuping-demo"})
    assert "U+0000" in _refused(r, ["body", "username"])
    r = await client.post("/api/v1/auth/token", data={"username": "admin", "password": f"x{NUL}"})
    _refused(r, ["body", "password"])


@pytest.mark.parametrize("path", ["/api/v1/orgs", "/api/v1/petitions/cases"])
async def test_nul_in_a_query_is_422_naming_the_parameter(
    client: httpx.AsyncClient, session: AsyncSession, path: str
) -> None:
    headers = auth_headers(await get_user(session, "admin"))
    r = await client.get(path, params={"q": f"张{NUL}"}, headers=headers)
    _refused(r, ["query", "q"])
    r = await client.get(f"{path}?q=%01x", headers=headers)
    _refused(r, ["query", "q"])
    # Tab and newline are text; a percent sign before other digits is no control character.
    assert (await client.get(path, params={"q": "a\tb\nc %10"}, headers=headers)).status_code == 200


async def test_nul_in_a_json_text_field_is_422_naming_it(client: httpx.AsyncClient, session: AsyncSession) -> None:
    headers = auth_headers(await get_user(session, "admin"))
    org = await get_org(session, "410326104")
    r = await client.patch(f"/api/v1/orgs/{org.id}", json={"name": f"城关{NUL}镇"}, headers=headers)
    assert "U+0000" in _refused(r, ["body", "name"])
    r = await client.patch(f"/api/v1/orgs/{org.id}", json={"name": "城关\x1b镇"}, headers=headers)
    assert "U+001B" in _refused(r, ["body", "name"])
    # In a list, and in a key.
    r = await client.post("/api/v1/auth/refresh", json={"refresh_token": ["ok", f"x{NUL}"]})
    _refused(r, ["body", "refresh_token", 1])
    r = await client.post("/api/v1/auth/refresh", json={f"k{NUL}": 1})
    _refused(r, ["body"])
    # An escaped backslash before "u0000" is text, not a control character: the route decides.
    r = await client.post(
        "/api/v1/auth/refresh", content=rb'{"refresh_token": "\\u0000"}', headers={"content-type": "application/json"}
    )
    assert r.status_code == 401, r.text


async def test_control_characters_in_headers_and_paths_are_422(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/meetings/1/ballots", json={}, headers={"Idempotency-Key": "abcdefgh\x01"})
    _refused(r, ["header", "idempotency-key"])
    r = await client.get("/api/v1/orgs/%00")
    _refused(r, ["path"])


async def test_nul_in_a_multipart_field_or_file_name_is_422(client: httpx.AsyncClient, session: AsyncSession) -> None:
    headers = auth_headers(await get_user(session, "clerk"))

    def multipart(disposition: bytes, value: bytes) -> tuple[bytes, dict[str, str]]:
        body = b"--B\r\nContent-Disposition: form-data; " + disposition + b"\r\n\r\n" + value + b"\r\n--B--\r\n"
        return body, {**headers, "content-type": "multipart/form-data; boundary=B"}

    body, h = multipart(b'name="file"; filename="a\x00.xlsx"\r\nContent-Type: application/octet-stream', b"PK")
    r = await client.post("/api/v1/cycles/import/excel", content=body, headers=h)
    _refused(r, ["body", "file"])
    body, h = multipart(b'name="note"', b"x\x00y")
    r = await client.post("/api/v1/cycles/import/excel", content=body, headers=h)
    _refused(r, ["body", "note"])


# ---------------------------------------------------------------- sizes


async def test_a_json_body_over_the_limit_is_413_from_its_length(client: httpx.AsyncClient) -> None:
    big = b'{"refresh_token": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    r = await client.post("/api/v1/auth/refresh", content=big, headers={"content-type": "application/json"})
    body = _problem(r, 413)
    assert body["type"] == "https://shuping.example/problems/payload-too-large"
    assert "1 MiB" in str(body["detail"])


def test_every_operation_with_a_body_documents_413() -> None:
    """The contract run met an undocumented 413 (PATCH /reports/{id} with a body over 1 MiB): the guard
    answers it before any route, so the document lists it on every operation that takes a body."""
    document = app.openapi()
    missing = [
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation and "413" not in operation["responses"]
    ]
    assert not missing, missing
    explain = document["paths"]["/api/v1/cycles/{cycle_id}/results/{report_id}/explain"]["get"]
    assert "409" in explain["responses"]  # the cycle has no rubric (after going back to preparation)


async def test_a_chunked_body_is_not_read_past_the_limit(client: httpx.AsyncClient) -> None:
    chunk = b"x" * 65536
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'{"refresh_token": "'
        for _ in range(1600):  # 100 MiB if it were all read
            sent += 1
            yield chunk

    r = await client.post("/api/v1/auth/refresh", content=endless(), headers={"content-type": "application/json"})
    _problem(r, 413)
    assert sent <= MAX_BODY_BYTES // len(chunk) + 1


async def test_uploads_keep_their_own_larger_limit(client: httpx.AsyncClient, session: AsyncSession) -> None:
    headers = auth_headers(await get_user(session, "clerk"))
    # Larger than a JSON body may be, within the workbook limit: the route reads it (and finds no workbook).
    files = {"file": ("周期.xlsx", b"PK" + b"\x00" * (2 * 1024 * 1024), "application/octet-stream")}
    r = await client.post("/api/v1/cycles/import/excel", files=files, headers=headers)
    assert r.status_code == 415, r.text
    # Larger than any upload may be: refused from the length, before it is read.
    h = {**headers, "content-type": "multipart/form-data; boundary=B", "content-length": str(2**31)}
    r = await client.post("/api/v1/cycles/import/excel", content=b"--B--\r\n", headers=h)
    _problem(r, 413)


async def test_a_streamed_upload_past_the_limit_is_413(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every upload limit at 1 MiB: a multipart body may then have 2 MiB.
    for name in ("report_slides_max_mb", "report_image_max_mb", "ledger_evidence_max_mb"):
        monkeypatch.setattr(get_settings(), name, 1)
    for module in (cycles_importing, ledger_importer, petitions_importer):
        name = "MAX_WORKBOOK_BYTES" if module is cycles_importing else "MAX_IMPORT_BYTES"
        monkeypatch.setattr(module, name, 1024 * 1024)
    monkeypatch.setattr(meetings_routes, "MAX_UPLOAD", 1024 * 1024)
    headers = auth_headers(await get_user(session, "clerk"))
    sent = 0

    async def parts() -> AsyncIterator[bytes]:
        nonlocal sent
        yield b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'
        for _ in range(160):  # 10 MiB if it were all read
            sent += 1
            yield b"x" * 65536
        yield b"\r\n--B--\r\n"

    h = {**headers, "content-type": "multipart/form-data; boundary=B"}
    r = await client.post("/api/v1/cycles/import/excel", content=parts(), headers=h)
    assert "2 MiB" in str(_problem(r, 413)["detail"])
    assert sent <= 2 * 1024 * 1024 // 65536 + 1


# ---------------------------------------------------------------- depth


def test_depth_is_counted_outside_strings() -> None:
    assert not json_too_deep(_deep(MAX_JSON_DEPTH))
    assert json_too_deep(_deep(MAX_JSON_DEPTH + 1))
    assert not json_too_deep(json.dumps({"a": "[" * 1000, "b": [[1]] * 100}).encode())
    assert not json_too_deep(json.dumps({"a": '\\"[[[' * 100}).encode())


async def test_deep_json_is_422_not_500(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/v1/auth/refresh", content=_deep(10_000), headers={"content-type": "application/json"})
    assert "32 levels" in _refused(r, ["body"])


async def test_deep_json_to_the_signed_webhook_is_422(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "sunshine_secret", SECRET)
    body, headers = signed(None, raw=b'{"cases": [' + b"[" * 10_000 + b"]" * 10_000 + b"]}")
    _refused(await client.post(WEBHOOK_URL, content=body, headers=headers), ["body"])
    body, headers = signed({"cases": [{"external_id": f"YG{NUL}1"}]})
    _refused(await client.post(WEBHOOK_URL, content=body, headers=headers), ["body", "cases", 0, "external_id"])
