"""Async engine, sessions and the declarative base."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import DateTime, MetaData, create_engine, event, make_url
from sqlalchemy.engine import URL, Engine
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.types import TypeDecorator

from shuping.config import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Connections of a read-only request start a deferred transaction, so readers never
# queue behind SQLite's single writer lock.
READ_ONLY_OPTION = "shuping_read_only"


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend (SQLite stores it naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        # The API speaks UTC: a naive value is taken as UTC.
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime()}  # noqa: RUF012  (read by SQLAlchemy, never mutated)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the driver: we emit BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows are overwritten, not left in free pages: closing a report rewrites its anonymous
        # ballots in a new order, and the old order must not stay readable in the file.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that reads then writes fails at once with "database is
        # locked"; IMMEDIATE makes concurrent writers wait for the busy timeout instead.
        if conn.get_execution_options().get(READ_ONLY_OPTION):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str | None = None, **kwargs: Any) -> AsyncEngine:
    url = url or get_settings().database_url
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"timeout": 10})
    else:
        kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    engine = create_async_engine(url, **kwargs)
    if url.startswith("sqlite"):
        _configure_sqlite(engine.sync_engine)
    return engine


T = TypeVar("T")


def make_sync_sqlite_engine(url: str | URL) -> Engine:
    """A plain sqlite3 engine of one connection on the same file, configured like the async ones."""
    engine = create_engine(
        make_url(url).set(drivername="sqlite+pysqlite"),
        connect_args={"timeout": 10, "check_same_thread": False},
        pool_size=1,
        max_overflow=0,
    )
    _configure_sqlite(engine)
    return engine


class Database:
    """The process's engine and session factory, created lazily."""

    def __init__(self) -> None:
        self._engine: AsyncEngine | None = None
        self._sessions: async_sessionmaker[AsyncSession] | None = None
        self._writer_engine: AsyncEngine | None = None
        self._read_only_bind: AsyncEngine | None = None
        self._sync_writer: tuple[Engine, ThreadPoolExecutor] | None = None
        # Tests point `write` at their own connection, so that what it writes rolls back with them.
        self.write_sessions: Callable[[], AsyncSession] | None = None

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            self._engine = make_engine()
        return self._engine

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        if self._sessions is None:
            self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        return self._sessions

    def session(self, *, read_only: bool = False) -> AsyncSession:
        if read_only and self.engine.dialect.name == "sqlite":
            if self._read_only_bind is None:
                self._read_only_bind = self.engine.execution_options(**{READ_ONLY_OPTION: True})
            return AsyncSession(bind=self._read_only_bind, expire_on_commit=False)
        return self.sessions()

    def writer_session(self) -> AsyncSession:
        """A session on the process's one dedicated writer connection (the ballot writer's),
        which never waits behind requests for a connection of the shared pool."""
        if self._writer_engine is None:
            self._writer_engine = make_engine(pool_size=1, max_overflow=0)
        return AsyncSession(bind=self._writer_engine, expire_on_commit=False)

    async def write(self, fn: Callable[[Session], T]) -> T:
        """Run `fn` in one transaction on the dedicated writer connection, then commit.

        On SQLite the whole transaction is one call into the writer's own thread on a plain
        sqlite3 connection: through aiosqlite each cursor, execute, fetch and close is a hand-off
        to its thread and back (dozens per transaction, most of a small transaction's cost).
        asyncpg needs no thread, so on PostgreSQL `fn` runs on the async writer connection.
        Either way, calls run one at a time: the tally events' spacing relies on it.
        """
        sessions = self.write_sessions
        if sessions is not None or self.engine.dialect.name != "sqlite":
            async with (sessions or self.writer_session)() as session:
                # Take the one writer connection before `fn` starts, so that calls of `fn` run one
                # after another, as they do in SQLite's single thread.
                await session.connection()
                result = await session.run_sync(fn)
                await session.commit()
                return result
        if self._sync_writer is None:
            # One thread, so the connection is only ever used from the thread that opened it.
            executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shuping-writer")
            self._sync_writer = (make_sync_sqlite_engine(self.engine.url), executor)
        engine, executor = self._sync_writer
        return await asyncio.get_running_loop().run_in_executor(executor, partial(_write_sync, engine, fn))

    async def truncate_wal(self) -> bool:
        """SQLite: move the -wal file's pages into the database and empty it, so that pages holding rows
        since rewritten (a closed report's ballots in their voting order) do not stay readable in it.
        Best effort: tried a few times over about three seconds while another connection still reads an
        older snapshot (a screen's tally, the writer), then given up (False)."""
        if self.engine.dialect.name != "sqlite" or self.write_sessions is not None:
            return False
        path = self.engine.url.database
        if not path or path == ":memory:":
            return False

        def checkpoint() -> bool:
            with contextlib.closing(sqlite3.connect(path, timeout=0.2, isolation_level=None)) as conn:
                busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                return bool(busy == 0)

        for attempt in range(6):
            try:
                if await asyncio.to_thread(checkpoint):
                    return True
            except sqlite3.Error:
                pass
            await asyncio.sleep(0.1 * 2**attempt / 2)
        return False

    async def dispose(self) -> None:
        for engine in (self._engine, self._writer_engine):
            if engine is not None:
                await engine.dispose()
        if self._sync_writer is not None:
            sync_engine, executor = self._sync_writer
            await asyncio.get_running_loop().run_in_executor(executor, sync_engine.dispose)
            executor.shutdown()
        self._engine = self._writer_engine = self._read_only_bind = self._sync_writer = None
        self._sessions = None


def _write_sync(engine: Engine, fn: Callable[[Session], T]) -> T:
    with Session(engine, expire_on_commit=False) as session:
        result = fn(session)
        session.commit()
        return result


database = Database()


async def session_scope() -> AsyncIterator[AsyncSession]:
    """Yield a session that commits once at the end, or rolls back on error."""
    async with database.session() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise
