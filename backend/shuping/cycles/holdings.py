"""What was cast in a cycle and what holds it: the ballots, results and opinions a change must keep.

Going back a stage never deletes anything; a change made there that would delete or orphan what was
cast (removing a group, a report, a category, a voter or the rubric that holds it) is refused with
409, naming what holds what. This module reads the tables of the domains above cycles (meetings,
results, ledger) through their models only, so cycles and reports can ask without importing their
services.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from shuping.core.errors import Conflict
from shuping.cycles.models import Cycle
from shuping.ledger.models import LedgerItem, Opinion
from shuping.meetings.models import AgendaItem, Ballot, Meeting, PaperSheet
from shuping.results.models import Interview, RectificationNotice, ResultEntry


class StillHeld(Conflict):
    code, title = "still-held", "Still holds what was cast"


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

    def sentence(self) -> str:
        things = ", ".join(f"{h.count} {h.what if h.count != 1 else h.what.removesuffix('s')}" for h in self.holdings)
        return f"{self.kind} {self.name!r} holds {things}"


async def _counts(
    session: AsyncSession, column: InstrumentedAttribute[Any], *where: ColumnElement[bool]
) -> dict[Any, int]:
    rows = (await session.execute(select(column, func.count()).where(*where).group_by(column))).all()
    return {key: int(n) for key, n in rows}


def _gather(parts: dict[Any, str], kind: str, counts: Sequence[tuple[str, dict[Any, int]]]) -> list[Held]:
    found = []
    for key, name in parts.items():
        holdings = tuple(Holding(what, c[key]) for what, c in counts if c.get(key))
        if holdings:
            found.append(Held(kind, name, holdings))
    return found


async def of_groups(session: AsyncSession, groups: dict[int, str]) -> list[Held]:
    """What each group (id → key) holds: ballots and paper ballot entries."""
    if not groups:
        return []
    ids = list(groups)
    return _gather(
        groups,
        "group",
        [
            ("ballots", await _counts(session, Ballot.group_id, Ballot.group_id.in_(ids))),
            ("paper ballot entries", await _counts(session, PaperSheet.group_id, PaperSheet.group_id.in_(ids))),
        ],
    )


async def of_reports(session: AsyncSession, cycle_id: int, reports: dict[int, tuple[str, int]]) -> list[Held]:
    """What each report (id → (title, org id)) holds: its ballots, meetings, results, notices and the
    opinions and ledger items about its organisation in the cycle."""
    if not reports:
        return []
    ids = list(reports)
    by_org = {org_id: rid for rid, (_, org_id) in reports.items()}

    def per_report(counts: dict[Any, int]) -> dict[Any, int]:
        return {by_org[org_id]: n for org_id, n in counts.items()}

    opinions = await _counts(session, Opinion.org_id, Opinion.cycle_id == cycle_id, Opinion.org_id.in_(by_org))
    items = await _counts(session, LedgerItem.org_id, LedgerItem.cycle_id == cycle_id, LedgerItem.org_id.in_(by_org))
    return _gather(
        {rid: title for rid, (title, _) in reports.items()},
        "report",
        [
            ("ballots", await _counts(session, Ballot.report_id, Ballot.report_id.in_(ids))),
            ("paper ballot entries", await _counts(session, PaperSheet.report_id, PaperSheet.report_id.in_(ids))),
            ("meeting agenda places", await _counts(session, AgendaItem.report_id, AgendaItem.report_id.in_(ids))),
            ("results", await _counts(session, ResultEntry.report_id, ResultEntry.report_id.in_(ids))),
            ("interviews", await _counts(session, Interview.report_id, Interview.report_id.in_(ids))),
            (
                "rectification notices",
                await _counts(session, RectificationNotice.report_id, RectificationNotice.report_id.in_(ids)),
            ),
            ("opinions", per_report(opinions)),
            ("ledger items", per_report(items)),
        ],
    )


async def of_categories(session: AsyncSession, cycle_id: int, names: Sequence[str]) -> list[Held]:
    """What each opinion category holds in the cycle: opinions, ledger items and ballot comments."""
    if not names:
        return []
    comments = (
        await session.execute(
            select(Ballot.comment_category, func.count())
            .join(Meeting, Meeting.id == Ballot.meeting_id)
            .where(Meeting.cycle_id == cycle_id, Ballot.comment_category.in_(names))
            .group_by(Ballot.comment_category)
        )
    ).all()
    return _gather(
        {n: n for n in names},
        "category",
        [
            (
                "opinions",
                await _counts(session, Opinion.category, Opinion.cycle_id == cycle_id, Opinion.category.in_(names)),
            ),
            (
                "ledger items",
                await _counts(
                    session, LedgerItem.category, LedgerItem.cycle_id == cycle_id, LedgerItem.category.in_(names)
                ),
            ),
            ("ballot comments", {key: int(n) for key, n in comments}),
        ],
    )


async def of_evaluator(session: AsyncSession, *, group_id: int, user_id: int, name: str) -> list[Held]:
    """The ballots a member of a named group cast in it (an anonymous group's ballots name nobody)."""
    counts = await _counts(session, Ballot.evaluator_id, Ballot.group_id == group_id, Ballot.evaluator_id == user_id)
    return _gather({user_id: name}, "evaluator", [("ballots", counts)])


async def ballots_of_cycle(session: AsyncSession, cycle_id: int) -> int:
    """How many ballots were cast in a cycle's meetings."""
    stmt = select(func.count()).select_from(Ballot).join(Meeting, Meeting.id == Ballot.meeting_id)
    return int(await session.scalar(stmt.where(Meeting.cycle_id == cycle_id)) or 0)


async def rubrics_with_ballots(session: AsyncSession, rubric_ids: Sequence[int]) -> set[int]:
    """Which of the rubrics a cycle holding ballots uses: its ballots' answers are keyed by its items."""
    if not rubric_ids:
        return set()
    stmt = (
        select(Cycle.rubric_id)
        .join(Meeting, Meeting.cycle_id == Cycle.id)
        .where(Cycle.rubric_id.in_(rubric_ids), select(Ballot.id).where(Ballot.meeting_id == Meeting.id).exists())
        .distinct()
    )
    return {int(r) for r in (await session.execute(stmt)).scalars() if r is not None}


def refuse(held: Sequence[Held], *, doing: str) -> None:
    """Raise 409 naming what holds what, if anything does."""
    if not held:
        return
    raise StillHeld(
        f"Cannot {doing}: " + "; ".join(h.sentence() for h in held),
        extra={
            "held": [{"kind": h.kind, "name": h.name, "holds": {x.what: x.count for x in h.holdings}} for h in held]
        },
    )
