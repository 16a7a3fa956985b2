"""Anonymising a report's ballots once its voting closes (DESIGN §4).

While a report is open, the writer stores a code's use and its ballot in one transaction: the
rows of that transaction share its position in every table (SQLite `rowid`, PostgreSQL `ctid`)
and, in PostgreSQL, its `xmin`. Closing the report ends that: in the closing transaction, the
report's anonymous-group ballots, the uses of its codes and of its signed-in anonymous evaluators,
and the replay records of those ballots are deleted and written again, each table in an order of
its own drawn at random, the ballots under fresh random ids. Afterwards every such row carries the
same transaction and a position that says nothing; the uses keep no id and no time, the replay
records the closing time only. Receipts stay: they are what an evaluator checks the tally with,
and nothing stored pairs one with a code or a person.

What this cannot undo is written where the database keeps history of its own: PostgreSQL's dead
row versions (until VACUUM reclaims and reuses their space) and WAL segments, SQLite's -wal file
(until a checkpoint overwrites it). The README's threat model says so.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.db import Base, utcnow
from shuping.meetings import tokens as codes
from shuping.meetings.models import (
    Ballot,
    BallotSource,
    BallotToken,
    EvaluatorUse,
    IdempotencyRecord,
    Meeting,
    TokenUse,
)

_random = random.SystemRandom()


def shuffled(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows in an order drawn by the system's random source, unrelated to any other table's."""
    _random.shuffle(rows)
    return rows


async def anonymise(session: AsyncSession, *, meeting_id: int, report_ids: Collection[int]) -> int:
    """Rewrite the reports' anonymous ballots and everything that records their casting; return
    how many ballots were rewritten. Run in the transaction that closes the reports' voting."""
    if not report_ids:
        return 0
    # PostgreSQL: waits for a writer batch that read these reports open (it holds KEY SHARE on the
    # meeting), so its ballots are here to be rewritten; later batches see voting closed.
    await session.execute(select(Meeting.id).where(Meeting.id == meeting_id).with_for_update())
    rewritten = await _ballots(session, meeting_id, report_ids)
    await _token_uses(session, meeting_id, report_ids)
    await _evaluator_uses(session, meeting_id, report_ids)
    await _replay_records(session, meeting_id, report_ids)
    return rewritten


async def _ballots(session: AsyncSession, meeting_id: int, report_ids: Collection[int]) -> int:
    table: Table = Ballot.__table__  # type: ignore[assignment]
    where = (
        table.c.meeting_id == meeting_id,
        table.c.report_id.in_(report_ids),
        table.c.source == BallotSource.token,
    )
    rows = [dict(r) for r in (await session.execute(select(table).where(*where))).mappings()]
    if not rows:
        return 0
    new_ids = iter(codes.new_ballot_ids(len(rows)))
    renamed = {row["id"]: next(new_ids) for row in rows}
    # Rows elsewhere that refer to a ballot (an opinion harvested from its comment) follow it to its
    # new id; found from the foreign keys, so a new reference is never forgotten here.
    references: list[tuple[Table, list[Any], Any, tuple[Any, ...], str]] = []
    for other in Base.metadata.tables.values():
        for fk in other.foreign_keys:
            if fk.column.table is table and fk.column.name == "id":
                column = fk.parent
                keys = list(other.primary_key.columns)
                found = (await session.execute(select(*keys, column).where(column.in_(list(renamed))))).all()
                references.extend((other, keys, column, tuple(r[:-1]), r[-1]) for r in found)
    await session.execute(delete(table).where(*where))
    for row in rows:
        row["id"] = renamed[row["id"]]
    await session.execute(insert(table), shuffled(rows))
    for other, keys, column, key_values, old_id in references:
        await session.execute(
            update(other)
            .where(*(k == v for k, v in zip(keys, key_values, strict=True)))
            .values({column.name: renamed[old_id]})
        )
    return len(rows)


async def _token_uses(session: AsyncSession, meeting_id: int, report_ids: Collection[int]) -> None:
    tokens = select(BallotToken.id).where(BallotToken.meeting_id == meeting_id).scalar_subquery()
    where = (TokenUse.token_id.in_(tokens), TokenUse.report_id.in_(report_ids))
    rows = [
        {"token_id": t, "report_id": r}
        for t, r in await session.execute(select(TokenUse.token_id, TokenUse.report_id).where(*where))
    ]
    if rows:
        await session.execute(delete(TokenUse).where(*where))
        await session.execute(insert(TokenUse), shuffled(rows))


async def _evaluator_uses(session: AsyncSession, meeting_id: int, report_ids: Collection[int]) -> None:
    where = (EvaluatorUse.meeting_id == meeting_id, EvaluatorUse.report_id.in_(report_ids))
    rows = [
        {"meeting_id": meeting_id, "report_id": r, "user_id": u}
        for r, u in await session.execute(select(EvaluatorUse.report_id, EvaluatorUse.user_id).where(*where))
    ]
    if rows:
        await session.execute(delete(EvaluatorUse).where(*where))
        await session.execute(insert(EvaluatorUse), shuffled(rows))


async def _replay_records(session: AsyncSession, meeting_id: int, report_ids: Collection[int]) -> None:
    """The replay records of anonymous ballots on these reports (a sheet's record covers several):
    rewritten as they are, under fresh ids and one time, the closing's."""
    table: Table = IdempotencyRecord.__table__  # type: ignore[assignment]
    closing = set(report_ids)
    records = [
        dict(r)
        for r in (
            await session.execute(select(table).where(table.c.meeting_id == meeting_id, table.c.anonymous.is_(True)))
        ).mappings()
        if closing.intersection(b["report_id"] for b in r["response"].get("ballots", ()))
    ]
    if not records:
        return
    await session.execute(delete(table).where(table.c.id.in_([r["id"] for r in records])))
    now = utcnow()
    for record in records:
        del record["id"]
        record["created_at"] = now
    await session.execute(insert(table), shuffled(records))
