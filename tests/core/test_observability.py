"""Metrics (/metrics), readiness (/ready) and the logs: route templates only, never an id or a ballot code."""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from collections.abc import AsyncGenerator, Iterator
from logging.handlers import TimedRotatingFileHandler
from pathlib import Path
from typing import cast

import httpx
import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.config import Mode, Settings, get_settings
from shuping.core import logs
from shuping.db import database
from shuping.live import service as live
from shuping.live.stream import event_stream
from shuping.main import create_app
from shuping.petitions import sync
from tests.meetings.test_meetings import Hall, hall  # noqa: F401  (fixture)
from tests.meetings.test_paper import _second_clerk, sheet
from tests.support.builders import auth_headers, get_user
from tests.support.evaluation import make_evaluation_cycle, started_meeting
from tests.support.languages import CHINESE, ENGLISH

REDIS_URL = os.environ.get("SHUPING_TEST_REDIS_URL")
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
GOOD = {"duty": 28, "overall": "good"}
BALLOTS_ROUTE = "/api/v1/meetings/{meeting_id}/ballots"
PRODUCTION = {"mode": Mode.production, "secret_key": "p" * 40}


def _value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def _exposition(client: httpx.AsyncClient) -> str:
    r = await client.get("/metrics")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    return r.text


def _label_values(text: str) -> set[str]:
    return {v for family in text_string_to_metric_families(text) for s in family.samples for v in s.labels.values()}


def _client(app: object, **headers: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=("198.51.100.4", 51000))  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://test", headers={**ENGLISH, **headers})


# ---------------------------------------------------------------- /metrics


async def test_requests_are_counted_and_timed_by_route_template(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    admin = auth_headers(await get_user(session, "admin"))
    for _ in range(3):
        assert (await client.get("/api/v1/health")).status_code == 200
    assert (await client.get("/api/v1/cycles/987654", headers=admin)).status_code == 404
    assert (await client.get("/api/v1/no-such-thing/42")).status_code == 404
    text = await _exposition(client)
    assert _value("shuping_http_requests_total", route="/api/v1/health", method="GET", status="200") >= 3
    assert _value("shuping_http_requests_total", route="/api/v1/cycles/{cycle_id}", method="GET", status="404") >= 1
    assert _value("shuping_http_requests_total", route="(no route)", method="GET", status="404") >= 1
    assert 'shuping_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/v1/health"}' in text
    assert _value("shuping_http_request_duration_seconds_count", route="/api/v1/health", method="GET") >= 3
    values = _label_values(text)
    assert "/api/v1/health" in values
    assert not any("987654" in v or "/42" in v or ":int" in v for v in values)


async def test_ballots_are_counted_by_source_and_no_code_or_id_reaches_the_metrics(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ev = await make_evaluation_cycle(session)
    admin = auth_headers(await get_user(session, "admin"))
    meeting = await started_meeting(client, ev, admin)
    mid, report = meeting["id"], ev.reports[0].id
    assert (
        await client.post(f"/api/v1/meetings/{mid}/reports/{report}/voting", json={"open": True}, headers=admin)
    ).status_code == 200
    r = await client.post(f"/api/v1/meetings/{mid}/tokens", json={"group_key": "deputies", "count": 2}, headers=admin)
    codes = r.json()["tokens"]
    online = _value("shuping_ballots_accepted_total", source="online")
    created = _value("shuping_http_requests_total", route=BALLOTS_ROUTE, method="POST", status="201")
    keys = [uuid.uuid4().hex for _ in codes]
    # The second code's ballot sent twice with one key: the retry is a replay, answered but not counted again.
    for code, key in [*zip(codes, keys, strict=True), (codes[1], keys[1])]:
        r = await client.post(
            f"/api/v1/meetings/{mid}/ballots",
            json={"report_id": report, "items": GOOD},
            headers={"X-Ballot-Token": code, "Idempotency-Key": key},
        )
        assert r.status_code == 201, r.text
    await client.get(f"/vote/{codes[0]}")
    text = await _exposition(client)
    assert _value("shuping_ballots_accepted_total", source="online") == online + 2
    assert _value("shuping_http_requests_total", route=BALLOTS_ROUTE, method="POST", status="201") == created + 3
    assert _value("shuping_ballot_writer_batch_ballots_count") >= 1
    assert "shuping_ballot_writer_queue_depth" in text
    for code in codes:
        assert code not in text
    values = _label_values(text)
    assert "(page or file)" in values  # the /vote/<code> page, by no path
    assert not any(f"/{mid}/" in v or v.startswith("/vote/") for v in values)


async def test_open_event_streams_are_counted() -> None:
    channel = f"test:{uuid.uuid4().hex[:12]}"
    before = _value("shuping_sse_clients")
    stream = cast(AsyncGenerator[str, None], event_stream(channel, last_event_id=0, heartbeat=0.2))
    assert (await anext(stream)).startswith("retry:")
    async with database.session() as s:
        await live.publish(s, channel, "tally", {"n": 1})
        await s.commit()
    assert (await anext(stream)).startswith("id: 1")
    assert _value("shuping_sse_clients") == before + 1
    await stream.aclose()
    assert _value("shuping_sse_clients") == before


async def test_a_sunshine_pull_is_counted_by_result_once_committed(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "sunshine_export_url", "http://127.0.0.1:9/export")
    before = _value("shuping_sunshine_sync_runs_total", kind="pull", result="failed")
    run = await sync.pull(session)
    assert run.status == "failed"
    assert _value("shuping_sunshine_sync_runs_total", kind="pull", result="failed") == before
    await session.commit()
    assert _value("shuping_sunshine_sync_runs_total", kind="pull", result="failed") == before + 1


async def test_metrics_behind_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "metrics_token", "scrape-" + "t" * 24)
    async with _client(create_app()) as c:
        anonymous = await c.get("/metrics")
        wrong = await c.get("/metrics", headers={"Authorization": "Bearer nope"})
        basic = await c.get("/metrics", headers={"Authorization": "Basic " + "t" * 24})
        right = await c.get("/metrics", headers={"Authorization": "Bearer scrape-" + "t" * 24})
        chinese = await c.get("/metrics", headers=CHINESE)
    for r in (anonymous, wrong, basic):
        assert r.status_code == 401
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "SHUPING_METRICS_TOKEN" in r.json()["detail"]
        assert "shuping_http_requests_total" not in r.text
    assert chinese.status_code == 401 and "令牌" in chinese.json()["detail"]
    assert right.status_code == 200 and "shuping_http_requests_total" in right.text


async def test_metrics_disabled_answer_not_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "metrics_enabled", False)
    async with _client(create_app()) as c:
        r = await c.get("/metrics")
        health = await c.get("/api/v1/health")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")
    assert "shuping_" not in r.text
    assert health.status_code == 200


def test_metrics_are_served_in_demo_and_dev_and_in_production_only_when_set() -> None:
    assert Settings(mode=Mode.demo).serve_metrics
    assert Settings(mode=Mode.dev).serve_metrics
    assert not Settings(**PRODUCTION).serve_metrics  # type: ignore[arg-type]
    assert Settings(**PRODUCTION, metrics_enabled=True).serve_metrics  # type: ignore[arg-type]
    assert not Settings(mode=Mode.demo, metrics_enabled=False).serve_metrics


# ---------------------------------------------------------------- /ready


async def test_ready_without_redis(client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "redis_url", None)
    r = await client.get("/api/v1/ready")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok", "redis": "not configured"}


async def test_ready_names_an_unreachable_redis(client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "redis_url", UNREACHABLE_REDIS)
    r = await client.get("/api/v1/ready")
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["detail"] == "Not ready: Redis is unreachable"
    assert body["checks"] == {"database": "ok", "redis": "unreachable"}
    zh = (await client.get("/api/v1/ready", headers=CHINESE)).json()
    assert "Redis" in zh["detail"] and "无法连接" in zh["detail"]
    # Liveness does not depend on Redis.
    assert (await client.get("/api/v1/health")).status_code == 200


@pytest.mark.skipif(not REDIS_URL, reason="SHUPING_TEST_REDIS_URL not set")
async def test_ready_with_redis_reachable(client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "redis_url", REDIS_URL)
    r = await client.get("/api/v1/ready")
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "ok", "database": "ok", "redis": "ok"}


async def test_ready_names_an_unreachable_database(monkeypatch: pytest.MonkeyPatch) -> None:
    from shuping.app import health
    from shuping.db import Database, make_engine

    broken = Database()
    broken._engine = make_engine("sqlite+aiosqlite:////nonexistent-dir/x/y.db")
    monkeypatch.setattr(health, "database", broken)
    monkeypatch.setattr(get_settings(), "redis_url", UNREACHABLE_REDIS)
    async with _client(create_app()) as c:
        both = await c.get("/api/v1/ready")
        monkeypatch.setattr(get_settings(), "redis_url", None)
        db_only = await c.get("/api/v1/ready", headers=CHINESE)
    await broken.dispose()
    assert both.status_code == 503 and both.json()["detail"] == "Not ready: the database and Redis are unreachable"
    assert both.json()["checks"] == {"database": "unreachable", "redis": "unreachable"}
    assert db_only.status_code == 503 and "数据库" in db_only.json()["detail"]
    assert db_only.json()["checks"] == {"database": "unreachable", "redis": "not configured"}


# ---------------------------------------------------------------- logs


@pytest.fixture
def json_logs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An app logging JSON lines to stderr and to a file; the defaults back afterwards."""
    file = tmp_path / "logs" / "shuping.log"
    monkeypatch.setattr(get_settings(), "log_format", "json")
    monkeypatch.setattr(get_settings(), "log_file", file)
    try:
        yield file
    finally:
        logs.configure(as_json=False, file=None, retention_days=190)


async def test_json_log_lines_carry_the_request_id_and_the_access_fields(json_logs: Path) -> None:
    app = create_app()
    handler = next(h for h in logging.getLogger().handlers if isinstance(h, TimedRotatingFileHandler))
    assert handler.when == "MIDNIGHT" and handler.utc and handler.backupCount == 190
    code = "Zx9secretCODE" + uuid.uuid4().hex[:8]
    async with _client(app) as c:
        health = await c.get("/api/v1/health", headers={"X-Request-ID": "trace-abc-123"})
        page = await c.get(f"/vote/{code}")
        ballot = await c.post(
            "/api/v1/meetings/1/ballots",
            json={"report_id": 1, "items": GOOD},
            headers={"X-Ballot-Token": code, "Idempotency-Key": uuid.uuid4().hex},
        )
    logging.getLogger("shuping").warning("a line of our own, outside any request")
    handler.flush()
    text = json_logs.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines and all({"time", "level", "logger", "message", "request_id"} <= set(line) for line in lines)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"]) for line in lines)
    access = [line for line in lines if line["logger"] == "shuping.access"]
    first = next(line for line in access if line["request_id"] == "trace-abc-123")
    assert first["route"] == "/api/v1/health" and first["method"] == "GET" and first["status"] == 200
    assert first["client"] == "198.51.100.4" and isinstance(first["duration_ms"], float)
    assert health.headers["X-Request-ID"] == "trace-abc-123"
    ids = {line["request_id"] for line in access}
    assert {page.headers["X-Request-ID"], ballot.headers["X-Request-ID"]} <= ids
    assert {line["route"] for line in access} >= {"(page or file)", BALLOTS_ROUTE}
    assert lines[-1]["message"] == "a line of our own, outside any request" and lines[-1]["request_id"] is None
    # Neither the page's path nor the ballot's header put the code in any line.
    assert "secretCODE" not in text


async def test_text_logs_stay_uvicorns_by_default() -> None:
    assert logs.configure(as_json=False, file=None, retention_days=190) is False
    assert not logging.getLogger("uvicorn.access").disabled
    assert not any(getattr(h, "_shuping_handler", False) for h in logging.getLogger().handlers)


def test_json_logs_by_default_in_production_only() -> None:
    assert Settings(**PRODUCTION).logs_as_json  # type: ignore[arg-type]
    assert not Settings(mode=Mode.demo).logs_as_json
    assert Settings(mode=Mode.dev, log_format="json").logs_as_json
    assert not Settings(**PRODUCTION, log_format="text").logs_as_json  # type: ignore[arg-type]


def test_log_retention_below_six_months_is_refused_in_production() -> None:
    with pytest.raises(ValidationError, match="SHUPING_LOG_RETENTION_DAYS must be at least 180"):
        Settings(**PRODUCTION, log_retention_days=179)  # type: ignore[arg-type]
    assert Settings(**PRODUCTION, log_retention_days=180).log_retention_days == 180  # type: ignore[arg-type]
    assert Settings(**PRODUCTION).log_retention_days == 190  # type: ignore[arg-type]
    assert Settings(mode=Mode.demo, log_retention_days=7).log_retention_days == 7
    with pytest.raises(ValidationError):
        Settings(mode=Mode.demo, log_retention_days=0)


async def test_paper_ballots_are_counted_as_paper_once_committed(hall: Hall, session: AsyncSession) -> None:  # noqa: F811
    clerk1 = auth_headers(await get_user(session, "clerk"))
    clerk2 = await _second_clerk(session)
    sheets = [sheet("M1", hall.report()), sheet("M2", hall.report())]
    assert (await hall.post("/paper-ballots", {"entry": 1, "sheets": sheets}, clerk1)).status_code < 300
    assert (await hall.post("/paper-ballots", {"entry": 2, "sheets": sheets}, clerk2)).status_code < 300
    paper, online = (
        _value("shuping_ballots_accepted_total", source="paper"),
        _value("shuping_ballots_accepted_total", source="online"),
    )
    r = await hall.post("/paper-ballots/commit", None, clerk1)
    assert r.status_code == 200 and r.json()["counted"] == 2
    assert _value("shuping_ballots_accepted_total", source="paper") == paper + 2
    assert _value("shuping_ballots_accepted_total", source="online") == online
    # Committing again counts nothing new.
    assert (await hall.post("/paper-ballots/commit", None, clerk1)).json()["counted"] == 0
    assert _value("shuping_ballots_accepted_total", source="paper") == paper + 2


def test_workers_sharing_a_log_file_lose_no_day_at_midnight(tmp_path: Path) -> None:
    file = tmp_path / "shuping.log"
    first, second = logs.DailyFile(file, 190), logs.DailyFile(file, 190)
    for handler in (first, second):
        handler.setFormatter(logging.Formatter("%(message)s"))

    def line(handler: logs.DailyFile, message: str) -> None:
        handler.emit(logging.makeLogRecord({"msg": message, "levelno": logging.INFO, "levelname": "INFO"}))

    line(first, "yesterday from the first worker")
    line(second, "yesterday from the second worker")
    midnight = int(time.time()) - 1
    for handler in (first, second):
        handler.rolloverAt = midnight  # as if midnight had just passed
    yesterday = time.strftime("%Y-%m-%d", time.gmtime(midnight - 86_400))
    line(first, "today from the first worker")  # renames the file
    line(second, "today from the second worker")  # finds it renamed: keeps it, opens the new one
    first.close()
    second.close()
    rotated = tmp_path / f"shuping.log.{yesterday}"
    assert rotated.read_text().splitlines() == ["yesterday from the first worker", "yesterday from the second worker"]
    assert file.read_text().splitlines() == ["today from the first worker", "today from the second worker"]
    assert first.backupCount == 190 and first.when == "MIDNIGHT" and first.utc
