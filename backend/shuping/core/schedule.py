"""Scheduled work that the fleet does once, however many workers on however many machines run.

Each run of a job is claimed first. With `SHUPING_REDIS_URL` set, a claim is `SET key NX PX
<interval>` on a key per job: the first worker to ask in an interval gets it, every other worker
skips that round, and the key expires by itself, so a worker that dies holds nothing. Without
Redis — one process on SQLite, the simple default — every claim succeeds. Should Redis be
unreachable, the round is skipped and logged: skipping a purge or a pull is safe, running it on
every worker at once is what the claim prevents.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import socket
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger("shuping.schedule")
PREFIX = "shuping:claim:"


class Claims:
    """Claims of scheduled runs, shared through Redis when it is configured."""

    def __init__(self, redis_url: str | None, *, prefix: str = PREFIX) -> None:
        self._redis: Redis | None = None
        if redis_url:
            from redis.asyncio import Redis

            self._redis = Redis.from_url(redis_url)
        self._prefix = prefix
        self.holder = f"{socket.gethostname()}:{os.getpid()}"

    async def claim(self, job: str, seconds: float) -> bool:
        """Whether this process runs `job` now; no other claim of it succeeds for `seconds`."""
        if self._redis is None:
            return True
        try:
            return bool(await self._redis.set(self._prefix + job, self.holder, nx=True, px=math.ceil(seconds * 1000)))
        except Exception:
            log.warning("cannot claim the scheduled job %s (Redis unreachable?); skipping this round", job)
            return False

    async def close(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()


async def every(
    job: str, seconds: float, work: Callable[[], Awaitable[object]], stop: asyncio.Event, claims: Claims
) -> None:
    """Run `work` every `seconds` until stopped, on whichever process claims each round; a failure is
    logged and the schedule goes on."""
    while not stop.is_set():
        if await claims.claim(job, seconds):
            try:
                await work()
            except Exception:  # the schedule must survive anything one run does
                log.exception("scheduled job %s failed", job)
        try:
            await asyncio.wait_for(stop.wait(), timeout=seconds)
        except TimeoutError:
            continue
