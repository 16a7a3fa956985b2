"""Create and drop throwaway test databases (SQLite files or PostgreSQL databases)."""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url

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
