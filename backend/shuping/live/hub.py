"""Fan-out of committed live events to the streams of this process, or of every process via Redis."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass
from functools import cached_property
from typing import Any

log = logging.getLogger("shuping.live")
REDIS_PREFIX = "shuping:live:"
QUEUE_SIZE = 1000


@dataclass(frozen=True)
class Event:
    channel: str
    seq: int
    type: str
    data: dict[str, Any]

    @cached_property
    def frame(self) -> str:
        """The event as a Server-Sent Events frame: formatted once, however many streams send it."""
        data = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))
        return f"id: {self.seq}\nevent: {self.type}\ndata: {data}\n\n"


class Subscription:
    """One stream's inbox. Overflow marks it lagging: the stream then re-reads the log."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[Event] = asyncio.Queue(QUEUE_SIZE)
        self.lagging = False

    def offer(self, event: Event) -> None:
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.lagging = True


class MemoryHub:
    """Delivers within this process only: the default, one server process."""

    def __init__(self) -> None:
        self._subs: dict[str, set[Subscription]] = defaultdict(set)

    def _deliver(self, event: Event) -> None:
        for sub in list(self._subs.get(event.channel, ())):
            sub.offer(event)

    async def publish(self, events: list[Event]) -> None:
        for event in events:
            self._deliver(event)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        sub = Subscription()
        self._subs[channel].add(sub)
        try:
            yield sub
        finally:
            self._subs[channel].discard(sub)
            if not self._subs[channel]:
                del self._subs[channel]

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None


class RedisHub(MemoryHub):
    """Publishes through Redis pub/sub; every process's listener delivers to its own streams."""

    def __init__(self, url: str) -> None:
        super().__init__()
        from redis.asyncio import Redis

        self._redis = Redis.from_url(url)
        self._listener: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    async def publish(self, events: list[Event]) -> None:
        async with self._redis.pipeline(transaction=False) as pipe:
            for event in events:
                pipe.publish(REDIS_PREFIX + event.channel, json.dumps(asdict(event), ensure_ascii=False))
            await pipe.execute()

    async def start(self) -> None:
        if self._listener is None:
            self._listener = asyncio.create_task(self._listen(), name="shuping-live-redis")
        await asyncio.wait_for(self._ready.wait(), timeout=10)

    async def _listen(self) -> None:
        while True:
            try:
                pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
                await pubsub.psubscribe(REDIS_PREFIX + "*")
                self._ready.set()
                async for message in pubsub.listen():
                    if message.get("type") != "pmessage":
                        continue
                    raw = json.loads(message["data"])
                    self._deliver(Event(**raw))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # Streams re-read the log on reconnect, so a lost message only delays screens.
                log.warning("live: Redis listener failed (%s); reconnecting", exc)
                await asyncio.sleep(1)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._listener
            self._listener = None
        await self._redis.aclose()
