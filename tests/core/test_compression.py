"""Compressed and cacheable: the SPA's precompressed copies chosen by Accept-Encoding, hashed assets
immutable and pages revalidated (304), large JSON answers gzipped, never an event stream or a write."""

from __future__ import annotations

import gzip
from pathlib import Path

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.app.compression import accepted_encodings
from shuping.config import get_settings
from shuping.main import create_app
from tests.support.builders import auth_headers, get_user

SCRIPT = "console.log('述评');\n" * 200


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    """A build as `npm run build` leaves it: each text file with its .br and .gz copies."""
    (tmp_path / "assets").mkdir()
    files = {"index.html": "<html>shuping spa</html>" * 50, "assets/app-1a2b3c.js": SCRIPT}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        (tmp_path / f"{name}.gz").write_bytes(gzip.compress(text.encode()))
        (tmp_path / f"{name}.br").write_bytes(b"BROTLI:" + name.encode())  # told apart by content
    monkeypatch.setattr(get_settings(), "static_dir", tmp_path)
    return create_app()


async def _raw(app: object, path: str, **headers: str) -> tuple[httpx.Response, bytes]:
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c,  # type: ignore[arg-type]
        c.stream("GET", path, headers=headers) as r,
    ):
        return r, b"".join([chunk async for chunk in r.aiter_raw()])


async def test_the_best_precompressed_copy_the_client_accepts(built: object) -> None:
    r, body = await _raw(built, "/assets/app-1a2b3c.js", **{"accept-encoding": "gzip, deflate, br"})
    assert r.headers["content-encoding"] == "br" and body == b"BROTLI:assets/app-1a2b3c.js"
    assert r.headers["content-type"].startswith("text/javascript")
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert r.headers["vary"] == "Accept-Encoding"

    r, body = await _raw(built, "/assets/app-1a2b3c.js", **{"accept-encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip" and gzip.decompress(body).decode() == SCRIPT

    r, body = await _raw(built, "/assets/app-1a2b3c.js", **{"accept-encoding": "br;q=0, gzip;q=0"})
    assert "content-encoding" not in r.headers and body.decode() == SCRIPT

    # A client route gets index.html, compressed too, and revalidated on every visit.
    r, body = await _raw(built, "/cycles/3/results", **{"accept-encoding": "br"})
    assert r.headers["content-encoding"] == "br" and body == b"BROTLI:index.html"
    assert r.headers["cache-control"] == "no-cache" and r.headers["content-type"].startswith("text/html")


async def test_a_page_the_client_has_is_answered_304(built: object) -> None:
    first, _ = await _raw(built, "/", **{"accept-encoding": "gzip"})
    etag = first.headers["etag"]
    again, body = await _raw(built, "/", **{"accept-encoding": "gzip", "if-none-match": etag})
    assert again.status_code == 304 and body == b"" and again.headers["etag"] == etag
    other, _ = await _raw(built, "/", **{"accept-encoding": "identity", "if-none-match": etag})
    assert other.status_code == 200  # another encoding is another representation


def test_accept_encoding_is_read_with_its_weights() -> None:
    assert accepted_encodings("gzip, deflate, br, zstd") >= {"gzip", "br"}
    assert accepted_encodings("br;q=0, gzip;q=0.5") == {"gzip"}
    assert accepted_encodings("*") >= {"br", "gzip"}
    assert accepted_encodings("*, br;q=0") == {"*", "gzip"}
    assert accepted_encodings("gzip;q=x") == set() and accepted_encodings(None) == set()


async def test_large_json_reads_are_gzipped_and_small_ones_and_writes_are_not(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = auth_headers(await get_user(session, "admin"))
    big = await client.get("/api/v1/orgs?limit=200", headers={**admin, "Accept-Encoding": "gzip"})
    assert big.status_code == 200 and big.headers["content-encoding"] == "gzip"
    assert len(big.json()["items"]) == 200  # httpx decodes it
    small = await client.get("/api/v1/health", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers
    plain = await client.get("/api/v1/orgs?limit=200", headers={**admin, "Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.json() == big.json()
    # A write's answer is never compressed, however large (a 422 naming 200 bad fields here).
    wrote = await client.post("/api/v1/orgs", json={"name": "x" * 5000}, headers={**admin, "Accept-Encoding": "gzip"})
    assert wrote.status_code == 422 and "content-encoding" not in wrote.headers


async def test_an_event_stream_is_never_compressed_nor_held_back() -> None:
    """The stream's headers and each event go out as they come, uncompressed."""
    from starlette.types import Message, Receive, Scope, Send

    from shuping.app.compression import CompressLargeReads

    async def stream(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/event-stream")]})
        await send({"type": "http.response.body", "body": b"data: x\n\n" * 500, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    sent: list[Message] = []

    async def record(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/api/v1/meetings/1/events",
        "headers": [(b"accept-encoding", b"gzip")],
    }
    await CompressLargeReads(stream)(scope, receive, record)
    assert sent[0]["type"] == "http.response.start"
    assert b"content-encoding" not in dict(sent[0]["headers"])
    assert sent[1]["body"].startswith(b"data: x")
