"""Routes for login, tokens and user administration."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from shuping.auth import service
from shuping.auth.dependencies import AdminUser, CurrentUser, TargetUser, for_integration
from shuping.auth.models import Role
from shuping.auth.schemas import PasswordChange, RefreshIn, TokenPair, UserCreate, UserRead, UserUpdate
from shuping.core.dependencies import SessionDep
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.core.schemas import DbId, Page

auth_router = Router(prefix="/auth", tags=["auth"])
users_router = Router(prefix="/users", tags=["users"])


@auth_router.post(
    "/token",
    response_model=TokenPair,
    summary="Log in with username and password (OAuth2 password flow)",
    responses=problems(401, 422, 429),
)
async def token(
    session: SessionDep, request: Request, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> TokenPair:
    address = request.client.host if request.client else "unknown"
    return await service.login(session, username=form.username, password=form.password, address=address)


@auth_router.post(
    "/refresh",
    response_model=TokenPair,
    summary="Exchange a refresh token for a new pair (the one sent stops working)",
    responses=problems(401, 422),
)
async def refresh(session: SessionDep, body: RefreshIn) -> TokenPair:
    return await service.refresh(session, body.refresh_token)


@auth_router.get("/me", response_model=UserRead, summary="The logged-in user", responses=problems(401))
@for_integration
async def me(user: CurrentUser) -> UserRead:
    return UserRead.model_validate(user)


@auth_router.post(
    "/password",
    response_model=TokenPair,
    summary="Change your own password (older tokens stop working)",
    responses=problems(400, 401, 422, 429),
)
@for_integration
async def change_password(session: SessionDep, user: CurrentUser, body: PasswordChange) -> TokenPair:
    return await service.change_own_password(session, user=user, current=body.current_password, new=body.new_password)


@users_router.get("", response_model=Page[UserRead], summary="List users", responses=problems(401, 403, 422))
async def list_users(
    session: SessionDep,
    _admin: AdminUser,
    org_id: Annotated[DbId | None, Query()] = None,
    role: Role | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    include_inactive: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[UserRead]:
    rows, total = await service.list_users(
        session, org_id=org_id, role=role, q=q, include_inactive=include_inactive, limit=limit, offset=offset
    )
    return Page(items=[UserRead.model_validate(u) for u in rows], total=total, limit=limit, offset=offset)


@users_router.post(
    "",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create a user",
    responses=problems(400, 401, 403, 409, 422),
)
async def create_user(session: SessionDep, admin: AdminUser, user_in: UserCreate) -> UserRead:
    return UserRead.model_validate(await service.create_user(session, user_in=user_in, actor=admin))


@users_router.get("/{user_id}", response_model=UserRead, summary="One user", responses=problems(401, 403, 404, 422))
async def get_user(_admin: AdminUser, user: TargetUser) -> UserRead:
    return UserRead.model_validate(user)


@users_router.patch(
    "/{user_id}",
    response_model=UserRead,
    summary="Change a user (deactivate instead of delete)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def update_user(session: SessionDep, admin: AdminUser, user: TargetUser, user_in: UserUpdate) -> UserRead:
    return UserRead.model_validate(await service.update_user(session, user=user, user_in=user_in, actor=admin))
