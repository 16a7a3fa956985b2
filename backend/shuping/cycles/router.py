"""Routes for cycles: settings, stages, evaluator groups and members."""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, Depends, Path, Query, status

from shuping.auth.dependencies import CurrentUser, RequireRole, StaffUser
from shuping.auth.models import Role, User
from shuping.core.dependencies import SessionDep
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.core.schemas import MAX_ID, Page
from shuping.cycles import gates, groups, service
from shuping.cycles.dependencies import CycleDep, ManagedCycleDep, ManagedGroupDep
from shuping.cycles.models import CycleStage
from shuping.cycles.schemas import (
    CandidateRead,
    CycleAdvance,
    CycleCreate,
    CycleRead,
    CycleRevert,
    CycleSummary,
    CycleUpdate,
    Gate,
    GroupsRead,
    GroupsUpdate,
    MemberRead,
    MembersAdd,
)

router = Router(prefix="/cycles", tags=["cycles"])


@router.get(
    "", response_model=Page[CycleSummary], summary="List the cycles you take part in", responses=problems(401, 422)
)
async def list_cycles(
    session: SessionDep,
    user: CurrentUser,
    stage: CycleStage | None = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of the name")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[CycleSummary]:
    items, total = await service.list_cycles(session, user=user, stage=stage, q=q, limit=limit, offset=offset)
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.post(
    "",
    response_model=CycleRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create a cycle (in preparation)",
    responses=problems(400, 401, 403, 422),
)
async def create_cycle(session: SessionDep, staff: StaffUser, cycle_in: CycleCreate) -> CycleRead:
    cycle = await service.create_cycle(session, cycle_in=cycle_in, actor=staff)
    return await service.read(session, cycle.id, staff)


@router.get("/{cycle_id:int}", response_model=CycleRead, summary="One cycle", responses=problems(401, 403, 404, 422))
async def get_cycle(session: SessionDep, user: CurrentUser, cycle: CycleDep) -> CycleRead:
    return await service.read(session, cycle.id, user)


@router.patch(
    "/{cycle_id:int}",
    response_model=CycleRead,
    summary="Change a cycle's settings (most only in preparation)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def update_cycle(
    session: SessionDep, user: CurrentUser, cycle: ManagedCycleDep, cycle_in: CycleUpdate
) -> CycleRead:
    await service.update_cycle(session, cycle=cycle, cycle_in=cycle_in, actor=user)
    return await service.read(session, cycle.id, user)


@router.get(
    "/{cycle_id:int}/gate",
    response_model=Gate,
    summary="Whether the cycle may move to its next stage, and what blocks it",
    responses=problems(401, 403, 404, 422),
)
async def get_gate(session: SessionDep, cycle: CycleDep) -> Gate:
    return await gates.gate(session, cycle)


@router.post(
    "/{cycle_id:int}/advance",
    response_model=CycleRead,
    summary="Move the cycle to its next stage, if the gate holds",
    responses=problems(401, 403, 404, 409, 422),
)
async def advance_cycle(
    session: SessionDep,
    user: CurrentUser,
    cycle: ManagedCycleDep,
    body: Annotated[CycleAdvance | None, Body()] = None,
) -> CycleRead:
    await gates.advance(session, cycle=cycle, to=body.to if body else None, actor=user)
    return await service.read(session, cycle.id, user)


@router.post(
    "/{cycle_id:int}/revert",
    response_model=CycleRead,
    summary="Take the cycle back one stage (administrators, with a recorded reason)",
    responses=problems(401, 403, 404, 409, 422),
)
async def revert_cycle(
    session: SessionDep,
    admin: Annotated[User, Depends(RequireRole(Role.admin))],
    cycle: ManagedCycleDep,
    body: CycleRevert,
) -> CycleRead:
    await gates.revert(session, cycle=cycle, reason=body.reason, actor=admin)
    return await service.read(session, cycle.id, admin)


@router.get(
    "/{cycle_id:int}/groups",
    response_model=GroupsRead,
    summary="The evaluator groups",
    responses=problems(401, 403, 404, 422),
)
async def get_groups(session: SessionDep, cycle: CycleDep) -> GroupsRead:
    return await groups.groups_read(session, cycle)


@router.put(
    "/{cycle_id:int}/groups",
    response_model=GroupsRead,
    summary="Set the evaluator groups (a group whose key stays keeps its members)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def replace_groups(
    session: SessionDep, user: CurrentUser, cycle: ManagedCycleDep, body: GroupsUpdate
) -> GroupsRead:
    await groups.replace_groups(session, cycle=cycle, groups_in=body.groups, actor=user)
    return await groups.groups_read(session, await service.get_cycle(session, cycle.id))


@router.get(
    "/{cycle_id:int}/members",
    response_model=list[MemberRead],
    summary="Every named evaluator of the cycle",
    responses=problems(401, 403, 404, 422),
)
async def list_cycle_members(session: SessionDep, cycle: ManagedCycleDep) -> list[MemberRead]:
    return await groups.list_members(session, cycle)


@router.get(
    "/{cycle_id:int}/candidates",
    response_model=list[CandidateRead],
    summary="Active leaders, deputies and members who may be assigned as evaluators",
    responses=problems(401, 403, 404, 422),
)
async def list_candidates(
    session: SessionDep,
    cycle: ManagedCycleDep,
    q: Annotated[str | None, Query(max_length=100, description="Part of the username or name")] = None,
    role: Role | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[CandidateRead]:
    return await groups.candidates(session, cycle=cycle, q=q, role=role, limit=limit)


@router.get(
    "/{cycle_id:int}/groups/{key}/members",
    response_model=list[MemberRead],
    summary="The named evaluators of a group",
    responses=problems(401, 403, 404, 422),
)
async def list_group_members(session: SessionDep, cycle: ManagedCycleDep, group: ManagedGroupDep) -> list[MemberRead]:
    return await groups.list_members(session, cycle, group)


@router.post(
    "/{cycle_id:int}/groups/{key}/members",
    response_model=list[MemberRead],
    summary="Assign named evaluators to a group",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def add_group_members(
    session: SessionDep, user: CurrentUser, cycle: ManagedCycleDep, group: ManagedGroupDep, body: MembersAdd
) -> list[MemberRead]:
    return await groups.add_members(session, cycle=cycle, group=group, user_ids=body.user_ids, actor=user)


@router.delete(
    "/{cycle_id:int}/groups/{key}/members/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a named evaluator from a group",
    responses=problems(401, 403, 404, 409, 422),
)
async def remove_group_member(
    session: SessionDep,
    user: CurrentUser,
    cycle: ManagedCycleDep,
    group: ManagedGroupDep,
    user_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> None:
    await groups.remove_member(session, cycle=cycle, group=group, user_id=user_id, actor=user)
