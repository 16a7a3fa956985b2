"""The liveness check, which also asks the database."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from sqlalchemy import text

from shuping.core.errors import ServiceUnavailable
from shuping.core.i18n import N_
from shuping.core.responses import problems
from shuping.core.schemas import Schema
from shuping.db import database

log = logging.getLogger("shuping")


class Health(Schema):
    status: str
    database: str


router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Liveness and database check", responses=problems(503))
async def health() -> Health:
    try:
        async with database.session(read_only=True) as session:
            await session.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("health check: database unreachable: %s", exc)
        raise ServiceUnavailable(N_("The database is unreachable")) from exc
    return Health(status="ok", database="ok")
