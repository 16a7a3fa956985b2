"""Migrations: upgrade, downgrade, upgrade again, and no drift from the models."""

from __future__ import annotations

import asyncio

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from shuping.cli import alembic_config
from shuping.db import make_engine
from shuping.models import Base
from tests.support.databases import create_database, drop_database, plan_database
from tests.support.servers import prepare


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


def test_ballot_shape_facts_are_filled_in_for_ballots_cast_before_them(base_database_url: str | None) -> None:
    """The migration that added `straight` and `signature` derives them from the stored answers exactly
    as a new ballot gets them: drop the columns under the demo's ballots and add them back."""
    url = plan_database(base_database_url, "migfacts")
    create_database(url)
    try:
        prepare(url)

        def facts() -> list[tuple[str, bool, str]]:
            async def run() -> list[tuple[str, bool, str]]:
                engine = make_engine(url)
                async with engine.connect() as conn:
                    rows = await conn.execute(text("SELECT id, straight, signature FROM ballot ORDER BY id"))
                    out = [(i, bool(s), g) for i, s, g in rows]
                await engine.dispose()
                return out

            return asyncio.run(run())

        before = facts()
        assert before and all(g for _, _, g in before) and any(s for _, s, _ in before)
        cfg = alembic_config(url)
        command.downgrade(cfg, "f0ea6cd21b63")
        command.upgrade(cfg, "head")
        assert facts() == before
    finally:
        drop_database(url)
