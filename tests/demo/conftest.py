"""The demo database the tests of this package read: loaded once, as `make run` loads it, and twice (the
second load adds nothing)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.db import make_engine
from tests.support.databases import create_database, drop_database, plan_database
from tests.support.servers import prepare

T = TypeVar("T")


@pytest.fixture(scope="session")
def demo_url(base_database_url: str | None) -> Iterator[str]:
    url = plan_database(base_database_url, "demo")
    create_database(url)
    try:
        prepare(url)
        prepare(url)  # loading twice adds nothing
        yield url
    finally:
        drop_database(url)


def query(url: str, fn: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `fn(session)` on the demo database and return what it returns."""

    async def run() -> T:
        engine = make_engine(url)
        async with AsyncSession(engine) as s:
            out = await fn(s)
        await engine.dispose()
        return out

    return asyncio.run(run())
