"""The pull client against a fake Sunshine export on 127.0.0.1: paging, cursor, failures logged."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.config import get_settings
from shuping.petitions import sync
from shuping.petitions.models import PetitionCase
from tests.petitions.support import sunshine_case
from tests.support.builders import auth_headers, get_user
from tests.support.databases import create_database, drop_database, plan_database
from tests.support.servers import free_port, prepare, running_server


class FakeExport:
    """Serves `cases` changed at or after updated_since, `page_size` at a time; can be told to fail."""

    def __init__(self) -> None:
        self.cases: list[dict[str, Any]] = []
        self.page_size = 2
        self.fail_with: int | None = None
        self.fail_on_page: int | None = None
        self.requests: list[dict[str, list[str]]] = []
        self.token: str | None = None


@contextmanager
def fake_export() -> Iterator[tuple[str, FakeExport]]:
    state = FakeExport()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            query = parse_qs(urlparse(self.path).query)
            state.requests.append({**query, "auth": [self.headers.get("Authorization", "")]})
            page = int(query.get("cursor", ["0"])[0])
            if state.fail_with and (state.fail_on_page is None or state.fail_on_page == page):
                self.send_response(state.fail_with)
                self.end_headers()
                self.wfile.write(b"boom")
                return
            since = query.get("updated_since", [None])[0]
            changed = sorted(
                (c for c in state.cases if since is None or c["updated_at"] >= since), key=lambda c: c["updated_at"]
            )
            chunk = changed[page * state.page_size : (page + 1) * state.page_size]
            more = (page + 1) * state.page_size < len(changed)
            body = json.dumps({"cases": chunk, "next_cursor": str(page + 1) if more else None}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/export/cases", state
    finally:
        server.shutdown()
        server.server_close()


def _at(minute: int) -> str:
    return f"2026-03-01T10:{minute:02d}:00+00:00"


async def test_pull_pages_and_resumes_from_the_cursor(session: AsyncSession, monkeypatch: pytest.MonkeyPatch) -> None:
    with fake_export() as (url, export):
        monkeypatch.setattr(get_settings(), "sunshine_export_url", url)
        monkeypatch.setattr(get_settings(), "sunshine_export_token", "export-token")
        export.cases = [sunshine_case(updated_at=_at(i)) for i in range(5)]
        run = await sync.pull(session)
        assert (run.kind, run.status, run.received, run.created, run.failed) == ("pull", "ok", 5, 5, 0)
        assert run.updated_since is None and run.cursor is not None and run.cursor.minute == 4
        assert run.lag_seconds is not None and run.lag_seconds > 0
        assert len(export.requests) == 3  # 2 + 2 + 1
        assert export.requests[0]["auth"] == ["Bearer export-token"]

        export.requests.clear()
        export.cases[1] = {**export.cases[1], "status": "in_progress", "updated_at": _at(10)}
        export.cases.append(sunshine_case(updated_at=_at(11), org_code="nowhere"))
        run = await sync.pull(session)
        assert export.requests[0]["updated_since"] == ["2026-03-01T10:04:00+00:00"]
        # The case at the cursor is seen again (unchanged), the changed one updated, the bad one failed.
        assert (run.received, run.created, run.updated, run.unchanged, run.failed) == (3, 0, 1, 1, 1)
        assert run.status == "partial" and run.errors[0]["external_id"] == export.cases[-1]["external_id"]
        case = (
            await session.execute(
                select(PetitionCase).where(PetitionCase.external_id == export.cases[1]["external_id"])
            )
        ).scalar_one()
        assert case.status == "in_progress"


async def test_failures_are_logged_and_the_cursor_kept(session: AsyncSession, monkeypatch: pytest.MonkeyPatch) -> None:
    with fake_export() as (url, export):
        monkeypatch.setattr(get_settings(), "sunshine_export_url", url)
        export.cases = [sunshine_case(updated_at=_at(i)) for i in range(3)]
        first = await sync.pull(session)
        export.cases.append(sunshine_case(updated_at=_at(30)))
        export.cases.append(sunshine_case(updated_at=_at(31)))
        export.cases.append(sunshine_case(updated_at=_at(32)))
        export.fail_with, export.fail_on_page = 502, 1
        failed = await sync.pull(session)
        assert failed.status == "failed" and "502" in (failed.error or "")
        assert failed.cursor == first.cursor  # not advanced: the next pull repeats the window
        assert failed.created == 1  # the first page (10:02 again, 10:30) was applied, idempotently
        export.fail_with = None
        again = await sync.pull(session)
        assert again.status == "ok" and again.updated_since == first.cursor
        assert (again.created, again.unchanged) == (2, 2)

    # Nothing listening any more: a connection error is logged too.
    failed = await sync.pull(session)
    assert failed.status == "failed" and "ConnectError" in (failed.error or "")


async def test_a_pulled_change_dated_in_the_future_is_refused_alone(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    with fake_export() as (url, export):
        monkeypatch.setattr(get_settings(), "sunshine_export_url", url)
        export.cases = [sunshine_case(updated_at=_at(i)) for i in range(2)]
        await sync.pull(session)
        future = {**export.cases[0], "status": "resolved", "updated_at": "2099-01-01T00:00:00+00:00"}
        export.cases = [future, export.cases[1], sunshine_case(updated_at=_at(5))]
        run = await sync.pull(session)
        assert (run.status, run.failed, run.created, run.unchanged) == ("partial", 1, 1, 1)
        assert run.errors[0]["external_id"] == future["external_id"] and "updated_at" in run.errors[0]["error"]
        assert run.cursor is not None and run.cursor.year == 2026 and run.cursor.minute == 5
        case = (
            await session.execute(
                select(PetitionCase)
                .where(PetitionCase.external_id == future["external_id"])
                .execution_options(populate_existing=True)
            )
        ).scalar_one()
        assert case.status == "accepted"
        assert case.external_updated_at is not None and case.external_updated_at.year == 2026

        # The case's real next change still applies.
        export.cases = [{**future, "status": "in_progress", "updated_at": _at(20)}]
        run = await sync.pull(session)
        assert (run.status, run.updated) == ("ok", 1)


async def test_malformed_export_answers_fail_the_run(session: AsyncSession, monkeypatch: pytest.MonkeyPatch) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"items": []})

    monkeypatch.setattr(get_settings(), "sunshine_export_url", "http://127.0.0.1:9/export")
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        run = await sync.pull(session, client=client)
    assert run.status == "failed" and "cases" in (run.error or "")


async def test_pull_endpoint_and_sync_log(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = auth_headers(await get_user(session, "admin"))
    monkeypatch.setattr(get_settings(), "sunshine_export_url", None)
    assert (await client.post("/api/v1/petitions/sync/pull", headers=admin)).status_code == 409
    with fake_export() as (url, export):
        monkeypatch.setattr(get_settings(), "sunshine_export_url", url)
        export.cases = [sunshine_case(updated_at=_at(1))]
        r = await client.post("/api/v1/petitions/sync/pull", headers=admin)
        assert r.status_code == 200 and r.json()["created"] == 1 and r.json()["status"] == "ok"
    runs = (await client.get("/api/v1/petitions/sync/runs", params={"kind": "pull"}, headers=admin)).json()
    assert runs["items"][0]["id"] == r.json()["id"]
    clerk = auth_headers(await get_user(session, "clerk"))
    assert (await client.get("/api/v1/petitions/sync/runs", headers=clerk)).status_code == 200
    assert (await client.post("/api/v1/petitions/sync/pull", headers=clerk)).status_code == 403


def test_the_schedule_pulls_in_the_background(base_database_url: str | None) -> None:
    url = plan_database(base_database_url, "pull")
    create_database(url)
    try:
        prepare(url)
        with fake_export() as (export_url, export):
            export.cases = [sunshine_case(updated_at=_at(i)) for i in range(3)]
            env = {"SHUPING_SUNSHINE_EXPORT_URL": export_url, "SHUPING_SUNSHINE_SYNC_INTERVAL_SECONDS": "1"}
            with running_server(url, extra_env=env) as base:
                token = httpx.post(
                    f"{base}/api/v1/auth/token", data={"username": "admin", "password": "shuping-demo"}
                ).json()["access_token"]
                headers = {"Authorization": f"Bearer {token}"}
                deadline = time.monotonic() + 20
                runs: list[dict[str, Any]] = []
                while time.monotonic() < deadline:
                    runs = httpx.get(f"{base}/api/v1/petitions/sync/runs", headers=headers).json()["items"]
                    if len(runs) >= 2:
                        break
                    time.sleep(0.3)
                assert len(runs) >= 2, runs
                assert runs[-1]["created"] == 3 and all(r["kind"] == "pull" for r in runs)
                assert runs[0]["created"] == 0
    finally:
        drop_database(url)
