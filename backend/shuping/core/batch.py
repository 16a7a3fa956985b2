"""One operation applied to a list of ids, all or nothing: every id is tried through the single operation
(its own checks, its own audit entry), and if any may not be done, nothing is and the problem names each."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, Field
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.core.errors import AppError
from shuping.core.i18n import N_, Msg
from shuping.core.schemas import BodyId

T = TypeVar("T")

MAX_BATCH = 500
# When ids are refused for different reasons, the answer's status is the first of these met: a caller told
# "forbidden" or "not found" must fix the list before anything about the items' state matters.
_PRECEDENCE = (403, 404, 409, 400, 413, 415)


def _each_once(ids: list[int]) -> list[int]:
    seen: set[int] = set()
    for value in ids:
        if value in seen:
            raise ValueError(N_("{id} is listed twice; list each id once", id=value))
        seen.add(value)
    return ids


# A batch's ids: 1 to 500 of them, each once (a repeat is a malformed payload: 422 naming the field).
BatchIds = Annotated[
    list[BodyId],
    Field(min_length=1, max_length=MAX_BATCH, description=f"1 to {MAX_BATCH} ids, each once"),
    AfterValidator(_each_once),
]


class BatchRefused(AppError):
    """Some ids of a batch may not be done: nothing was, and `errors` says why for each (loc names its index)."""

    code, title = "batch-refused", N_("Nothing was changed")

    def __init__(self, status: int, errors: list[dict[str, Any]], count: int, total: int) -> None:
        self.status = status
        first = errors[0]["msg"]
        detail = (
            N_(
                "{count} of {total} cannot be done, so nothing was changed: {first}",
                count=count,
                total=total,
                first=first,
            )
            if count == 1
            else N_(
                "{count} of {total} cannot be done, so nothing was changed: {first}; and {more} more",
                count=count,
                total=total,
                first=first,
                more=count - 1,
            )
        )
        super().__init__(detail, errors=errors, extra={"refused_ids": [e["id"] for e in errors]})
        for e in self.errors or []:
            e.pop("id", None)


async def apply_all(
    session: AsyncSession,
    ids: Sequence[int],
    field: str,
    label: Callable[[int], Msg],
    operation: Callable[[int], Awaitable[T]],
) -> list[T]:
    """Do `operation` on every id in order, each in a savepoint; if any raises, raise BatchRefused naming
    every refused id and why (the request's transaction then rolls back what the others did)."""
    done: list[T] = []
    refused: list[tuple[int, int, AppError]] = []
    for index, item_id in enumerate(ids):
        try:
            async with session.begin_nested():
                done.append(await operation(item_id))
        except AppError as exc:
            refused.append((index, item_id, exc))
    if not refused:
        return done
    statuses = {exc.status for _, _, exc in refused}
    status = next((s for s in _PRECEDENCE if s in statuses), max(statuses))
    errors = [
        {
            "loc": ["body", field, index],
            "msg": N_("{what}: {reason}", what=label(item_id), reason=_reason(exc)),
            "id": item_id,
        }
        for index, item_id, exc in refused
    ]
    raise BatchRefused(status, errors, len(refused), len(ids))


def _reason(exc: AppError) -> Msg:
    """The refusal in one sentence: its located message when it has one (which field of the item), else its detail."""
    detail = exc.detail
    return detail if isinstance(detail, Msg) else N_("{text}", text=detail)
