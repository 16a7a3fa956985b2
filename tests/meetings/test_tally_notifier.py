"""The tally notifier's timing: every touched meeting gets its event, spaced by the interval.

The notifier's writes run through the real writer connection; what they log is recorded here
instead of written (logging a real event needs a committed meeting: the real-server tests in
test_live_meetings.py do that).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import time
from typing import Any

import pytest
from sqlalchemy.orm import Session

from shuping.live.hub import Event
from shuping.meetings import service, tally

MEETING = 7
REDIS_URL = os.environ.get("SHUPING_TEST_REDIS_URL")


class RecordingNotifier(tally.TallyNotifier):
    """The real notifier, deciding as it does; it records the events it logs instead of writing them."""

    def __init__(self, interval: float) -> None:
        super().__init__(interval)
        self.logged: list[float] = []

    def log_event(self, session: Session, meeting_id: int) -> Event:
        self.logged.append(time.monotonic())
        return Event(service.channel(meeting_id), len(self.logged), "tally", {})


@pytest.fixture
def early_timers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Timers that fire early: uvloop's do by up to a millisecond (it counts whole milliseconds);
    these by 5 ms, more than the notifier's write takes to start."""
    real_sleep = asyncio.sleep

    async def early(delay: float, *args: Any) -> None:
        await real_sleep(max(0.0, delay - 0.005), *args)

    monkeypatch.setattr("shuping.meetings.tally.asyncio.sleep", early)


async def _settle(notifier: tally.TallyNotifier, seconds: float) -> None:
    await asyncio.sleep(seconds)
    await notifier.close()


async def test_a_touch_just_after_an_event_is_logged_once_the_interval_has_passed(early_timers: None) -> None:
    notifier = RecordingNotifier(interval=0.05)
    notifier.log_due(None, [MEETING])  # type: ignore[arg-type]  # a ballot batch logged one just now
    notifier.touch_all([MEETING])  # more ballots committed before the next was due
    await _settle(notifier, 0.3)
    assert len(notifier.logged) == 2, "the touched meeting's ballots never reached an event"
    assert notifier.logged[1] - notifier.logged[0] >= 0.05


async def test_touches_in_a_burst_are_coalesced_spaced_and_the_last_one_has_its_event(early_timers: None) -> None:
    notifier = RecordingNotifier(interval=0.05)
    for _ in range(20):
        notifier.touch_all([MEETING])
        last_touch = time.monotonic()
        await asyncio.sleep(0.01)
    await _settle(notifier, 0.2)
    gaps = [b - a for a, b in zip(notifier.logged, notifier.logged[1:], strict=False)]
    assert 3 <= len(notifier.logged) <= 6, notifier.logged
    assert min(gaps) >= 0.05
    assert notifier.logged[-1] > last_touch


@pytest.mark.skipif(not REDIS_URL, reason="SHUPING_TEST_REDIS_URL not set")
async def test_two_processes_touching_one_meeting_share_its_windows_and_the_last_touch_has_its_event() -> None:
    """Two notifiers on one Redis, as two workers: their events together are spaced by the interval
    (each alone would space only its own), and the last touch, on either, is followed by an event."""
    meeting = random.randrange(10**9, 2 * 10**9)  # a window key no other run uses
    one, two = RecordingNotifier(interval=0.05), RecordingNotifier(interval=0.05)
    for n in (one, two):
        n.configure(REDIS_URL)
    try:
        for i in range(40):
            (one if i % 2 == 0 else two).touch_all([meeting])
            last_touch = time.monotonic()
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.3)
    finally:
        await one.close()
        await two.close()
    logged = sorted(one.logged + two.logged)
    assert one.logged and two.logged, "both won windows"
    gaps = [b - a for a, b in itertools.pairwise(logged)]
    assert min(gaps) >= 0.045, gaps  # Redis counts whole milliseconds
    assert len(logged) <= (logged[-1] - logged[0]) / 0.05 + 1
    assert logged[-1] > last_touch


async def test_an_unreachable_redis_leaves_each_process_spacing_its_own_events(early_timers: None) -> None:
    notifier = RecordingNotifier(interval=0.05)
    notifier.configure("redis://127.0.0.1:1/0")
    for _ in range(10):
        notifier.touch_all([MEETING])
        last_touch = time.monotonic()
        await asyncio.sleep(0.01)
    await _settle(notifier, 0.2)
    gaps = [b - a for a, b in itertools.pairwise(notifier.logged)]
    assert notifier.logged and notifier.logged[-1] > last_touch
    assert min(gaps, default=1.0) >= 0.05
