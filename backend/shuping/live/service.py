"""Publish live events inside a transaction; deliver them once it commits; replay from the log."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from shuping.config import get_settings
from shuping.live.hub import Event, MemoryHub, RedisHub
from shuping.live.models import LiveChannel, LiveEvent

log = logging.getLogger("shuping.live")
_PENDING = "shuping_on_commit"
_hub: MemoryHub | None = None
_background: set[asyncio.Task[None]] = set()


def hub() -> MemoryHub:
    """The process's hub: Redis when SHUPING_REDIS_URL is set, else in memory."""
    global _hub
    if _hub is None:
        url = get_settings().redis_url
        _hub = RedisHub(url) if url else MemoryHub()
    return _hub


async def close_hub() -> None:
    global _hub
    if _hub is not None:
        await _hub.close()
    _hub = None


def on_commit(session: AsyncSession, key: str, item: object, callback: Callable[[list[Any]], None]) -> None:
    """Collect `item` under `key`; once the session commits, call `callback` with all of them.

    Nothing is called if the transaction rolls back, so no one hears of what never happened.
    """
    sync = session.sync_session
    pending: dict[str, list[Any]] = sync.info.setdefault(_PENDING, {})
    if key not in pending:
        pending[key] = []

        def fire(_session: Session) -> None:
            items = pending.pop(key, [])
            if items:
                callback(items)

        def drop(_session: Session, _previous: object) -> None:
            pending.pop(key, None)

        sa_event.listen(sync, "after_commit", fire, once=True)
        sa_event.listen(sync, "after_soft_rollback", drop, once=True)
    pending[key].append(item)


def _schedule_delivery(events: list[Event]) -> None:
    task = asyncio.get_running_loop().create_task(deliver(events))
    _background.add(task)
    task.add_done_callback(_background.discard)


async def deliver(events: list[Event]) -> None:
    """Hand committed events to the streams (of every process, with Redis)."""
    try:
        await hub().publish(events)
    except Exception as exc:
        # The events are in the log: streams pick them up on their next check.
        log.warning("live: delivery of %d events failed: %s", len(events), exc)


def _next_seq(session: Session, channel: str) -> int:
    """Take the channel's next number; the row stays locked until commit, ordering publishers."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = (
        insert(LiveChannel)
        .values(name=channel, last_seq=1)
        .on_conflict_do_update(index_elements=["name"], set_={"last_seq": LiveChannel.last_seq + 1})
        .returning(LiveChannel.last_seq)
    )
    return int(session.execute(stmt).scalar_one())


def log_event(session: Session, channel: str, type_: str, data: dict[str, Any] | Callable[[], dict[str, Any]]) -> Event:
    """Log an event in the caller's transaction; the caller delivers it once that commits. `data` may
    be a function, called once the channel's number is taken (and its row locked until commit)."""
    seq = _next_seq(session, channel)
    if callable(data):
        data = data()
    session.add(LiveEvent(channel=channel, seq=seq, type=type_, data=data))
    session.flush()
    return Event(channel=channel, seq=seq, type=type_, data=data)


async def publish(session: AsyncSession, channel: str, type_: str, data: dict[str, Any]) -> Event:
    """Log an event in the caller's transaction; streams receive it once that commits."""
    ev = await session.run_sync(log_event, channel, type_, data)
    on_commit(session, "live_events", ev, _schedule_delivery)
    return ev


async def events_after(session: AsyncSession, channel: str, after_seq: int, limit: int = 500) -> Sequence[Event]:
    rows = (
        await session.execute(
            select(LiveEvent.seq, LiveEvent.type, LiveEvent.data)
            .where(LiveEvent.channel == channel, LiveEvent.seq > after_seq)
            .order_by(LiveEvent.seq)
            .limit(limit)
        )
    ).all()
    return [Event(channel=channel, seq=r.seq, type=r.type, data=r.data) for r in rows]


async def last_seq(session: AsyncSession, channel: str) -> int:
    value = await session.scalar(select(LiveChannel.last_seq).where(LiveChannel.name == channel))
    return int(value or 0)
