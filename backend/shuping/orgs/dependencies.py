"""Load an organisation from the path or answer 404; and the caller's right to see its records."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from shuping.auth.dependencies import CurrentUser
from shuping.auth.models import STAFF_ROLES
from shuping.core.dependencies import SessionDep
from shuping.core.errors import Forbidden
from shuping.core.schemas import MAX_ID
from shuping.orgs import service
from shuping.orgs.models import Organization


async def path_org(session: SessionDep, org_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Organization:
    return await service.get_org(session, org_id)


OrgDep = Annotated[Organization, Depends(path_org)]


async def visible_org(user: CurrentUser, org: OrgDep) -> Organization:
    """The path's organisation, if the caller may see its own records: staff any, others their own."""
    if user.role not in STAFF_ROLES and user.org_id != org.id:
        raise Forbidden("You may see your own organisation's records only")
    return org


VisibleOrgDep = Annotated[Organization, Depends(visible_org)]
