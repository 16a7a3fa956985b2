"""Attempt limits: logins slow an attacker without locking the real user out; password changes are
limited; with Redis every worker shares the counts."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.ratelimit import UNLIMITED, AuthLimits, Limiter, MemoryStore, RedisStore, Rule, Store
from shuping.auth.service import limits
from shuping.config import get_settings
from shuping.core.errors import TooManyRequests
from shuping.main import app
from tests.support.builders import DEMO_PASSWORD, auth_headers, make_user
from tests.support.languages import ENGLISH

REDIS_URL = os.environ.get("SHUPING_TEST_REDIS_URL")
TOKEN_URL = "/api/v1/auth/token"


@asynccontextmanager
async def client_at(address: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client calling from another address (the `client` fixture calls from 203.0.113.7)."""
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=ENGLISH) as c:
        yield c


async def login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(TOKEN_URL, data={"username": username, "password": password})


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(limits, "clock", fake)
    return fake


async def test_wrong_logins_from_one_address_do_not_lock_out_another(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    for _ in range(get_settings().login_max_attempts):
        assert (await login(client, "deputy01", "bad-password")).status_code == 401
    assert (await login(client, "deputy01", DEMO_PASSWORD)).status_code == 429
    async with client_at("198.51.100.20") as own:
        assert (await login(own, "deputy01", DEMO_PASSWORD)).status_code == 200


async def test_an_attack_from_many_addresses_only_delays_the_username(
    session: AsyncSession, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = get_settings()
    monkeypatch.setattr(settings, "login_user_max_attempts", 4)
    monkeypatch.setattr(settings, "login_backoff_seconds", 2.0)
    monkeypatch.setattr(settings, "login_backoff_max_seconds", 8.0)
    user = await make_user(session, username="target")
    # Four failures, each from a different address: no address nor pair reaches its own limit.
    for i in range(4):
        async with client_at(f"192.0.2.{i + 1}") as bot:
            assert (await login(bot, user.username, "guess-password")).status_code == 401
    waits = []
    for i in range(6):
        async with client_at(f"192.0.2.{i + 10}") as bot:
            r = await login(bot, user.username, "guess-password")
            assert r.status_code == 429
            waits.append(int(r.headers["retry-after"]))
            # Attempts refused while waiting do not count: the wait is unchanged.
            assert int((await login(bot, user.username, "guess-password")).headers["retry-after"]) == waits[-1]
            clock.now += waits[-1]
            assert (await login(bot, user.username, "guess-password")).status_code == 401
    # Exponential, capped: a delay, never a lock.
    assert waits == [2, 4, 8, 8, 8, 8]
    clock.now += 8
    async with client_at("198.51.100.30") as fresh:
        assert (await login(fresh, user.username, DEMO_PASSWORD)).status_code == 200


async def test_the_users_known_address_is_spared_the_back_off(
    session: AsyncSession, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "login_user_max_attempts", 3)
    user = await make_user(session, username="regular")
    async with client_at("198.51.100.40") as own:
        assert (await login(own, user.username, DEMO_PASSWORD)).status_code == 200
        for i in range(6):
            async with client_at(f"192.0.2.{i + 50}") as bot:
                await login(bot, user.username, "guess-password")
        async with client_at("192.0.2.99") as bot:
            assert (await login(bot, user.username, "guess-password")).status_code == 429
        # The real user, from where they signed in before, with the right password: straight in.
        assert (await login(own, user.username, DEMO_PASSWORD)).status_code == 200


async def test_sixth_wrong_current_password_is_429(client: httpx.AsyncClient, session: AsyncSession) -> None:
    user = await make_user(session)
    headers = auth_headers(user)
    wrong = {"current_password": "not-my-password", "new_password": "another-password-1"}
    for _ in range(get_settings().password_change_max_attempts):
        r = await client.post("/api/v1/auth/password", json=wrong, headers=headers)
        assert r.status_code == 400
    r = await client.post("/api/v1/auth/password", json=wrong, headers=headers)
    assert r.status_code == 429
    assert int(r.headers["retry-after"]) > 0
    assert r.headers["content-type"].startswith("application/problem+json")
    right = {"current_password": DEMO_PASSWORD, "new_password": "another-password-1"}
    assert (await client.post("/api/v1/auth/password", json=right, headers=headers)).status_code == 429
    # Another user is not limited by this one.
    other = await make_user(session)
    assert (await client.post("/api/v1/auth/password", json=right, headers=auth_headers(other))).status_code == 200


async def test_a_right_current_password_clears_the_count(client: httpx.AsyncClient, session: AsyncSession) -> None:
    user = await make_user(session)
    wrong = {"current_password": "not-my-password", "new_password": "another-password-1"}
    for _ in range(get_settings().password_change_max_attempts - 1):
        await client.post("/api/v1/auth/password", json=wrong, headers=auth_headers(user))
    right = {"current_password": DEMO_PASSWORD, "new_password": "another-password-1"}
    r = await client.post("/api/v1/auth/password", json=right, headers=auth_headers(user))
    assert r.status_code == 200
    await session.refresh(user)
    for _ in range(get_settings().password_change_max_attempts):
        r = await client.post("/api/v1/auth/password", json=wrong, headers=auth_headers(user))
        assert r.status_code == 400


# The store's rules, table-driven against memory and (when available) Redis.

StoreFactory = Callable[[], Awaitable[Store]]


@pytest.fixture(params=["memory", "redis"])
async def stores(request: pytest.FixtureRequest) -> AsyncIterator[StoreFactory]:
    """Make stores as two workers would have them: one shared memory store, or separate Redis clients."""
    if request.param == "memory":
        shared = MemoryStore()

        async def memory() -> Store:
            return shared

        yield memory
        return
    if not REDIS_URL:
        pytest.skip("SHUPING_TEST_REDIS_URL not set")
    prefix = f"shuping:test:{secrets.token_hex(4)}:"
    made: list[RedisStore] = []

    async def redis() -> Store:
        made.append(RedisStore(REDIS_URL, prefix=prefix))
        return made[-1]

    yield redis
    from redis.asyncio import Redis

    cleaner = Redis.from_url(REDIS_URL)
    async for key in cleaner.scan_iter(match=prefix + "*"):
        await cleaner.delete(key)
    await cleaner.aclose()
    for store in made:
        await store.close()


async def test_sliding_window(stores: StoreFactory) -> None:
    clock = Clock()
    a, b = Limiter(await stores(), clock), Limiter(await stores(), clock)
    rule = Rule("w", limit=3, window=10)
    await a.acquire([rule])
    clock.now += 4
    await b.acquire([rule])
    await a.acquire([rule])
    with pytest.raises(TooManyRequests) as refused:
        await b.acquire([rule])
    assert refused.value.headers == {"Retry-After": "6"}
    clock.now += 6.001
    await b.acquire([rule])
    with pytest.raises(TooManyRequests):
        await a.acquire([rule])


async def test_back_off_doubles_up_to_its_cap_and_is_forgotten_after_a_quiet_window(stores: StoreFactory) -> None:
    clock = Clock()
    a, b = Limiter(await stores(), clock), Limiter(await stores(), clock)
    rule = Rule("b", limit=2, window=100, backoff=1, max_backoff=4)
    await a.acquire([rule])
    await b.acquire([rule])
    for expected in (1, 2, 4, 4):
        with pytest.raises(TooManyRequests) as refused:
            await (a if expected % 2 else b).acquire([rule])
        assert refused.value.headers == {"Retry-After": str(expected)}
        clock.now += expected
        await a.acquire([rule])
    clock.now += 100
    await b.acquire([rule])
    await b.acquire([rule])


async def test_success_takes_the_attempt_back(stores: StoreFactory) -> None:
    clock = Clock()
    a, b = Limiter(await stores(), clock), Limiter(await stores(), clock)
    shared = Rule("s", limit=2, window=60)
    pair = Rule("p", limit=2, window=60, reset_on_success=True)
    backoff = Rule("u", limit=2, window=60, backoff=30, max_backoff=30)
    await a.acquire([shared, pair, backoff])
    ok = await b.acquire([shared, pair, backoff])
    await a.release(ok)
    # `shared` and `backoff` hold one attempt, `pair` none.
    await a.acquire([pair])
    await a.acquire([pair])
    await b.acquire([shared])
    with pytest.raises(TooManyRequests):
        await a.acquire([shared])
    await a.acquire([backoff])
    with pytest.raises(TooManyRequests):
        await a.acquire([backoff])


async def test_parallel_attempts_cannot_pass_the_limit_together(stores: StoreFactory) -> None:
    workers = [Limiter(await stores()) for _ in range(2)]
    rule = Rule("parallel", limit=5, window=60)

    async def attempt(i: int) -> bool:
        try:
            await workers[i % 2].acquire([rule])
        except TooManyRequests:
            return False
        return True

    assert sum(await asyncio.gather(*(attempt(i) for i in range(20)))) == 5


async def test_two_workers_share_login_limits_through_redis() -> None:
    if not REDIS_URL:
        pytest.skip("SHUPING_TEST_REDIS_URL not set")
    prefix = f"shuping:test:{secrets.token_hex(4)}:"
    one, two = AuthLimits(RedisStore(REDIS_URL, prefix)), AuthLimits(RedisStore(REDIS_URL, prefix))
    try:
        for i in range(get_settings().login_max_attempts):
            await (one if i % 2 else two).begin_login("shared-user", "192.0.2.7")
        with pytest.raises(TooManyRequests):
            await one.begin_login("shared-user", "192.0.2.7")
        with pytest.raises(TooManyRequests):
            await two.begin_login("shared-user", "192.0.2.7")
        # A success in one worker is known to the other.
        attempt = await one.begin_login("shared-user", "198.51.100.1")
        await one.login_succeeded(attempt, "shared-user", "198.51.100.1")
        assert await two.known(next(iter(await _known_keys(prefix))).removeprefix(prefix))
    finally:
        from redis.asyncio import Redis

        cleaner = Redis.from_url(REDIS_URL)
        async for key in cleaner.scan_iter(match=prefix + "*"):
            await cleaner.delete(key)
        await cleaner.aclose()
        await one.close()
        await two.close()


async def _known_keys(prefix: str) -> list[str]:
    from redis.asyncio import Redis

    assert REDIS_URL
    r = Redis.from_url(REDIS_URL, decode_responses=True)
    keys = [k async for k in r.scan_iter(match=prefix + "login:known:*")]
    await r.aclose()
    return keys


async def test_limits_fall_back_to_memory_when_redis_is_unreachable() -> None:
    limiter = Limiter(RedisStore("redis://127.0.0.1:1/0"))
    rule = Rule("down", limit=2, window=60)
    await limiter.acquire([rule])
    await limiter.acquire([rule])
    with pytest.raises(TooManyRequests):
        await limiter.acquire([rule])
    await limiter.close()


async def test_memory_store_forgets_idle_keys() -> None:
    store = MemoryStore()
    clock = Clock()
    limiter = Limiter(store, clock)
    for i in range(50):
        await limiter.acquire([Rule(f"w{i}", limit=5, window=10), Rule(f"b{i}", 5, 10, backoff=1, max_backoff=2)])
        await limiter.remember(f"k{i}", 10)
    clock.now += 11
    for _ in range(MemoryStore.SWEEP_EVERY):
        await limiter.acquire([Rule("other", limit=UNLIMITED, window=1)])
    assert set(store._windows) == {"other"}
    assert set(store._window_lengths) == {"other"}
    assert store._counters == {} and store._known == {}
