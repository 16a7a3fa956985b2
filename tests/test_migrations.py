"""Migrations: upgrade, downgrade, upgrade again, and no drift from the models."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

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


def test_result_items_move_between_the_document_and_the_ranking_rows(base_database_url: str | None) -> None:
    """Results computed before items were stored per row (the demo's published ranking) keep every item,
    their order and their hash through downgrade and upgrade."""
    url = plan_database(base_database_url, "migitems")
    create_database(url)
    try:
        prepare(url)

        def read(sql: str) -> list[tuple[object, ...]]:
            async def run() -> list[tuple[object, ...]]:
                engine = make_engine(url)
                async with engine.connect() as conn:
                    out = [tuple(row) for row in await conn.execute(text(sql))]
                await engine.dispose()
                return out

            return asyncio.run(run())

        def as_json(value: object) -> Any:
            return json.loads(value) if isinstance(value, str) else value

        rows_sql = "SELECT cycle_id, position, item FROM result_entry ORDER BY cycle_id, position"
        sets_sql = "SELECT cycle_id, document, hash FROM result_set ORDER BY cycle_id"
        rows, sets = read(rows_sql), read(sets_sql)
        assert rows and sets
        cfg = alembic_config(url)
        command.downgrade(cfg, "3b9e51c7a2d4")
        for cycle_id, document, digest in read(sets_sql):
            items = as_json(document)["items"]
            assert [json.loads(str(i)) for c, _, i in rows if c == cycle_id] == items
            canonical = json.dumps(as_json(document), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            assert hashlib.sha256(canonical.encode()).hexdigest() == digest
        command.upgrade(cfg, "head")
        assert read(rows_sql) == rows
        assert [(c, as_json(d), h) for c, d, h in read(sets_sql)] == [(c, as_json(d), h) for c, d, h in sets]
    finally:
        drop_database(url)


def test_petition_measure_dates_are_derived_for_cases_stored_before_them(base_database_url: str | None) -> None:
    """The migration that added the dates the petition measures are judged by derives them from what is
    stored: drop them under the demo's cases (all never reopened) and add them back unchanged."""
    url = plan_database(base_database_url, "migmeasures")
    create_database(url)
    try:
        prepare(url)

        def dates() -> list[tuple[object, ...]]:
            async def run() -> list[tuple[object, ...]]:
                engine = make_engine(url)
                async with engine.connect() as conn:
                    sql = "SELECT external_id, accepted_date, handled_date, closed_date FROM petition_case ORDER BY id"
                    out = [tuple(row) for row in await conn.execute(text(sql))]
                await engine.dispose()
                return out

            return asyncio.run(run())

        before = dates()
        assert before and all(a is not None for _, a, _, _ in before)
        assert any(c is not None for *_, c in before) and any(h is None for _, _, h, _ in before)
        cfg = alembic_config(url)
        command.downgrade(cfg, "5c1f7a9e3b24")
        command.upgrade(cfg, "head")
        assert dates() == before
    finally:
        drop_database(url)
