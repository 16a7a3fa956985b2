"""User administration: the people of each organisation, their roles, deactivation.

Here rather than in auth because a user is placed in the organisation tree: auth signs people in,
orgs decides who belongs where.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.audit import service as audit
from shuping.auth import passwords
from shuping.auth import service as auth_service
from shuping.auth.models import Role, User
from shuping.auth.schemas import UserCreate, UserUpdate
from shuping.core.errors import Conflict, FieldError
from shuping.core.i18n import N_
from shuping.core.pagination import paginate
from shuping.orgs import service as orgs_service


async def list_users(
    session: AsyncSession,
    *,
    org_id: int | None,
    role: Role | None,
    q: str | None,
    include_inactive: bool,
    limit: int,
    offset: int,
) -> tuple[Sequence[User], int]:
    stmt = select(User).options(selectinload(User.org)).order_by(User.id)
    if org_id is not None:
        stmt = stmt.where(User.org_id == org_id)
    if role is not None:
        stmt = stmt.where(User.role == role)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(User.username.ilike(like), User.full_name.ilike(like)))
    if not include_inactive:
        stmt = stmt.where(User.is_active.is_(True))
    return await paginate(session, stmt, limit=limit, offset=offset)


async def _check_username_free(session: AsyncSession, username: str) -> None:
    taken = await session.scalar(select(User.id).where(func.lower(User.username) == username.lower()))
    if taken is not None:
        raise Conflict(
            N_("Username {username!r} is taken", username=username),
            errors=[{"loc": ["body", "username"], "msg": N_("taken")}],
        )


async def _check_org(session: AsyncSession, org_id: int) -> None:
    if not await orgs_service.exists(session, org_id):
        raise FieldError(["body", "org_id"], N_("Organisation {org_id} does not exist", org_id=org_id))


async def create_user(session: AsyncSession, *, user_in: UserCreate, actor: User) -> User:
    await _check_username_free(session, user_in.username)
    await _check_org(session, user_in.org_id)
    user = User(
        username=user_in.username,
        full_name=user_in.full_name,
        password_hash=await passwords.hash_password(user_in.password),
        role=user_in.role,
        org_id=user_in.org_id,
    )
    session.add(user)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="user.create",
        entity_type="user",
        entity_id=user.id,
        data={"username": user.username, "role": user.role, "org_id": user.org_id},
    )
    return await auth_service.get_user(session, user.id)


async def update_user(session: AsyncSession, *, user: User, user_in: UserUpdate, actor: User) -> User:
    changes = user_in.model_dump(exclude_unset=True)
    for field in ("full_name", "role", "org_id", "is_active"):
        if changes.get(field, None) is None:
            changes.pop(field, None)
    if "org_id" in changes:
        await _check_org(session, changes["org_id"])
    if user.id == actor.id and (changes.get("is_active") is False or changes.get("role", Role.admin) != Role.admin):
        raise Conflict(N_("An administrator cannot deactivate or demote their own account"))
    if user.id == actor.id and changes.get("password") is not None:
        raise Conflict(N_("Change your own password with POST /api/v1/auth/password, which asks for the current one"))
    password = changes.pop("password", None)
    for field, value in changes.items():
        setattr(user, field, value)
    if password is not None or changes.get("is_active") is False:
        user.token_version += 1
        await auth_service.revoke_refresh_tokens(session, user.id)
    if password is not None:
        user.password_hash = await passwords.hash_password(password)
    await session.flush()
    audited = {k: v for k, v in changes.items()}
    if password is not None:
        audited["password"] = "changed"
    await audit.record(session, actor=actor, action="user.update", entity_type="user", entity_id=user.id, data=audited)
    return await auth_service.get_user(session, user.id)
