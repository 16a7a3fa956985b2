"""Argon2 password hashing, off the event loop and with bounded concurrency."""

from __future__ import annotations

import anyio
from pwdlib import PasswordHash

from shuping.config import get_settings

_hasher = PasswordHash.recommended()
_limiter: anyio.CapacityLimiter | None = None
# Verified when the username is unknown, so that such a login costs the same time.
_DUMMY_HASH = _hasher.hash("shuping-timing-equaliser")


def _capacity() -> anyio.CapacityLimiter:
    global _limiter
    if _limiter is None:
        _limiter = anyio.CapacityLimiter(get_settings().password_hash_concurrency)
    return _limiter


def hash_sync(password: str) -> str:
    return _hasher.hash(password)


async def hash_password(password: str) -> str:
    return await anyio.to_thread.run_sync(_hasher.hash, password, limiter=_capacity())


async def verify_password(password: str, password_hash: str | None) -> bool:
    """Check a password; with no hash, spend the same time and answer no."""
    target = password_hash or _DUMMY_HASH
    ok = await anyio.to_thread.run_sync(_hasher.verify, password, target, limiter=_capacity())
    return bool(ok) and password_hash is not None
