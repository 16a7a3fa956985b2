"""Load a rubric from the path or answer 404; and whether the caller may change it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from shuping.auth.dependencies import CurrentUser, StaffUser
from shuping.core.dependencies import SessionDep
from shuping.core.errors import Forbidden
from shuping.core.i18n import N_
from shuping.core.schemas import MAX_ID
from shuping.orgs.scope import may_host
from shuping.rubrics import service, usage
from shuping.rubrics.models import Rubric


async def path_rubric(
    session: SessionDep, _user: CurrentUser, rubric_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Rubric:
    return await service.get_rubric(session, rubric_id)


RubricDep = Annotated[Rubric, Depends(path_rubric)]


async def managed_rubric(session: SessionDep, staff: StaffUser, rubric: RubricDep) -> Rubric:
    """A rubric the caller may change: they run every cycle that uses it (one no cycle uses yet,
    any clerk may still shape)."""
    hosts = (await usage.of(session, rubric.id)).host_org_ids
    if not all(may_host(staff, host) for host in hosts):
        raise Forbidden(N_("Only the managers of the cycles that use this rubric may change it"))
    return rubric


ManagedRubricDep = Annotated[Rubric, Depends(managed_rubric)]
