"""Request-scoped plumbing shared by every router: the database session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.core.errors import AppError
from shuping.db import database

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@asynccontextmanager
async def request_transaction(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """Commit when the handler succeeds, else roll back (an AppError may ask to keep its writes)."""
    try:
        yield session
    except AppError as exc:
        if exc.keep_changes:
            await session.commit()
        else:
            await session.rollback()
        raise
    except BaseException:
        await session.rollback()
        raise
    else:
        await session.commit()


def read_only_request(request: Request) -> None:
    """Mark a request whose own session only reads because a writer task does its writes.

    On SQLite such a request must not hold the write lock that the writer needs.
    """
    request.state.read_only_session = True


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request."""
    read_only = request.method in _READ_METHODS or getattr(request.state, "read_only_session", False)
    async with database.session(read_only=read_only) as session, request_transaction(session):
        yield session


# scope="function": commit before the response is sent, so a 2xx always means stored.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
