"""Count-and-slice helper for list endpoints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


async def paginate(session: AsyncSession, stmt: Select[T], *, limit: int, offset: int) -> tuple[Sequence[T], int]:
    """Return one page of rows and the total count of the unpaged query."""
    total_stmt: Select[Any] = select(func.count()).select_from(stmt.order_by(None).subquery())
    total = (await session.execute(total_stmt)).scalar_one()
    rows = (await session.execute(stmt.limit(limit).offset(offset))).scalars().all()
    return rows, int(total)
