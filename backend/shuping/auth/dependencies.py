"""Who is calling, and may they: authentication and role checks as dependencies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path
from fastapi.security import OAuth2PasswordBearer

from shuping.auth import service, tokens
from shuping.auth.models import STAFF_ROLES, Role, User
from shuping.auth.scope import is_county_staff
from shuping.core.dependencies import SessionDep
from shuping.core.errors import Forbidden, Unauthorized
from shuping.core.schemas import MAX_ID

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def current_user(session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]) -> User:
    if not token:
        raise Unauthorized("A bearer token is required")
    return await service.user_from_token(session, token, tokens.TokenType.access)


CurrentUser = Annotated[User, Depends(current_user)]


class RequireRole:
    """Depend on this to let only the named roles through."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles)

    async def __call__(self, user: CurrentUser) -> User:
        if user.role not in self.roles:
            raise Forbidden(f"This needs one of the roles: {', '.join(sorted(self.roles))}")
        return user


class RequireCountyStaff:
    """Depend on this to let only the organisation department through (administrators and clerks
    of a department; see `scope.is_county_staff`), and the extra roles named."""

    def __init__(self, *also: Role) -> None:
        self.also = frozenset(also)

    async def __call__(self, user: CurrentUser) -> User:
        if not is_county_staff(user) and user.role not in self.also:
            raise Forbidden("Only the organisation department may do this")
        return user


AdminUser = Annotated[User, Depends(RequireRole(Role.admin))]
StaffUser = Annotated[User, Depends(RequireRole(*STAFF_ROLES))]
CountyStaffUser = Annotated[User, Depends(RequireCountyStaff())]


async def target_user(session: SessionDep, user_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> User:
    return await service.get_user(session, user_id)


TargetUser = Annotated[User, Depends(target_user)]
