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


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request."""
    async with database.session(read_only=request.method in _READ_METHODS) as session, request_transaction(session):
        yield session


# scope="function": commit before the response is sent, so a 2xx always means stored.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
