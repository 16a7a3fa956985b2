"""Who is calling, and may they: authentication and role checks as dependencies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from shuping.auth import service, tokens
from shuping.auth.models import STAFF_ROLES, Role, User
from shuping.core.dependencies import SessionDep
from shuping.core.errors import Forbidden, Unauthorized
from shuping.core.i18n import N_

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


_FOR_INTEGRATION = "_shuping_for_integration"
Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def for_integration(endpoint: Endpoint) -> Endpoint:
    """Mark an endpoint an integration account may call: the sync endpoints and its own account.
    Every other endpoint refuses such an account (DESIGN §8)."""
    setattr(endpoint, _FOR_INTEGRATION, True)
    return endpoint


async def current_user(
    request: Request, session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User:
    if not token:
        raise Unauthorized(N_("A bearer token is required"))
    user = await service.user_from_token(session, token, tokens.TokenType.access)
    if user.role == Role.integration:
        endpoint = getattr(request.scope.get("route"), "endpoint", None)
        if not getattr(endpoint, _FOR_INTEGRATION, False):
            raise Forbidden(N_("An integration account may call the sync endpoints only"))
    return user


CurrentUser = Annotated[User, Depends(current_user)]


class RequireRole:
    """Depend on this to let only the named roles through."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles)

    async def __call__(self, user: CurrentUser) -> User:
        if user.role not in self.roles:
            raise Forbidden(N_("This needs one of the roles: {items}", items=", ".join(sorted(self.roles))))
        return user


AdminUser = Annotated[User, Depends(RequireRole(Role.admin))]
StaffUser = Annotated[User, Depends(RequireRole(*STAFF_ROLES))]
