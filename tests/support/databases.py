"""Create and drop throwaway test databases (SQLite files or PostgreSQL databases), and serve the
app on one test connection."""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

_TMP = Path(tempfile.mkdtemp(prefix="shuping-test-"))


def plan_database(base_url: str | None, label: str = "t") -> str:
    """Return the URL of a new, not yet created, database next to base_url."""
    name = f"shuping_test_{label}_{uuid.uuid4().hex[:10]}"
    if not base_url or base_url.startswith("sqlite"):
        return f"sqlite+aiosqlite:///{_TMP / name}.db"
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


def _admin_dsn(url: str) -> tuple[str, str]:
    u = make_url(url)
    dsn = u.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    return dsn, str(u.database)


async def _pg(url: str, statement: str) -> None:
    import asyncpg

    dsn, _ = _admin_dsn(url)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def create_database(url: str) -> None:
    if url.startswith("postgresql"):
        _, name = _admin_dsn(url)
        asyncio.run(_pg(url, f'CREATE DATABASE "{name}"'))


def drop_database(url: str) -> None:
    """Drop a database this suite created (never any other)."""
    if url.startswith("postgresql"):
        _, name = _admin_dsn(url)
        assert name.startswith("shuping_test_")
        asyncio.run(_pg(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        path = Path(url.split(":///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)


@contextmanager
def app_on(conn: AsyncConnection) -> Iterator[None]:
    """Serve the app's requests, the ballot writer's stores and the ballot intake's meeting settings
    on one test connection, so a rollback of its transaction takes back whatever they wrote."""
    from shuping.core.dependencies import get_session, request_transaction
    from shuping.db import database
    from shuping.main import app
    from shuping.meetings import voters

    def sessions() -> AsyncSession:
        return AsyncSession(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)

    async def override() -> AsyncIterator[AsyncSession]:
        # A fresh session per request, as in production, on the test's connection: the request's
        # rollback then never expires the objects the test holds.
        async with sessions() as rs, request_transaction(rs):
            yield rs

    app.dependency_overrides[get_session] = override
    database.write_sessions = sessions
    default_setting_sessions = voters.settings.sessions
    voters.settings.sessions = sessions
    try:
        yield
    finally:
        app.dependency_overrides.pop(get_session, None)
        database.write_sessions = None
        voters.settings.sessions = default_setting_sessions
        # Rolled-back meetings and tokens leave their ids free for the next test.
        voters.settings.clear()
        voters.token_refs.clear()
