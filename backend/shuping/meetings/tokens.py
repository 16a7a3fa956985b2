"""One-time ballot tokens and receipts: random, and stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets

# 16 random bytes = 128 bits, URL-safe for the QR link /vote/<token>.
TOKEN_BYTES = 16
_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed from paper


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_receipts(n: int) -> list[str]:
    """`n` 10-character codes (50 bits each) an evaluator can look up in the published tally.

    The random bytes of all of them are read at once: each read is a system call (≈ 10 µs here),
    and the ballot writer draws hundreds of codes a second."""
    raw = secrets.token_bytes(7 * n)
    # 32 letters: each takes exactly 5 random bits, so every code is equally likely.
    return [
        "".join(_RECEIPT_ALPHABET[(bits >> (5 * i)) & 31] for i in range(10))
        for bits in (int.from_bytes(raw[k : k + 7], "big") for k in range(0, 7 * n, 7))
    ]


def new_receipt() -> str:
    return new_receipts(1)[0]


def new_ballot_ids(n: int) -> list[str]:
    """`n` random 128-bit ballot ids (32 hex digits), their bytes read at once."""
    raw = secrets.token_hex(16 * n)
    return [raw[k : k + 32] for k in range(0, 32 * n, 32)]


def new_ballot_id() -> str:
    return new_ballot_ids(1)[0]


def idempotency_digest(principal: str, meeting_id: int, key: str) -> str:
    """Who asked and the client's key, hashed together: whoever knows a code or a person, but not the
    random key their phone chose, cannot find their replay record (nor its receipt)."""
    return hashlib.sha256(f"idem:{meeting_id}:{principal}\x00{key}".encode()).hexdigest()
