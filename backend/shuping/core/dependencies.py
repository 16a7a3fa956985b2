"""Request-scoped plumbing shared by every router: the database session."""

from __future__ import annotations

import types
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.core.errors import AppError
from shuping.core.i18n import N_
from shuping.db import database

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _untouched(session: AsyncSession) -> bool:
    """Nothing begun and nothing pending: a request that never needed its session (cached answers)."""
    return not session.in_transaction() and not (session.new or session.deleted or session.dirty)


@asynccontextmanager
async def request_transaction(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """Commit when the handler succeeds, else roll back (an AppError may ask to keep its writes)."""
    try:
        yield session
    except AppError as exc:
        if _untouched(session):
            raise
        if exc.keep_changes:
            await session.commit()
        else:
            await session.rollback()
        raise
    except BaseException:
        if not _untouched(session):
            await session.rollback()
        raise
    else:
        if not _untouched(session):
            await session.commit()


_READ_ONLY = "_shuping_read_only_session"
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def read_only_session(endpoint: Endpoint) -> Endpoint:
    """Mark an endpoint whose own session only reads because a writer task does its writes.

    On SQLite such a request must not hold the write lock that the writer needs.
    """
    setattr(endpoint, _READ_ONLY, True)
    return endpoint


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request."""
    endpoint = getattr(request.scope.get("route"), "endpoint", None)
    read_only = request.method in _READ_METHODS or getattr(endpoint, _READ_ONLY, False)
    session = database.session(read_only=read_only)
    try:
        async with request_transaction(session):
            yield session
    finally:
        if not _untouched(session) or session.identity_map:
            await session.close()


# scope="function": commit before the response is sent, so a 2xx always means stored.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


def _is_sequence(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin is Annotated or origin is Union or origin is types.UnionType:
        return any(_is_sequence(arg) for arg in get_args(annotation))
    target = origin or annotation
    return isinstance(target, type) and issubclass(target, Sequence | set | frozenset) and target not in (str, bytes)


def _query_fields(dependant: Dependant) -> Iterator[Any]:
    yield from dependant.query_params
    for sub in dependant.dependencies:
        yield from _query_fields(sub)


# `async def` on purpose: FastAPI runs a plain `def` dependency in a worker thread, which would
# cost more than the check itself on every request.
async def single_query_values(request: Request) -> None:
    """Refuse a one-value query parameter given twice (?limit=1&limit=2): which one counts would be a guess."""
    dependant: Dependant | None = getattr(request.scope.get("route"), "dependant", None)
    if dependant is None:
        return
    errors = [
        {"loc": ("query", field.alias), "msg": N_("Give this parameter once"), "type": "value_error"}
        for field in _query_fields(dependant)
        if len(request.query_params.getlist(field.alias)) > 1 and not _is_sequence(field.field_info.annotation)
    ]
    if errors:
        raise RequestValidationError(errors)
