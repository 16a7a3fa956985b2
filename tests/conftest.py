"""Test fixtures: one migrated demo database per run, one rolled-back transaction per test."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.support.databases import app_on, create_database, drop_database, plan_database
from tests.support.languages import ENGLISH

BASE_URL = os.environ.get("SHUPING_TEST_DATABASE_URL")
DB_URL = plan_database(BASE_URL, "main")
# Before any shuping import reads its settings.
os.environ["SHUPING_DATABASE_URL"] = DB_URL
os.environ.setdefault("SHUPING_MODE", "demo")

import httpx  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession  # noqa: E402

from shuping.auth.service import limits as auth_limits  # noqa: E402
from shuping.cli import migrate  # noqa: E402
from shuping.config import get_settings  # noqa: E402
from shuping.db import database  # noqa: E402
from shuping.demo.seed import load_demo  # noqa: E402
from shuping.main import app  # noqa: E402
from shuping.meetings import tally  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The contract run is by far the longest test and half of it waits on the network: run it first, so
    that under pytest-xdist (`make test-backend` runs one worker per core) the other files fill its gaps."""
    items.sort(key=lambda item: not item.nodeid.startswith("tests/test_contract.py"))


@pytest.fixture(scope="session")
def base_database_url() -> str | None:
    return BASE_URL


@pytest.fixture(scope="session", autouse=True)
def prepared_database() -> Iterator[str]:
    create_database(DB_URL)
    migrate(DB_URL)

    async def seed() -> None:
        async with database.session() as s:
            await load_demo(s, evaluation=False)
            await s.commit()
        await database.dispose()

    asyncio.run(seed())
    yield DB_URL
    drop_database(DB_URL)


@pytest.fixture
async def session(prepared_database: str) -> AsyncIterator[AsyncSession]:
    """A session inside a transaction that is rolled back after the test."""
    async with database.engine.connect() as conn:
        outer = await conn.begin()
        s = AsyncSession(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            with app_on(conn):
                yield s
        finally:
            await s.close()
            await outer.rollback()


@pytest.fixture
async def client(session: AsyncSession) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    # The tests read the English messages; tests/core/test_problem_languages.py reads the Chinese.
    async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=ENGLISH) as c:
        yield c


@pytest.fixture(autouse=True)
def _no_background_tally() -> Iterator[None]:
    # Tally events are written in their own transactions; in a rolled-back test they would
    # wait on the test's write lock. Tests of the live tally run a real server instead.
    tally.notifier.enabled = False
    yield
    tally.notifier.enabled = True


@pytest.fixture(autouse=True)
def _var_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Files the app keeps (attachments, error sheets) go to a fresh directory per test."""
    path = tmp_path_factory.mktemp("var")
    monkeypatch.setattr(get_settings(), "var_dir", path)
    return path


@pytest.fixture(autouse=True)
def _fresh_login_limits() -> Iterator[None]:
    auth_limits.clear()
    yield


@pytest.fixture(scope="session", autouse=True)
async def _dispose_engine() -> AsyncIterator[None]:
    yield
    await database.dispose()
