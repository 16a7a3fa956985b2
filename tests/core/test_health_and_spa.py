"""Health, OpenAPI and docs, and the SPA fallback that never swallows /api."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from shuping.config import get_settings
from shuping.main import create_app


async def test_health(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/v1/health")
    assert r.json() == {"status": "ok", "database": "ok"}


async def test_health_reports_an_unreachable_database(monkeypatch: pytest.MonkeyPatch) -> None:
    from shuping.app import health
    from shuping.db import Database

    broken = Database()
    broken._engine = __import__("shuping.db", fromlist=["make_engine"]).make_engine(
        "sqlite+aiosqlite:////nonexistent-dir/x/y.db"
    )
    monkeypatch.setattr(health, "database", broken)
    app = create_app()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as c:
        r = await c.get("/api/v1/health")
    await broken.dispose()
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_openapi_and_docs(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/api/v1/openapi.json")).json()
    ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert "auth-token" in ids and "orgs-list-orgs" in ids
    assert all(i.count("-") >= 1 for i in ids)
    assert len(ids) == len(set(ids))
    docs = await client.get("/api/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.text.lower()


@pytest.fixture
def spa_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<html>shuping spa</html>", encoding="utf-8")
    (tmp_path / "vote.html").write_text("<html>ballot page</html>", encoding="utf-8")
    (tmp_path / "assets" / "app.js").write_text("console.log(1)", encoding="utf-8")
    monkeypatch.setattr(get_settings(), "static_dir", tmp_path)
    return create_app()


async def test_spa_serves_files_and_falls_back_to_index(spa_app: object) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=spa_app), base_url="http://t") as c:  # type: ignore[arg-type]
        root = await c.get("/")
        assert root.status_code == 200 and "shuping spa" in root.text
        deep = await c.get("/orgs/12/edit")
        assert deep.status_code == 200 and "shuping spa" in deep.text
        vote = await c.get("/vote/abcDEF123")
        assert "ballot page" in vote.text
        named = await c.get("/vote/meeting/3")
        assert "ballot page" in named.text
        asset = await c.get("/assets/app.js")
        assert asset.text == "console.log(1)"
        assert "immutable" in asset.headers["cache-control"]
        missing_asset = await c.get("/assets/missing.js")
        assert missing_asset.status_code == 404
        api = await c.get("/api/v1/definitely-not")
        assert api.status_code == 404
        assert api.headers["content-type"].startswith("application/problem+json")
        escape = await c.get("/..%2f..%2fetc/passwd")
        assert "root:" not in escape.text


def test_ballot_codes_never_reach_the_access_log() -> None:
    import logging

    from shuping.app.access_log import RedactBallotCodes

    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/vote/Zx9-secretCODE_1", "1.1", 200),
        None,
    )
    RedactBallotCodes().filter(record)
    assert "secretCODE" not in record.getMessage()
    assert "/vote/…" in record.getMessage()
