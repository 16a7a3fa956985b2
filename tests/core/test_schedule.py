"""Scheduled work runs once across the fleet: with Redis, of several workers claiming a round only
one runs it; without Redis (one process), every claim succeeds; a failing run does not stop the
schedule."""

from __future__ import annotations

import asyncio
import os
import uuid

import pytest

from shuping.core.schedule import Claims, every

REDIS_URL = os.environ.get("SHUPING_TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="SHUPING_TEST_REDIS_URL not set")


async def test_without_redis_every_claim_succeeds() -> None:
    claims = Claims(None)
    assert await claims.claim("purge", 60) and await claims.claim("purge", 60)
    await claims.close()


@needs_redis
async def test_one_worker_of_several_claims_a_round() -> None:
    prefix = f"shuping:test:{uuid.uuid4().hex}:"
    workers = [Claims(REDIS_URL, prefix=prefix) for _ in range(4)]
    try:
        won = await asyncio.gather(*(w.claim("sunshine-pull", 0.5) for w in workers))
        assert won.count(True) == 1
        assert not await workers[0].claim("sunshine-pull", 0.5)
        assert await workers[0].claim("idempotency-purge", 0.5)  # another job is claimed apart
        await asyncio.sleep(0.6)  # the round is over: the next one is free again
        assert sum([await w.claim("sunshine-pull", 0.5) for w in workers]) == 1
    finally:
        for w in workers:
            await w.close()


@needs_redis
async def test_two_workers_running_a_schedule_do_each_round_once() -> None:
    prefix = f"shuping:test:{uuid.uuid4().hex}:"
    workers = [Claims(REDIS_URL, prefix=prefix) for _ in range(2)]
    runs: list[int] = []
    stop = asyncio.Event()

    def worker(n: int):  # type: ignore[no-untyped-def]
        async def work() -> None:
            runs.append(n)

        return work

    tasks = [asyncio.create_task(every("purge", 0.4, worker(n), stop, w)) for n, w in enumerate(workers)]
    await asyncio.sleep(1.3)  # rounds at 0, 0.4, 0.8, 1.2 s
    stop.set()
    await asyncio.gather(*tasks)
    for w in workers:
        await w.close()
    # One run per round at most (without claims: one per worker and round, 8); a round may go unclaimed
    # when both ask just before the last claim expires.
    assert 2 <= len(runs) <= 4, runs


async def test_a_failing_run_does_not_stop_the_schedule() -> None:
    calls = 0
    stop = asyncio.Event()

    async def flaky() -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("the first run fails")

    task = asyncio.create_task(every("flaky", 0.05, flaky, stop, Claims(None)))
    await asyncio.sleep(0.18)
    stop.set()
    await task
    assert calls >= 3


async def test_an_unreachable_redis_skips_the_round() -> None:
    claims = Claims("redis://127.0.0.1:1/0")  # nothing listens on port 1
    assert not await claims.claim("purge", 60)
    await claims.close()
