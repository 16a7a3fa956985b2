"""Server-Sent Events for one channel: replay from the log, then live, with no gap and no repeat."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from shuping.core import metrics
from shuping.db import database
from shuping.live import service
from shuping.live.hub import Event

HEARTBEAT_SECONDS = 15.0
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no", "Connection": "keep-alive"}


async def _read_log(channel: str, after: int) -> list[Event]:
    """Everything after `after`, in short sessions: a stream never holds a connection."""
    out: list[Event] = []
    while True:
        async with database.session(read_only=True) as session:
            batch = list(await service.events_after(session, channel, after))
        out.extend(batch)
        if len(batch) < 500:
            return out
        after = batch[-1].seq


@contextlib.asynccontextmanager
async def _connected() -> AsyncIterator[None]:
    """Count the stream as open while it is (`shuping_sse_clients`)."""
    metrics.sse_clients.inc()
    try:
        yield
    finally:
        metrics.sse_clients.dec()


async def event_stream(
    channel: str, last_event_id: int, *, heartbeat: float = HEARTBEAT_SECONDS, retry_ms: int = 2000
) -> AsyncIterator[str]:
    """Yield SSE frames: first what was missed since `last_event_id`, then each new event."""
    last = last_event_id
    yield f"retry: {retry_ms}\n\n"
    # Subscribe before reading the log, so nothing committed in between is missed.
    async with service.hub().subscribe(channel) as sub, _connected():
        for event in await _read_log(channel, last):
            last = event.seq
            yield event.frame
        while True:
            try:
                event = await asyncio.wait_for(sub.queue.get(), timeout=heartbeat)
            except TimeoutError:
                # Also catches anything a lost fan-out message would have hidden.
                for missed in await _read_log(channel, last):
                    last = missed.seq
                    yield missed.frame
                yield ": ping\n\n"
                continue
            if sub.lagging or event.seq > last + 1:
                sub.lagging = False
                while not sub.queue.empty():
                    sub.queue.get_nowait()
                for missed in await _read_log(channel, last):
                    last = missed.seq
                    yield missed.frame
                continue
            if event.seq <= last:
                continue
            last = event.seq
            yield event.frame
