"""Attempt limits for logins and password checks: sliding windows and exponential back-off, kept in
memory (one process) or in Redis (shared by every worker) when SHUPING_REDIS_URL is set.

An attempt is counted before the password is checked, atomically with the check of the limits, so
a burst of parallel requests cannot all slip through; a successful attempt is then taken back.
"""

from __future__ import annotations

import hashlib
import logging
import math
import secrets
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from shuping.config import get_settings
from shuping.core.errors import TooManyRequests

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger("shuping.auth")
REDIS_PREFIX = "shuping:limit:"
UNLIMITED = 2**31
# Back-off doubles per failure past the limit; beyond this many doublings the cap has long been reached.
_MAX_DOUBLINGS = 40


@dataclass(frozen=True)
class Rule:
    """A limit on attempts under one key.

    Without back-off: at most `limit` attempts in any `window` seconds (a sliding window).
    With back-off: after `limit` attempts, each further one waits `backoff`·2^(n − limit) seconds
    (at most `max_backoff`) after the previous one; the count is forgotten after `window` quiet seconds.
    On success the attempt is taken back, and with `reset_on_success` the whole count goes.
    """

    key: str
    limit: int
    window: float
    backoff: float = 0.0
    max_backoff: float = 0.0
    reset_on_success: bool = False

    def unenforced(self) -> Rule:
        """The same count, never refusing (the attempt is still recorded)."""
        return replace(self, limit=UNLIMITED)


@dataclass(frozen=True)
class Attempt:
    rules: tuple[Rule, ...]
    member: str


def backoff_delay(rule: Rule, count: int) -> float:
    if count < rule.limit:
        return 0.0
    return min(rule.backoff * 2.0 ** min(count - rule.limit, _MAX_DOUBLINGS), rule.max_backoff)


class Store(Protocol):
    async def acquire(self, rules: Sequence[Rule], member: str, now: float) -> float:
        """Seconds to wait if any rule refuses (nothing recorded), else 0 and the attempt recorded."""
        ...

    async def release(self, attempt: Attempt) -> None:
        """Take a successful attempt back."""
        ...

    async def remember(self, key: str, seconds: float, now: float) -> None: ...

    async def known(self, key: str, now: float) -> bool: ...

    async def close(self) -> None: ...


class MemoryStore:
    """Counts in this process only: the default, one server process."""

    SWEEP_EVERY = 1000

    def __init__(self) -> None:
        self._windows: dict[str, deque[tuple[float, str]]] = {}
        self._window_lengths: dict[str, float] = {}
        # key -> [count, last attempt, forgotten at]
        self._counters: dict[str, list[float]] = {}
        self._known: dict[str, float] = {}
        self._calls = 0

    def _events(self, rule: Rule, now: float) -> deque[tuple[float, str]]:
        events = self._windows.get(rule.key)
        if events is None:
            return deque()
        while events and events[0][0] <= now - rule.window:
            events.popleft()
        if not events:
            del self._windows[rule.key]
        return events

    def _counter(self, key: str, now: float) -> list[float] | None:
        counter = self._counters.get(key)
        if counter is not None and counter[2] <= now:
            del self._counters[key]
            return None
        return counter

    def _wait(self, rule: Rule, now: float) -> float:
        if rule.backoff:
            counter = self._counter(rule.key, now)
            if counter is None:
                return 0.0
            return counter[1] + backoff_delay(rule, int(counter[0])) - now
        events = self._events(rule, now)
        if len(events) < rule.limit:
            return 0.0
        return events[len(events) - rule.limit][0] + rule.window - now

    def _sweep(self, now: float) -> None:
        self._calls += 1
        if self._calls % self.SWEEP_EVERY:
            return
        for key, events in list(self._windows.items()):
            if not events or events[-1][0] <= now - self._window_lengths.get(key, 0):
                del self._windows[key]
        for key in [k for k in self._window_lengths if k not in self._windows]:
            del self._window_lengths[key]
        for key, counter in list(self._counters.items()):
            if counter[2] <= now:
                del self._counters[key]
        for key, until in list(self._known.items()):
            if until <= now:
                del self._known[key]

    async def acquire(self, rules: Sequence[Rule], member: str, now: float) -> float:
        self._sweep(now)
        wait = max((self._wait(rule, now) for rule in rules), default=0.0)
        if wait > 0:
            return wait
        for rule in rules:
            if rule.backoff:
                counter = self._counter(rule.key, now) or [0, now, now]
                self._counters[rule.key] = [counter[0] + 1, max(counter[1], now), now + rule.window]
            else:
                self._windows.setdefault(rule.key, deque()).append((now, member))
                self._window_lengths[rule.key] = rule.window
        return 0.0

    async def release(self, attempt: Attempt) -> None:
        for rule in attempt.rules:
            if rule.backoff:
                counter = self._counters.get(rule.key)
                if counter is not None:
                    if rule.reset_on_success or counter[0] <= 1:
                        del self._counters[rule.key]
                    else:
                        counter[0] -= 1
                continue
            events = self._windows.get(rule.key)
            if events is None:
                continue
            if rule.reset_on_success:
                del self._windows[rule.key]
            else:
                kept = deque(e for e in events if e[1] != attempt.member)
                if kept:
                    self._windows[rule.key] = kept
                else:
                    del self._windows[rule.key]

    async def remember(self, key: str, seconds: float, now: float) -> None:
        self._known[key] = now + seconds

    async def known(self, key: str, now: float) -> bool:
        until = self._known.get(key)
        return until is not None and until > now

    def clear(self) -> None:
        self._windows.clear()
        self._window_lengths.clear()
        self._counters.clear()
        self._known.clear()

    async def close(self) -> None:
        return None


# KEYS: one per rule. ARGV: now (ms), member, then per rule: limit, window (ms), backoff (ms), cap (ms).
# Sliding windows are sorted sets of attempts scored by time; back-off counts are hashes {n, last}.
_ACQUIRE = """
local now = tonumber(ARGV[1])
local member = ARGV[2]
local wait = 0
for i, key in ipairs(KEYS) do
  local at = 2 + (i - 1) * 4
  local limit, window = tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  local backoff, cap = tonumber(ARGV[at + 3]), tonumber(ARGV[at + 4])
  local w = 0
  if backoff > 0 then
    local n = tonumber(redis.call('HGET', key, 'n') or '0')
    local last = tonumber(redis.call('HGET', key, 'last') or '0')
    if n > 0 and last + window <= now then
      redis.call('DEL', key)
    elseif n >= limit then
      w = last + math.min(backoff * 2 ^ math.min(n - limit, 40), cap) - now
    end
  else
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
    local n = redis.call('ZCARD', key)
    if n >= limit then
      local oldest = redis.call('ZRANGE', key, n - limit, n - limit, 'WITHSCORES')
      w = tonumber(oldest[2]) + window - now
    end
  end
  if w > wait then wait = w end
end
if wait > 0 then return math.ceil(wait) end
for i, key in ipairs(KEYS) do
  local at = 2 + (i - 1) * 4
  local window, backoff = tonumber(ARGV[at + 2]), tonumber(ARGV[at + 3])
  if backoff > 0 then
    redis.call('HINCRBY', key, 'n', 1)
    local last = tonumber(redis.call('HGET', key, 'last') or '0')
    if now > last then redis.call('HSET', key, 'last', now) end
  else
    redis.call('ZADD', key, now, member)
  end
  redis.call('PEXPIRE', key, math.ceil(window))
end
return 0
"""

# KEYS: one per rule. ARGV: member, then per rule: back-off flag (0/1), reset flag (0/1).
_RELEASE = """
local member = ARGV[1]
for i, key in ipairs(KEYS) do
  local backoff, reset = ARGV[2 * i], ARGV[2 * i + 1]
  if reset == '1' then
    redis.call('DEL', key)
  elseif backoff == '1' then
    if tonumber(redis.call('HINCRBY', key, 'n', -1)) <= 0 then redis.call('DEL', key) end
  else
    redis.call('ZREM', key, member)
  end
end
return 0
"""


def _ms(seconds: float) -> int:
    return math.ceil(seconds * 1000)


class RedisStore:
    """Counts shared by every worker through Redis; each check-and-count is one Lua script."""

    def __init__(self, url: str, prefix: str = REDIS_PREFIX) -> None:
        from redis.asyncio import Redis

        self._redis: Redis = Redis.from_url(url)
        self._prefix = prefix
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._release = self._redis.register_script(_RELEASE)

    def _keys(self, rules: Sequence[Rule]) -> list[str]:
        return [self._prefix + rule.key for rule in rules]

    async def acquire(self, rules: Sequence[Rule], member: str, now: float) -> float:
        args: list[str | int] = [_ms(now), member]
        for rule in rules:
            args += [rule.limit, _ms(rule.window), _ms(rule.backoff), _ms(rule.max_backoff)]
        wait_ms = await self._acquire(keys=self._keys(rules), args=args)
        return int(wait_ms) / 1000

    async def release(self, attempt: Attempt) -> None:
        args: list[str | int] = [attempt.member]
        for rule in attempt.rules:
            args += [int(rule.backoff > 0), int(rule.reset_on_success)]
        await self._release(keys=self._keys(attempt.rules), args=args)

    async def remember(self, key: str, seconds: float, now: float) -> None:
        await self._redis.set(self._prefix + key, 1, px=_ms(seconds))

    async def known(self, key: str, now: float) -> bool:
        return bool(await self._redis.exists(self._prefix + key))

    async def close(self) -> None:
        await self._redis.aclose()


class Limiter:
    """Counts attempts in its store; should the store (Redis) fail, in this process's memory meanwhile."""

    def __init__(self, store: Store | None = None, clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._fallback = MemoryStore()
        self.clock = clock

    @property
    def store(self) -> Store:
        if self._store is None:
            url = get_settings().redis_url
            self._store = RedisStore(url) if url else MemoryStore()
        return self._store

    async def acquire(self, rules: Sequence[Rule]) -> Attempt:
        """Count an attempt under every rule, or raise TooManyRequests (counting nothing)."""
        attempt = Attempt(tuple(rules), secrets.token_hex(8))
        now = self.clock()
        try:
            wait = await self.store.acquire(attempt.rules, attempt.member, now)
        except Exception as exc:
            log.warning("auth: attempt limits unavailable (%s); counting in this process", exc)
            wait = await self._fallback.acquire(attempt.rules, attempt.member, now)
        if wait > 0:
            raise TooManyRequests(max(1, math.ceil(wait)))
        return attempt

    async def release(self, attempt: Attempt) -> None:
        for store in (self.store, self._fallback):
            try:
                await store.release(attempt)
            except Exception as exc:
                log.warning("auth: could not take back a successful attempt (%s)", exc)

    async def remember(self, key: str, seconds: float) -> None:
        try:
            await self.store.remember(key, seconds, self.clock())
        except Exception as exc:
            log.warning("auth: could not remember a known address (%s)", exc)

    async def known(self, key: str) -> bool:
        try:
            return await self.store.known(key, self.clock())
        except Exception as exc:
            log.warning("auth: could not look up a known address (%s)", exc)
            return False

    def clear(self) -> None:
        """Forget every count held in memory (tests)."""
        self._fallback.clear()
        if isinstance(self._store, MemoryStore):
            self._store.clear()

    async def close(self) -> None:
        if self._store is not None:
            await self._store.close()
        self._store = None


def _digest(text: str) -> str:
    """Keys name a username by digest: bounded in length whatever was typed, and not readable in Redis."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class AuthLimits(Limiter):
    """The limits on password guessing.

    Logins: per username and address a low hard limit, per address a medium one, and per username a
    higher one past which attempts are slowed by exponential back-off rather than locked. An address
    the user signed in from recently is spared the username's back-off, so an attacker elsewhere
    hammering the name neither gets far nor locks the real user out.
    Password changes: a hard limit per user on wrong current passwords.
    """

    async def begin_login(self, username: str, address: str) -> Attempt:
        s = get_settings()
        name = _digest(username)
        pair = Rule(f"login:pair:{name}:{address}", s.login_max_attempts, s.login_window_seconds, reset_on_success=True)
        by_address = Rule(f"login:addr:{address}", s.login_ip_max_attempts, s.login_window_seconds)
        by_user = Rule(
            f"login:user:{name}",
            s.login_user_max_attempts,
            s.login_user_window_seconds,
            backoff=s.login_backoff_seconds,
            max_backoff=s.login_backoff_max_seconds,
        )
        if s.login_known_address_days and await self.known(f"login:known:{name}:{address}"):
            by_user = by_user.unenforced()
        return await self.acquire([pair, by_address, by_user])

    async def login_succeeded(self, attempt: Attempt, username: str, address: str) -> None:
        await self.release(attempt)
        days = get_settings().login_known_address_days
        if days:
            await self.remember(f"login:known:{_digest(username)}:{address}", days * 86_400)

    async def begin_password_check(self, user_id: int) -> Attempt:
        s = get_settings()
        rule = Rule(
            f"password:{user_id}",
            s.password_change_max_attempts,
            s.password_change_window_seconds,
            reset_on_success=True,
        )
        return await self.acquire([rule])
