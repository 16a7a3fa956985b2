"""Load an organisation from the path or answer 404; and the caller's right to see its records."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from shuping.auth.dependencies import CurrentUser
from shuping.core.dependencies import SessionDep
from shuping.core.errors import Forbidden
from shuping.core.schemas import MAX_ID
from shuping.orgs import service
from shuping.orgs.models import Organization
from shuping.orgs.scope import reaches


async def path_org(session: SessionDep, org_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Organization:
    return await service.get_org(session, org_id)


OrgDep = Annotated[Organization, Depends(path_org)]


async def visible_org(session: SessionDep, user: CurrentUser, org: OrgDep) -> Organization:
    """The path's organisation, if the caller may see its records: an organisation they reach."""
    if user.org_id != org.id and not await reaches(session, user, org.id):
        raise Forbidden("You may see the records of the organisations you work for only")
    return org


VisibleOrgDep = Annotated[Organization, Depends(visible_org)]
