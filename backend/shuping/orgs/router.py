"""Routes for the organisation tree and the people in it (user administration)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, status

from shuping.auth.dependencies import AdminUser, CurrentUser
from shuping.auth.models import Role
from shuping.auth.schemas import UserCreate, UserRead, UserUpdate
from shuping.core.dependencies import SessionDep
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.core.schemas import DbId, Page
from shuping.orgs import people, service
from shuping.orgs.dependencies import OrgDep, TargetUser
from shuping.orgs.models import OrgKind
from shuping.orgs.schemas import OrgCreate, OrgRead, OrgUpdate

router = Router(prefix="/orgs", tags=["orgs"])
users_router = Router(prefix="/users", tags=["users"])


@router.get("", response_model=Page[OrgRead], summary="List and search organisations", responses=problems(401, 422))
async def list_orgs(
    session: SessionDep,
    _user: CurrentUser,
    kind: Annotated[list[OrgKind] | None, Query(description="One or more kinds")] = None,
    parent_id: Annotated[DbId | None, Query()] = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of the name or code")] = None,
    include_inactive: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[OrgRead]:
    items, total = await service.list_orgs(
        session, kind=kind, parent_id=parent_id, q=q, include_inactive=include_inactive, limit=limit, offset=offset
    )
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.post(
    "",
    response_model=OrgRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create an organisation",
    responses=problems(400, 401, 403, 409, 422),
)
async def create_org(session: SessionDep, admin: AdminUser, org_in: OrgCreate) -> OrgRead:
    return await service.create_org(session, org_in=org_in, actor=admin)


@router.get("/{org_id}", response_model=OrgRead, summary="One organisation", responses=problems(401, 404, 422))
async def get_org(session: SessionDep, _user: CurrentUser, org: OrgDep) -> OrgRead:
    return (await service.to_read(session, [org], include_inactive=True))[0]


@router.patch(
    "/{org_id}",
    response_model=OrgRead,
    summary="Change or deactivate an organisation",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def update_org(session: SessionDep, admin: AdminUser, org: OrgDep, org_in: OrgUpdate) -> OrgRead:
    return await service.update_org(session, org=org, org_in=org_in, actor=admin)


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
    rows, total = await people.list_users(
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
    return UserRead.model_validate(await people.create_user(session, user_in=user_in, actor=admin))


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
    return UserRead.model_validate(await people.update_user(session, user=user, user_in=user_in, actor=admin))
