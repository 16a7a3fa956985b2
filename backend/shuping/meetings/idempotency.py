"""Idempotency records: a request's key claimed with its answer in the writer's transaction,
the answer given again to a retry, and forgotten after the retry window.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shuping.core.i18n import N_
from shuping.db import utcnow
from shuping.meetings.errors import IdempotencyMismatch
from shuping.meetings.models import IdempotencyRecord
from shuping.meetings.schemas import BallotAccepted, BallotIn

IDEMPOTENCY_HOURS = 48


def request_hash(ballots_in: Sequence[BallotIn], sheet: bool) -> str:
    body = {"sheet": sheet, "ballots": [b.model_dump(mode="json") for b in ballots_in]}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def claim(session: Session, insert: Any, records: list[dict[str, Any]]) -> dict[str, int]:
    """Store each record whose key is new; the stored records' ids by key (a key already there is not claimed)."""
    table = IdempotencyRecord.__table__
    result = session.execute(
        insert(table).on_conflict_do_nothing(index_elements=["digest"]).returning(table.c.id, table.c.digest),
        records,
    )
    return {digest: int(row_id) for row_id, digest in result}


def replay(session: Session, digest: str, hashed: str) -> list[BallotAccepted]:
    """A key answered before: the first answer again, whatever has changed since."""
    record = (
        session.execute(
            select(IdempotencyRecord.request_hash, IdempotencyRecord.response).where(IdempotencyRecord.digest == digest)
        )
    ).one()
    if record.request_hash != hashed:
        raise IdempotencyMismatch(N_("This Idempotency-Key was already used for a different ballot; use a new key"))
    return [BallotAccepted.model_validate(b) for b in record.response["ballots"]]


def forget(session: Session, ids: list[int]) -> None:
    """Drop the keys of refused requests, so that a retry with the same key is judged afresh."""
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id.in_(ids)))


def purge(session: Session) -> int:
    """Forget answers older than the retry window."""
    cutoff = utcnow() - timedelta(hours=IDEMPOTENCY_HOURS)
    result = session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
