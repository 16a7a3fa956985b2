"""Load an organisation or a user from the path or answer 404; who may see an organisation's records."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from shuping.auth import service as auth_service
from shuping.auth.dependencies import CurrentUser
from shuping.auth.models import Role, User
from shuping.core.dependencies import SessionDep
from shuping.core.errors import Forbidden
from shuping.core.i18n import N_
from shuping.core.schemas import MAX_ID
from shuping.orgs import service
from shuping.orgs.models import Organization
from shuping.orgs.scope import is_county_staff, reaches


async def path_org(session: SessionDep, org_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Organization:
    return await service.get_org(session, org_id)


OrgDep = Annotated[Organization, Depends(path_org)]


async def visible_org(session: SessionDep, user: CurrentUser, org: OrgDep) -> Organization:
    """The path's organisation, if the caller may see its records: an organisation they reach."""
    if user.org_id != org.id and not await reaches(session, user, org.id):
        raise Forbidden(N_("You may see the records of the organisations you work for only"))
    return org


VisibleOrgDep = Annotated[Organization, Depends(visible_org)]


async def target_user(session: SessionDep, user_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> User:
    return await auth_service.get_user(session, user_id)


TargetUser = Annotated[User, Depends(target_user)]


class RequireCountyStaff:
    """Depend on this to let only the organisation department through (administrators and clerks
    of a department; see `scope.is_county_staff`), and the extra roles named."""

    def __init__(self, *also: Role) -> None:
        self.also = frozenset(also)

    async def __call__(self, user: CurrentUser) -> User:
        if not is_county_staff(user) and user.role not in self.also:
            raise Forbidden(N_("Only the organisation department may do this"))
        return user


CountyStaffUser = Annotated[User, Depends(RequireCountyStaff())]
