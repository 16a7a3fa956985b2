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


def new_receipt() -> str:
    """A 10-character code (50 bits) an evaluator can look up in the published tally."""
    # 32 letters: each takes exactly 5 random bits, so every code is equally likely.
    bits = int.from_bytes(secrets.token_bytes(7), "big")
    return "".join(_RECEIPT_ALPHABET[(bits >> (5 * i)) & 31] for i in range(10))


def new_ballot_id() -> str:
    return secrets.token_hex(16)


def idempotency_scope(principal: str, meeting_id: int) -> str:
    """Who asked, hashed: a token holder's scope cannot be derived from the stored token hash."""
    return hashlib.sha256(f"idem:{meeting_id}:{principal}".encode()).hexdigest()
