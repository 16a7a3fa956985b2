"""Pull changes from the Sunshine system's export endpoint, on demand and on a schedule.

The export answers ``GET <SHUPING_SUNSHINE_EXPORT_URL>?updated_since=<ISO 8601>[&cursor=<token>]`` with
``{"cases": [<case as pushed>], "next_cursor": <token or null>}``; pages follow ``next_cursor``
until it is null. With ``SHUPING_SUNSHINE_EXPORT_TOKEN`` set, requests carry it as a bearer token.
The next pull asks for changes since the newest ``updated_at`` the last successful pull saw
(inclusive, so nothing at that instant is missed; a repeat is simply ``unchanged``).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import User
from shuping.config import Settings, get_settings
from shuping.core.i18n import N_
from shuping.db import database, utcnow
from shuping.petitions import service, sunshine
from shuping.petitions.errors import IntegrationNotConfigured
from shuping.petitions.models import DEFAULT_SOURCE, SOURCE_NAMES, SyncKind, SyncRun, SyncStatus, Via
from shuping.petitions.schemas import CaseResult

log = logging.getLogger("shuping.petitions.sync")
MAX_PAGES = 10_000


class ExportError(Exception):
    """The export answered something we cannot use."""


async def last_cursor(session: AsyncSession, source: str = DEFAULT_SOURCE) -> datetime | None:
    """Where the last successful pull got to."""
    return await session.scalar(
        select(SyncRun.cursor)
        .where(
            SyncRun.source == source,
            SyncRun.kind == SyncKind.pull,
            SyncRun.status.in_([SyncStatus.ok, SyncStatus.partial]),
            SyncRun.cursor.is_not(None),
        )
        .order_by(SyncRun.cursor.desc())
        .limit(1)
    )


def _page(data: Any) -> tuple[list[object], str | None]:
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise ExportError('the export must answer {"cases": [...], "next_cursor": ...}')
    token = data.get("next_cursor")
    if token is not None and not isinstance(token, str | int):
        raise ExportError("next_cursor must be a string or null")
    return data["cases"], None if token is None or token == "" else str(token)


async def pull(
    session: AsyncSession,
    *,
    settings: Settings | None = None,
    client: httpx.AsyncClient | None = None,
    actor: User | None = None,
    source: str = DEFAULT_SOURCE,
) -> SyncRun:
    """Fetch and apply every change since the last pull; log the run, failures included."""
    settings = settings or get_settings()
    url = settings.sunshine_export_url
    if not url:
        raise IntegrationNotConfigured(N_("Set SHUPING_SUNSHINE_EXPORT_URL to pull from the Sunshine system"))
    since = await last_cursor(session, source)
    run = SyncRun(
        source=source,
        kind=SyncKind.pull,
        status=SyncStatus.running,
        updated_since=since,
        cursor=since,
        actor_id=actor.id if actor else None,
        errors=[],
    )
    session.add(run)
    await session.flush()

    who = service.Who(actor, Via.pull, actor.full_name if actor else SOURCE_NAMES.get(source, source))
    orgs = sunshine.OrgLookup(session)
    headers = {"Accept": "application/json"}
    if settings.sunshine_export_token:
        headers["Authorization"] = f"Bearer {settings.sunshine_export_token}"
    own_client = client is None
    http = client or httpx.AsyncClient(timeout=settings.sunshine_sync_timeout_seconds)
    newest: datetime | None = None
    results: list[CaseResult] = []
    try:
        token: str | None = None
        for _ in range(MAX_PAGES):
            params: dict[str, str] = {}
            if since is not None:
                params["updated_since"] = since.isoformat()
            if token is not None:
                params["cursor"] = token
            response = await http.get(url, params=params, headers=headers)
            response.raise_for_status()
            cases, token = _page(response.json())
            for raw in cases:
                result, updated_at = await sunshine.apply_one(session, raw, source=source, who=who, orgs=orgs)
                results.append(result)
                if updated_at is not None and result.result != "error":
                    newest = updated_at if newest is None else max(newest, updated_at)
            if token is None:
                break
        else:
            raise ExportError(f"more than {MAX_PAGES} pages; stopped")
    except (httpx.HTTPError, ExportError, ValueError) as exc:
        # Keep what was applied (every step is idempotent) but not the cursor: the next pull repeats.
        run.status = SyncStatus.failed
        run.error = f"{exc.__class__.__name__}: {exc}"[:2000]
        log.warning("sunshine pull failed: %s", run.error)
    else:
        run.cursor = max(d for d in (since, newest) if d is not None) if (since or newest) else None
    finally:
        if own_client:
            await http.aclose()
    sunshine.count_results(run, results)
    if run.status == SyncStatus.running:
        run.status = SyncStatus.ok if run.failed == 0 else SyncStatus.partial
    run.finished_at = utcnow()
    run.lag_seconds = sunshine.lag_seconds(newest, run.finished_at)
    run.errors = [r.model_dump() for r in results if r.result == "error"][:200]
    await session.flush()
    sunshine.count_in_metrics(session, run, results)
    return run


async def scheduled_pull() -> None:
    """One scheduled pull, committed on its own (`app/lifespan` runs it every interval, once across
    the fleet)."""
    async with database.session() as session:
        await pull(session, settings=get_settings())
        await session.commit()
