"""Standard Webhooks signatures: sign and verify `{id}.{timestamp}.{raw body}` (pure, no I/O)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass

SECRET_PREFIX = "whsec_"
SIGNATURE_VERSION = "v1"
DEFAULT_TOLERANCE_SECONDS = 300
MAX_MESSAGE_ID_LENGTH = 128


class InvalidSignature(Exception):
    """The message is not authentic or not fresh; the reason is safe to show the sender."""


def parse_secret(value: str) -> bytes:
    """A `whsec_` secret is base64 after the prefix; any other value is its UTF-8 bytes."""
    if value.startswith(SECRET_PREFIX):
        try:
            key = base64.b64decode(value[len(SECRET_PREFIX) :], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("a whsec_ secret must be base64 after the prefix") from exc
    else:
        key = value.encode()
    if not key:
        raise ValueError("the webhook secret is empty")
    return key


def sign(key: bytes, msg_id: str, timestamp: int | str, body: bytes) -> str:
    """The `v1,<base64 HMAC-SHA256>` signature of a message."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode()}"


@dataclass(frozen=True)
class VerifiedMessage:
    msg_id: str
    timestamp: int


def verify(
    keys: Sequence[bytes],
    *,
    msg_id: str | None,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: int,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> VerifiedMessage:
    """Check headers and signature against any of the keys (two during a rotation)."""
    if not msg_id or not timestamp or not signature:
        raise InvalidSignature("webhook-id, webhook-timestamp and webhook-signature headers are required")
    if len(msg_id) > MAX_MESSAGE_ID_LENGTH:
        raise InvalidSignature("webhook-id is too long")
    if not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise InvalidSignature("webhook-timestamp must be whole unix seconds")
    ts = int(timestamp)
    if abs(now - ts) > tolerance:
        raise InvalidSignature("webhook-timestamp is too far from the current time")
    if not keys:
        raise InvalidSignature("no webhook secret is configured")
    # Compare every candidate in full, never stopping early on a match of another version.
    expected = [sign(key, msg_id, timestamp, body).encode() for key in keys]
    matched = False
    for candidate in signature.split():
        version, _, _ = candidate.partition(",")
        if version != SIGNATURE_VERSION:
            continue
        for good in expected:
            matched |= hmac.compare_digest(candidate.encode(), good)
    if not matched:
        raise InvalidSignature("the signature does not match")
    return VerifiedMessage(msg_id=msg_id, timestamp=ts)
