"""Loading a programme, measure, team or project from the path (or 404), and who may hold projects."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from shuping.auth.dependencies import CurrentUser, RequireRole
from shuping.auth.models import User
from shuping.core.dependencies import SessionDep
from shuping.core.schemas import MAX_ID
from shuping.targets import projects, service
from shuping.targets.models import TargetMeasure, TargetProgramme, TargetProject, TargetTeam

# Projects: the staff and the units' secretaries (each then sees the units they reach, see service).
ProjectUser = Annotated[User, Depends(RequireRole(*service.PROJECT_ROLES))]


async def path_programme(
    session: SessionDep, user: CurrentUser, programme_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> TargetProgramme:
    return await service.get_programme(session, programme_id)


ProgrammeDep = Annotated[TargetProgramme, Depends(path_programme)]


async def managed_programme(user: CurrentUser, programme: ProgrammeDep) -> TargetProgramme:
    """The programme, if the user manages it (its host's clerks, an administrator), else 403."""
    service.require_manage(user, programme)
    return programme


# Resolved before the body is read: a caller who may not manage it gets 403 whatever they send.
ManagedProgrammeDep = Annotated[TargetProgramme, Depends(managed_programme)]


async def path_measure(
    session: SessionDep, programme: ProgrammeDep, measure_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> TargetMeasure:
    return await service.get_measure(session, programme, measure_id)


MeasureDep = Annotated[TargetMeasure, Depends(path_measure)]


async def path_team(
    session: SessionDep, programme: ProgrammeDep, team_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> TargetTeam:
    return await service.get_team(session, programme, team_id)


TeamDep = Annotated[TargetTeam, Depends(path_team)]


async def path_project(
    session: SessionDep, user: ProjectUser, project_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> TargetProject:
    return await projects.get_project(session, project_id, user=user)


ProjectDep = Annotated[TargetProject, Depends(path_project)]
