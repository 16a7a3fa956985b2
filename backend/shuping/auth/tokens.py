"""JWT access and refresh tokens: the only module that imports jose."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from jose import JWTError, jwt

from shuping.config import get_settings
from shuping.db import utcnow

ALGORITHM = "HS256"
_REQUIRED = ("exp", "iat", "sub", "aud", "iss")


class TokenType(StrEnum):
    access = "access"
    refresh = "refresh"


class InvalidToken(Exception):
    """The token is malformed, forged, expired or of the wrong kind."""


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    token_type: TokenType
    version: int
    jti: str = ""


@dataclass(frozen=True)
class IssuedRefresh:
    token: str
    jti: str
    expires_at: datetime


def issue(user_id: int, token_type: TokenType, version: int) -> tuple[str, int]:
    """Return a signed token and its lifetime in seconds."""
    token, lifetime, _jti = _issue(user_id, token_type, version)
    return token, lifetime


def issue_refresh(user_id: int, version: int) -> IssuedRefresh:
    """A refresh token with the random id (128 bits) under which the server records it."""
    token, lifetime, jti = _issue(user_id, TokenType.refresh, version)
    return IssuedRefresh(token, jti, utcnow() + timedelta(seconds=lifetime))


def _issue(user_id: int, token_type: TokenType, version: int) -> tuple[str, int, str]:
    settings = get_settings()
    lifetime = (
        timedelta(minutes=settings.access_token_minutes)
        if token_type is TokenType.access
        else timedelta(days=settings.refresh_token_days)
    )
    now = utcnow()
    jti = secrets.token_urlsafe(16)
    claims: dict[str, Any] = {
        "sub": str(user_id),
        "typ": token_type.value,
        "ver": version,
        "iat": int(now.timestamp()),
        "exp": int((now + lifetime).timestamp()),
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "jti": jti,
    }
    token = jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)
    return token, int(lifetime.total_seconds()), jti


def decode(token: str, expected: TokenType) -> TokenClaims:
    settings = get_settings()
    try:
        # jose would honour the token's own header otherwise; only HS256 is ever accepted.
        if jwt.get_unverified_header(token).get("alg") != ALGORITHM:
            raise InvalidToken("unexpected algorithm")
        claims = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[ALGORITHM],
            audience=settings.jwt_audience,
            issuer=settings.jwt_issuer,
            options={f"require_{c}": True for c in _REQUIRED},
        )
        if claims.get("typ") != expected.value:
            raise InvalidToken("wrong token type")
        jti = claims.get("jti")
        return TokenClaims(
            int(claims["sub"]), expected, int(claims.get("ver", -1)), jti if isinstance(jti, str) else ""
        )
    except (JWTError, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise InvalidToken(str(exc)) from exc
