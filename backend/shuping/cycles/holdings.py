"""What was cast in a cycle and what holds it: the ballots, results and opinions a change must keep.

Going back a stage never deletes anything; a change made there that would delete or orphan what was
cast (removing a group, a report, a category, a voter or the rubric that holds it) is refused with
409, naming what holds what. What was cast lives in the domains above cycles (meetings, results,
ledger): each counts its own rows per part of a cycle, and `shuping.wiring` registers those counts
here, in the order a refusal names them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from shuping.core.errors import Conflict
from shuping.core.i18n import N_, Msg, Sentences, Term


class StillHeld(Conflict):
    code, title = "still-held", N_("Still holds what was cast")


class Part(StrEnum):
    """A part of a cycle that can hold what was cast, and the ids that name one."""

    cycle = "cycle"  # cycle ids: what was answered on the cycle's rubric
    group = "group"  # evaluator group ids
    report = "report"  # report ids
    category = "category"  # opinion category ids
    evaluator = "evaluator"  # evaluator group member ids


Count = Callable[[AsyncSession, Sequence[int]], Awaitable[dict[int, int]]]
"""How many rows of one kind each of the given parts (by id) holds; a part holding none may be left out."""

_counts: dict[Part, list[tuple[str, Count]]] = defaultdict(list)


def register(part: Part, what: str, count: Count) -> None:
    """Let a domain above say how many `what` (ballots, results, …) each `part` of a cycle holds."""
    if (what, count) not in _counts[part]:
        _counts[part].append((what, count))


async def count_by(session: AsyncSession, column: InstrumentedAttribute[int], ids: Sequence[int]) -> dict[int, int]:
    """Rows per value of `column` among `ids`: the usual count, for a table that names the part."""
    rows = (await session.execute(select(column, func.count()).where(column.in_(ids)).group_by(column))).all()
    return {int(key): int(n) for key, n in rows}


@dataclass(frozen=True)
class Holding:
    """`count` rows of `what` (ballots, results, opinions, …) held by one part of a cycle."""

    what: str
    count: int


@dataclass(frozen=True)
class Held:
    """One part of a cycle (a group, a report, …) and what it holds."""

    kind: str
    name: str
    holdings: tuple[Holding, ...]

    def sentence(self) -> Msg:
        things = [
            N_("{count} {what}", count=h.count, what=Term(h.what if h.count != 1 else h.what.removesuffix("s")))
            for h in self.holdings
        ]
        return N_("{kind} {name!r} holds {things}", kind=Term(self.kind), name=self.name, things=things)


async def counts(session: AsyncSession, part: Part, ids: Sequence[int]) -> dict[int, tuple[Holding, ...]]:
    """What each of the parts (by id) holds, as the registered counts say; a part holding nothing is left out."""
    if not ids:
        return {}
    found = [(what, await count(session, ids)) for what, count in _counts[part]]
    held = {key: tuple(Holding(what, c[key]) for what, c in found if c.get(key)) for key in ids}
    return {key: h for key, h in held.items() if h}


async def of(session: AsyncSession, part: Part, names: Mapping[int, str]) -> list[Held]:
    """What each of the parts (id → the name a refusal shows) holds."""
    held = await counts(session, part, list(names))
    return [Held(part.value, name, held[key]) for key, name in names.items() if key in held]


def refuse(held: Sequence[Held], *, doing: str) -> None:
    """Raise 409 naming what holds what, if anything does."""
    if not held:
        return
    raise StillHeld(
        N_("Cannot {doing}: {held}", doing=doing, held=Sentences(h.sentence() for h in held)),
        extra={"held": [_held_json(h) for h in held]},
    )


def _held_json(held: Held) -> dict[str, Any]:
    return {"kind": held.kind, "name": held.name, "holds": {x.what: x.count for x in held.holdings}}
