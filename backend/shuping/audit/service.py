"""Append to, read and verify the hash-chained audit log (its routes are auth.audit_router: audit imports no domain)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Select, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from shuping.audit.models import AuditEntry
from shuping.core.i18n import N_
from shuping.core.pagination import paginate
from shuping.db import utcnow

GENESIS_HASH = "0" * 64
# Any fixed number: the PostgreSQL advisory lock that serialises appends to the chain.
_CHAIN_LOCK_KEY = 0x5348_5550


class Actor(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def username(self) -> str: ...


def _canonical(value: Any) -> Any:
    """Round-trip through JSON so hashing sees exactly what the database stores."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def entry_hash(
    *,
    prev_hash: str,
    at: datetime,
    actor_id: int | None,
    actor_name: str | None,
    action: str,
    entity_type: str,
    entity_id: str | None,
    data: dict[str, Any],
) -> str:
    payload = {
        "prev_hash": prev_hash,
        "at": at.isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_name": actor_name,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "data": data,
    }
    raw = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


async def record(
    session: AsyncSession,
    *,
    actor: Actor | None,
    action: str,
    entity_type: str,
    entity_id: int | str | None = None,
    data: dict[str, Any] | None = None,
    actor_name: str | None = None,
) -> AuditEntry:
    """Append one entry to the chain inside the caller's transaction."""
    return await session.run_sync(
        lambda s: append(
            s,
            actor=actor,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            data=data,
            actor_name=actor_name,
        )
    )


def append(
    session: Session,
    *,
    actor: Actor | None,
    action: str,
    entity_type: str,
    entity_id: int | str | None = None,
    data: dict[str, Any] | None = None,
    actor_name: str | None = None,
) -> AuditEntry:
    """`record` for a synchronous session (the ballot writer's)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK_KEY})
    prev = (
        session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    ).scalar_one_or_none() or GENESIS_HASH
    at = utcnow()
    fields: dict[str, Any] = {
        "at": at,
        "actor_id": actor.id if actor else None,
        "actor_name": actor.username if actor else actor_name,
        "action": action,
        "entity_type": entity_type,
        "entity_id": None if entity_id is None else str(entity_id),
        "data": _canonical(data or {}),
    }
    entry = AuditEntry(prev_hash=prev, hash=entry_hash(prev_hash=prev, **fields), **fields)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    first_broken_id: int | None = None
    reason: str | None = None


async def verify_chain(session: AsyncSession, *, batch: int = 2000) -> ChainCheck:
    """Recompute every hash in order; name the first entry that does not hold."""
    expected_prev = GENESIS_HASH
    count = 0
    last_id = 0
    columns = (
        AuditEntry.id,
        AuditEntry.prev_hash,
        AuditEntry.hash,
        AuditEntry.at,
        AuditEntry.actor_id,
        AuditEntry.actor_name,
        AuditEntry.action,
        AuditEntry.entity_type,
        AuditEntry.entity_id,
        AuditEntry.data,
    )
    while True:
        # Plain rows, not ORM objects: what is stored now, never an identity-map copy.
        rows = (
            await session.execute(select(*columns).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch))
        ).all()
        if not rows:
            return ChainCheck(ok=True, entries=count)
        for e in rows:
            count += 1
            if e.prev_hash != expected_prev:
                return ChainCheck(False, count, e.id, N_("prev_hash does not match the previous entry"))
            recomputed = entry_hash(
                prev_hash=e.prev_hash,
                at=e.at,
                actor_id=e.actor_id,
                actor_name=e.actor_name,
                action=e.action,
                entity_type=e.entity_type,
                entity_id=e.entity_id,
                data=e.data,
            )
            if recomputed != e.hash:
                return ChainCheck(False, count, e.id, N_("content does not match its hash"))
            expected_prev = e.hash
            last_id = e.id


async def list_entries(
    session: AsyncSession,
    *,
    actor_id: int | None,
    entity_type: str | None,
    entity_id: str | None,
    action: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[AuditEntry], int]:
    stmt: Select[AuditEntry] = select(AuditEntry).order_by(AuditEntry.id.desc())
    if actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == actor_id)
    if entity_type:
        stmt = stmt.where(AuditEntry.entity_type == entity_type)
    if entity_id:
        stmt = stmt.where(AuditEntry.entity_id == entity_id)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEntry.at < until)
    return await paginate(session, stmt, limit=limit, offset=offset)
