"""Sign-in, token refresh and one's own password (user administration is orgs.people)."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.audit import service as audit
from shuping.auth import passwords, tokens
from shuping.auth.errors import InvalidCredentials, InvalidTokenError, RefreshTokenReused
from shuping.auth.models import RefreshToken, User
from shuping.auth.ratelimit import AuthLimits
from shuping.auth.schemas import TokenPair
from shuping.core.errors import FieldError, NotFound
from shuping.core.i18n import N_
from shuping.db import utcnow

# Attempt limits on logins and password changes (Redis when SHUPING_REDIS_URL is set).
limits = AuthLimits()


def _with_org() -> Select[User]:
    return select(User).options(selectinload(User.org))


async def get_user(session: AsyncSession, user_id: int) -> User:
    stmt = _with_org().where(User.id == user_id).execution_options(populate_existing=True)
    user = (await session.execute(stmt)).scalar_one_or_none()
    if user is None:
        raise NotFound(N_("User {user_id} does not exist", user_id=user_id))
    return user


def _jti_hash(jti: str) -> str:
    return hashlib.sha256(jti.encode()).hexdigest()


async def _issue_pair(session: AsyncSession, user: User, family_id: str | None = None) -> TokenPair:
    """An access token and a refresh token, the latter recorded (by hash) in its family: a new one
    for a login, the used token's for a refresh."""
    access, lifetime = tokens.issue(user.id, tokens.TokenType.access, user.token_version)
    refresh = tokens.issue_refresh(user.id, user.token_version)
    session.add(
        RefreshToken(
            jti_hash=_jti_hash(refresh.jti),
            family_id=family_id or secrets.token_hex(16),
            user_id=user.id,
            expires_at=refresh.expires_at,
        )
    )
    await session.flush()
    return TokenPair(access_token=access, refresh_token=refresh.token, expires_in=lifetime)


async def _purge_expired_refresh_tokens(session: AsyncSession) -> None:
    await session.execute(delete(RefreshToken).where(RefreshToken.expires_at <= utcnow()))


async def revoke_refresh_tokens(session: AsyncSession, user_id: int) -> None:
    """Forget every refresh token of a user (their token_version has moved on, so none would work)."""
    await session.execute(delete(RefreshToken).where(RefreshToken.user_id == user_id))


async def login(session: AsyncSession, *, username: str, password: str, address: str) -> TokenPair:
    """Check a password login, audit it either way, and issue tokens."""
    key = username.strip().lower()
    attempt = await limits.begin_login(key, address)
    user = (await session.execute(_with_org().where(func.lower(User.username) == key))).scalar_one_or_none()
    ok = await passwords.verify_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.is_active:
        # The attempt stays counted.
        await audit.record(
            session,
            actor=None,
            actor_name=username[:100],
            action="auth.login_failed",
            entity_type="user",
            entity_id=user.id if user else None,
            data={"address": address},
        )
        raise InvalidCredentials()
    await limits.login_succeeded(attempt, key, address)
    await audit.record(
        session, actor=user, action="auth.login", entity_type="user", entity_id=user.id, data={"address": address}
    )
    await _purge_expired_refresh_tokens(session)
    return await _issue_pair(session, user)


async def user_from_token(session: AsyncSession, token: str, expected: tokens.TokenType) -> User:
    try:
        claims = tokens.decode(token, expected)
    except tokens.InvalidToken as exc:
        raise InvalidTokenError() from exc
    user = (await session.execute(_with_org().where(User.id == claims.user_id))).scalar_one_or_none()
    if user is None or not user.is_active or user.token_version != claims.version:
        raise InvalidTokenError()
    return user


async def refresh(session: AsyncSession, refresh_token: str) -> TokenPair:
    """Use a refresh token once: it is marked used and the next of its family issued.

    A used token shown again means two parties hold it (a thief and the user): its whole family is
    deleted, so both must sign in again.
    """
    try:
        claims = tokens.decode(refresh_token, tokens.TokenType.refresh)
    except tokens.InvalidToken as exc:
        raise InvalidTokenError() from exc
    digest = _jti_hash(claims.jti)
    now = utcnow()
    # Conditional, so two concurrent uses cannot both succeed: the second finds the token used.
    family_id = (
        await session.execute(
            update(RefreshToken)
            .where(
                RefreshToken.jti_hash == digest,
                RefreshToken.user_id == claims.user_id,
                RefreshToken.used_at.is_(None),
                RefreshToken.expires_at > now,
            )
            .values(used_at=now)
            .returning(RefreshToken.family_id)
        )
    ).scalar_one_or_none()
    if family_id is None:
        used = (
            await session.execute(
                select(RefreshToken.family_id).where(
                    RefreshToken.jti_hash == digest,
                    RefreshToken.user_id == claims.user_id,
                    RefreshToken.used_at.is_not(None),
                )
            )
        ).scalar_one_or_none()
        if used is not None:
            await session.execute(delete(RefreshToken).where(RefreshToken.family_id == used))
            await audit.record(
                session,
                actor=None,
                action="auth.refresh_reused",
                entity_type="user",
                entity_id=claims.user_id,
            )
            raise RefreshTokenReused()
        raise InvalidTokenError()
    user = await user_from_token(session, refresh_token, tokens.TokenType.refresh)
    await _purge_expired_refresh_tokens(session)
    return await _issue_pair(session, user, family_id)


async def change_own_password(session: AsyncSession, *, user: User, current: str, new: str) -> TokenPair:
    """Change the caller's password; every older token stops working, new ones are issued.

    Wrong current passwords are limited like logins (429 past the limit).
    """
    attempt = await limits.begin_password_check(user.id)
    if not await passwords.verify_password(current, user.password_hash):
        raise FieldError(["body", "current_password"], N_("The current password is wrong"))
    await limits.release(attempt)
    if current == new:
        raise FieldError(["body", "new_password"], N_("The new password must differ from the current one"))
    user.password_hash = await passwords.hash_password(new)
    user.token_version += 1
    await revoke_refresh_tokens(session, user.id)
    await session.flush()
    await audit.record(session, actor=user, action="user.password_change", entity_type="user", entity_id=user.id)
    return await _issue_pair(session, user)
