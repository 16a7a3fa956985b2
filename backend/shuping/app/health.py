"""Liveness (GET /health, which also asks the database) and readiness (GET /ready: the database, and
Redis when SHUPING_REDIS_URL is set)."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter
from sqlalchemy import text

from shuping.config import get_settings
from shuping.core.errors import ServiceUnavailable
from shuping.core.i18n import N_
from shuping.core.responses import problems
from shuping.core.schemas import Schema
from shuping.db import database

log = logging.getLogger("shuping")
READY_TIMEOUT_SECONDS = 3.0
OK, DOWN, NOT_CONFIGURED = "ok", "unreachable", "not configured"


class Health(Schema):
    status: str
    database: str


class Ready(Schema):
    status: str
    database: str
    redis: str


router = APIRouter(tags=["health"])


async def _database_reachable() -> bool:
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS), database.session(read_only=True) as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("health check: database unreachable: %s", exc)
        return False
    return True


async def _redis_reachable(url: str) -> bool:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=READY_TIMEOUT_SECONDS, socket_timeout=READY_TIMEOUT_SECONDS)
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            await client.ping()
    except Exception as exc:
        log.warning("readiness check: Redis unreachable: %s", exc)
        return False
    finally:
        await client.aclose()
    return True


@router.get("/health", response_model=Health, summary="Liveness and database check", responses=problems(503))
async def health() -> Health:
    if not await _database_reachable():
        raise ServiceUnavailable(N_("The database is unreachable"))
    return Health(status="ok", database="ok")


@router.get(
    "/ready",
    response_model=Ready,
    summary="Readiness: the database, and Redis when one is configured, reachable",
    responses=problems(503),
)
async def ready() -> Ready:
    url = get_settings().redis_url
    db_ok, redis_ok = await asyncio.gather(
        _database_reachable(), _redis_reachable(url) if url else asyncio.sleep(0, result=True)
    )
    checks = Ready(
        status=OK if db_ok and redis_ok else DOWN,
        database=OK if db_ok else DOWN,
        redis=(OK if redis_ok else DOWN) if url else NOT_CONFIGURED,
    )
    down = {"checks": checks.model_dump(exclude={"status"})}
    if not db_ok and not redis_ok:
        raise ServiceUnavailable(N_("Not ready: the database and Redis are unreachable"), extra=down)
    if not db_ok:
        raise ServiceUnavailable(N_("Not ready: the database is unreachable"), extra=down)
    if not redis_ok:
        raise ServiceUnavailable(N_("Not ready: Redis is unreachable"), extra=down)
    return checks
