"""Load an organisation from the path or answer 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from shuping.core.dependencies import SessionDep
from shuping.core.schemas import MAX_ID
from shuping.orgs import service
from shuping.orgs.models import Organization


async def path_org(session: SessionDep, org_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Organization:
    return await service.get_org(session, org_id)


OrgDep = Annotated[Organization, Depends(path_org)]
