"""Sliding-window limits on login attempts, per username and per client address."""

from __future__ import annotations

import math
import time
from collections import defaultdict, deque


class SlidingWindow:
    """Count events per key within a window; in memory, per process."""

    def __init__(self, limit: int, window_seconds: float) -> None:
        self.limit = limit
        self.window = window_seconds
        self._events: dict[str, deque[float]] = defaultdict(deque)

    def _prune(self, key: str, now: float) -> deque[float]:
        events = self._events[key]
        while events and events[0] <= now - self.window:
            events.popleft()
        if not events:
            del self._events[key]
            return deque()
        return events

    def retry_after(self, key: str) -> int:
        """Seconds until one more event is allowed (0 if allowed now)."""
        now = time.monotonic()
        events = self._prune(key, now)
        if len(events) < self.limit:
            return 0
        return max(1, math.ceil(events[0] + self.window - now))

    def hit(self, key: str) -> None:
        now = time.monotonic()
        self._prune(key, now)
        self._events[key].append(now)

    def reset(self, key: str) -> None:
        self._events.pop(key, None)

    def clear(self) -> None:
        self._events.clear()
