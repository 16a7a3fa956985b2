"""Load a cycle (or one of its groups) from the path, and check the caller may see or manage it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from shuping.auth.dependencies import CurrentUser
from shuping.core.dependencies import SessionDep
from shuping.core.errors import Forbidden
from shuping.core.i18n import N_
from shuping.core.schemas import MAX_ID
from shuping.cycles import service
from shuping.cycles.models import Cycle, EvaluatorGroup
from shuping.cycles.schemas import GROUP_KEY_PATTERN


async def visible_cycle(
    session: SessionDep, user: CurrentUser, cycle_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Cycle:
    cycle = await service.get_cycle(session, cycle_id)
    if not await service.can_view(session, user, cycle.id):
        raise Forbidden(N_("You have no part in this cycle"))
    return cycle


CycleDep = Annotated[Cycle, Depends(visible_cycle)]


async def managed_cycle(user: CurrentUser, cycle: CycleDep) -> Cycle:
    service.require_manage(user, cycle)
    return cycle


ManagedCycleDep = Annotated[Cycle, Depends(managed_cycle)]


async def managed_group(
    cycle: ManagedCycleDep, key: Annotated[str, Path(max_length=32, pattern=GROUP_KEY_PATTERN)]
) -> EvaluatorGroup:
    return service.find_group(cycle, key)


ManagedGroupDep = Annotated[EvaluatorGroup, Depends(managed_group)]
