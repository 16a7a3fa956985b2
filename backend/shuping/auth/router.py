"""Routes for sign-in, tokens, the caller's own account (user administration is in orgs.router)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from shuping.auth import service
from shuping.auth.dependencies import CurrentUser, for_integration
from shuping.auth.schemas import PasswordChange, RefreshIn, TokenPair, UserRead
from shuping.core.dependencies import SessionDep
from shuping.core.responses import problems
from shuping.core.routing import Router

auth_router = Router(prefix="/auth", tags=["auth"])


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
