"""Routes for target programmes: set-up, the project pipeline and completion."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query, status

from shuping.auth.dependencies import CurrentUser
from shuping.core.calendar import china_today
from shuping.core.dependencies import SessionDep
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.core.schemas import DbId
from shuping.targets import progress, projects, service
from shuping.targets.dependencies import (
    ManagedProgrammeDep,
    MeasureDep,
    ProgrammeDep,
    ProjectDep,
    ProjectUser,
    TeamDep,
)
from shuping.targets.schemas import (
    FIRST_DAY,
    LAST_DAY,
    CompletionRead,
    MeasureCreate,
    MeasureRead,
    MeasureUpdate,
    ProgrammeCreate,
    ProgrammeRead,
    ProgrammeUpdate,
    ProjectCreate,
    ProjectRead,
    ProjectUpdate,
    StageMoveIn,
    TargetRead,
    TargetsPut,
    TeamCreate,
    TeamRead,
    TeamUpdate,
)

router = Router(prefix="/targets", tags=["targets"])


@router.get(
    "/programmes", response_model=list[ProgrammeRead], summary="List target programmes", responses=problems(401, 403)
)
async def list_programmes(session: SessionDep, user: CurrentUser) -> list[ProgrammeRead]:
    return await service.list_programmes(session, user=user)


@router.post(
    "/programmes",
    response_model=ProgrammeRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create a target programme hosted by a district or county",
    responses=problems(400, 401, 403, 422),
)
async def create_programme(session: SessionDep, user: CurrentUser, programme_in: ProgrammeCreate) -> ProgrammeRead:
    return await service.create_programme(session, programme_in=programme_in, actor=user)


@router.get(
    "/programmes/{programme_id}",
    response_model=ProgrammeRead,
    summary="One target programme",
    responses=problems(401, 403, 404, 422),
)
async def get_programme(session: SessionDep, user: CurrentUser, programme: ProgrammeDep) -> ProgrammeRead:
    return (await service.programme_reads(session, [programme], user))[0]


@router.patch(
    "/programmes/{programme_id}",
    response_model=ProgrammeRead,
    summary="Change a programme's name, period or status (draft, active, closed)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def update_programme(
    session: SessionDep, user: CurrentUser, programme: ManagedProgrammeDep, programme_in: ProgrammeUpdate
) -> ProgrammeRead:
    return await service.update_programme(session, programme=programme, programme_in=programme_in, actor=user)


@router.delete(
    "/programmes/{programme_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a draft programme without projects",
    responses=problems(401, 403, 404, 409, 422),
)
async def delete_programme(session: SessionDep, user: CurrentUser, programme: ManagedProgrammeDep) -> None:
    await service.delete_programme(session, programme=programme, actor=user)


@router.get(
    "/programmes/{programme_id}/measures",
    response_model=list[MeasureRead],
    summary="A programme's measures",
    responses=problems(401, 403, 404, 422),
)
async def list_measures(session: SessionDep, programme: ProgrammeDep) -> list[MeasureRead]:
    return [MeasureRead.model_validate(m) for m in await service.measures_of(session, programme.id)]


@router.post(
    "/programmes/{programme_id}/measures",
    response_model=MeasureRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a measure (签约项目数, 合同金额 …)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def create_measure(
    session: SessionDep, user: CurrentUser, programme: ManagedProgrammeDep, measure_in: MeasureCreate
) -> MeasureRead:
    return await service.create_measure(session, programme=programme, measure_in=measure_in, actor=user)


@router.patch(
    "/programmes/{programme_id}/measures/{measure_id}",
    response_model=MeasureRead,
    summary="Change a measure",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def update_measure(
    session: SessionDep,
    user: CurrentUser,
    programme: ManagedProgrammeDep,
    measure: MeasureDep,
    measure_in: MeasureUpdate,
) -> MeasureRead:
    return await service.update_measure(
        session, programme=programme, measure=measure, measure_in=measure_in, actor=user
    )


@router.delete(
    "/programmes/{programme_id}/measures/{measure_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a measure and its targets",
    responses=problems(401, 403, 404, 409, 422),
)
async def delete_measure(
    session: SessionDep, user: CurrentUser, programme: ManagedProgrammeDep, measure: MeasureDep
) -> None:
    await service.delete_measure(session, programme=programme, measure=measure, actor=user)


@router.get(
    "/programmes/{programme_id}/targets",
    response_model=list[TargetRead],
    summary="Each unit's target per measure",
    responses=problems(401, 403, 404, 422),
)
async def list_targets(session: SessionDep, programme: ProgrammeDep) -> list[TargetRead]:
    return await service.list_targets(session, programme)


@router.put(
    "/programmes/{programme_id}/targets",
    response_model=list[TargetRead],
    summary="Set the programme's whole table of targets (what is left out has none)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def put_targets(
    session: SessionDep, user: CurrentUser, programme: ManagedProgrammeDep, targets_in: TargetsPut
) -> list[TargetRead]:
    return await service.put_targets(session, programme=programme, targets_in=targets_in, actor=user)


@router.get(
    "/programmes/{programme_id}/teams",
    response_model=list[TeamRead],
    summary="The programme's industrial-chain teams",
    responses=problems(401, 403, 404, 422),
)
async def list_teams(session: SessionDep, programme: ProgrammeDep) -> list[TeamRead]:
    return await service.list_teams(session, programme)


@router.post(
    "/programmes/{programme_id}/teams",
    response_model=TeamRead,
    status_code=status.HTTP_201_CREATED,
    summary="Add a team with its leader, industries and member units",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def create_team(
    session: SessionDep, user: CurrentUser, programme: ManagedProgrammeDep, team_in: TeamCreate
) -> TeamRead:
    return await service.create_team(session, programme=programme, team_in=team_in, actor=user)


@router.patch(
    "/programmes/{programme_id}/teams/{team_id}",
    response_model=TeamRead,
    summary="Change a team",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def update_team(
    session: SessionDep, user: CurrentUser, programme: ManagedProgrammeDep, team: TeamDep, team_in: TeamUpdate
) -> TeamRead:
    return await service.update_team(session, programme=programme, team=team, team_in=team_in, actor=user)


@router.delete(
    "/programmes/{programme_id}/teams/{team_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a team (its projects stay with their units)",
    responses=problems(401, 403, 404, 409, 422),
)
async def delete_team(session: SessionDep, user: CurrentUser, programme: ManagedProgrammeDep, team: TeamDep) -> None:
    await service.delete_team(session, programme=programme, team=team, actor=user)


@router.get(
    "/programmes/{programme_id}/projects",
    response_model=list[ProjectRead],
    summary="The programme's projects the caller may see (a unit its own)",
    responses=problems(401, 403, 404, 422),
)
async def list_projects(
    session: SessionDep,
    user: ProjectUser,
    programme: ProgrammeDep,
    org_id: Annotated[DbId | None, Query(description="Only this unit's")] = None,
) -> list[ProjectRead]:
    return await projects.list_projects(session, programme=programme, user=user, org_id=org_id)


@router.post(
    "/programmes/{programme_id}/projects",
    response_model=ProjectRead,
    status_code=status.HTTP_201_CREATED,
    summary="Register a lead (洽谈) for a unit",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def create_project(
    session: SessionDep, user: ProjectUser, programme: ProgrammeDep, project_in: ProjectCreate
) -> ProjectRead:
    return await projects.create_project(session, programme=programme, project_in=project_in, actor=user)


@router.get(
    "/projects/{project_id}",
    response_model=ProjectRead,
    summary="One project with its stage history",
    responses=problems(401, 403, 404, 422),
)
async def get_project(session: SessionDep, project: ProjectDep) -> ProjectRead:
    return (await projects.project_reads(session, [project]))[0]


@router.patch(
    "/projects/{project_id}",
    response_model=ProjectRead,
    summary="Change a project's details",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def update_project(
    session: SessionDep, user: ProjectUser, project: ProjectDep, project_in: ProjectUpdate
) -> ProjectRead:
    return await projects.update_project(session, project=project, project_in=project_in, actor=user)


@router.post(
    "/projects/{project_id}/stage",
    response_model=ProjectRead,
    summary="Move a project to another stage (back with a reason)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def move_stage(session: SessionDep, user: ProjectUser, project: ProjectDep, move_in: StageMoveIn) -> ProjectRead:
    return await projects.move_stage(session, project=project, move_in=move_in, actor=user)


@router.get(
    "/programmes/{programme_id}/completion",
    response_model=CompletionRead,
    summary="Each unit's completion per measure on a day, ranked, with lights, change and the veto fact",
    responses=problems(401, 403, 404, 422),
)
async def completion(
    session: SessionDep,
    programme: ProgrammeDep,
    as_of: Annotated[
        date | None, Query(ge=FIRST_DAY, le=LAST_DAY, description="The day (YYYY-MM-DD); today in Beijing by default")
    ] = None,
) -> CompletionRead:
    return await progress.read_completion(session, programme=programme, day=as_of or china_today())
