"""Live events: published on commit only, replayed from the log, fanned out in memory or via Redis."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator

import pytest

from shuping.db import database
from shuping.live import service
from shuping.live.hub import Event, MemoryHub, RedisHub
from shuping.live.models import LiveEvent
from shuping.live.stream import event_stream

REDIS_URL = os.environ.get("SHUPING_TEST_REDIS_URL")


def _channel() -> str:
    return f"test:{uuid.uuid4().hex[:12]}"


async def _publish(channel: str, n: int, *, commit: bool = True) -> None:
    async with database.session() as s:
        for i in range(n):
            await service.publish(s, channel, "tally", {"i": i})
        if commit:
            await s.commit()
        else:
            await s.rollback()


async def _frames(gen: AsyncIterator[str], count: int, timeout: float = 5.0) -> list[str]:
    out: list[str] = []
    async with asyncio.timeout(timeout):
        while len(out) < count:
            frame = await anext(gen)
            if frame.startswith("id:"):
                out.append(frame)
    return out


async def test_committed_events_reach_subscribers_in_order() -> None:
    channel = _channel()
    async with service.hub().subscribe(channel) as sub:
        await _publish(channel, 3)
        got = [await asyncio.wait_for(sub.queue.get(), 2) for _ in range(3)]
    assert [(e.seq, e.data["i"]) for e in got] == [(1, 0), (2, 1), (3, 2)]


async def test_rolled_back_events_are_neither_delivered_nor_logged() -> None:
    channel = _channel()
    async with service.hub().subscribe(channel) as sub:
        await _publish(channel, 2, commit=False)
        await asyncio.sleep(0.1)
        assert sub.queue.empty()
    async with database.session() as s:
        assert list(await service.events_after(s, channel, 0)) == []


async def test_stream_replays_what_was_missed_then_goes_live_without_repeats() -> None:
    channel = _channel()
    await _publish(channel, 5)
    gen = event_stream(channel, last_event_id=2, heartbeat=0.2)
    assert (await anext(gen)).startswith("retry:")
    replay = await _frames(gen, 3)
    assert [f.split("\n")[0] for f in replay] == ["id: 3", "id: 4", "id: 5"]
    await _publish(channel, 2)
    live = await _frames(gen, 2)
    assert [f.split("\n")[0] for f in live] == ["id: 6", "id: 7"]
    assert "event: tally" in live[0]
    await gen.aclose()


async def test_stream_fills_a_gap_left_by_a_lost_message() -> None:
    channel = _channel()
    gen = event_stream(channel, last_event_id=0, heartbeat=0.3)
    await anext(gen)
    # Events logged without fan-out, as if a Redis message had been lost.
    async with database.session() as s:
        for seq in (1, 2):
            s.add(LiveEvent(channel=channel, seq=seq, type="speaker", data={"seq": seq}))
        await s.commit()
    frames = await _frames(gen, 2)
    assert [f.split("\n")[0] for f in frames] == ["id: 1", "id: 2"]
    await gen.aclose()


def test_sse_frame_format() -> None:
    frame = Event(channel="c", seq=7, type="reveal", data={"名": 1}).frame
    assert frame == 'id: 7\nevent: reveal\ndata: {"名":1}\n\n'


async def test_memory_hub_marks_a_slow_subscriber_as_lagging() -> None:
    hub = MemoryHub()
    async with hub.subscribe("c") as sub:
        await hub.publish([Event("c", i, "tally", {}) for i in range(1, 1100)])
        assert sub.lagging


@pytest.mark.skipif(not REDIS_URL, reason="SHUPING_TEST_REDIS_URL not set")
async def test_redis_hub_fans_out_between_hubs() -> None:
    assert REDIS_URL
    sender, receiver = RedisHub(REDIS_URL), RedisHub(REDIS_URL)
    try:
        await receiver.start()
        channel = _channel()
        async with receiver.subscribe(channel) as sub:
            await sender.publish([Event(channel, 1, "speaker", {"report_id": 3})])
            got = await asyncio.wait_for(sub.queue.get(), 2)
        assert got == Event(channel, 1, "speaker", {"report_id": 3})
    finally:
        await sender.close()
        await receiver.close()
