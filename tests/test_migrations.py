"""Migrations: upgrade, downgrade, upgrade again, and no drift from the models."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from shuping.cli import alembic_config
from shuping.db import make_engine
from shuping.models import Base
from tests.support.databases import create_database, drop_database, plan_database


def _inspect(url: str) -> tuple[list[str], list[object]]:
    def work(conn: Connection) -> tuple[list[str], list[object]]:
        tables = sorted(inspect(conn).get_table_names())
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return tables, list(compare_metadata(ctx, Base.metadata))

    async def run() -> tuple[list[str], list[object]]:
        engine = make_engine(url)
        async with engine.connect() as conn:
            result = await conn.run_sync(work)
        await engine.dispose()
        return result

    return asyncio.run(run())


def test_upgrade_downgrade_upgrade_without_drift(base_database_url: str | None) -> None:
    url = plan_database(base_database_url, "mig")
    create_database(url)
    try:
        cfg = alembic_config(url)
        command.upgrade(cfg, "head")
        tables, diff = _inspect(url)
        assert set(Base.metadata.tables) <= set(tables)
        assert diff == [], f"models and migrations have drifted: {diff}"

        command.downgrade(cfg, "base")
        tables, _ = _inspect(url)
        assert tables == ["alembic_version"]

        command.upgrade(cfg, "head")
        tables, diff = _inspect(url)
        assert set(Base.metadata.tables) <= set(tables)
        assert diff == []
    finally:
        drop_database(url)
