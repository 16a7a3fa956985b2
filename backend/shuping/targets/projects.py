"""The project pipeline: leads and projects of a programme's units, their details and stage moves (DESIGN §8:
the host manages every project; a unit's secretary, and a clerk reaching the unit, its own only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.audit import service as audit
from shuping.auth.models import User
from shuping.core.errors import FieldError, Forbidden, NotFound
from shuping.core.i18n import N_
from shuping.orgs.scope import reaches, within_reach
from shuping.targets.errors import StageMoveRefused
from shuping.targets.models import (
    STAGE_ORDER,
    ProjectStage,
    TargetProgramme,
    TargetProject,
    TargetProjectStage,
    TargetTeam,
)
from shuping.targets.schemas import (
    ProjectCreate,
    ProjectRead,
    ProjectUpdate,
    StageMoveIn,
    StageMoveRead,
)
from shuping.targets.service import (
    get_programme,
    may_manage,
    org_ref,
    orgs_by_id,
    require_open,
    require_units,
)


def _project_query(user: User, programme: TargetProgramme | None = None) -> Select[Any]:
    stmt = select(TargetProject).options(selectinload(TargetProject.history))
    if programme is not None:
        stmt = stmt.where(TargetProject.programme_id == programme.id)
        if not may_manage(user, programme):
            stmt = stmt.where(within_reach(user, TargetProject.org_id))
    return stmt


async def get_project(session: AsyncSession, project_id: int, *, user: User) -> TargetProject:
    """The project, if the user may see it: its programme's host, or someone reaching its unit (else 404)."""
    project: TargetProject | None = (
        await session.execute(_project_query(user).where(TargetProject.id == project_id))
    ).scalar_one_or_none()
    if project is not None:
        programme = await get_programme(session, project.programme_id)
        if may_manage(user, programme) or await reaches(session, user, project.org_id):
            return project
    raise NotFound(N_("No project {id}", id=project_id))


async def project_reads(session: AsyncSession, projects: list[TargetProject]) -> list[ProjectRead]:
    orgs = await orgs_by_id(session, {p.org_id for p in projects})
    return [
        ProjectRead(
            id=p.id,
            programme_id=p.programme_id,
            org=org_ref(orgs[p.org_id]),
            team_id=p.team_id,
            company=p.company,
            industry=p.industry,
            origin_region=p.origin_region,
            ranking=p.ranking,
            contract_amount=p.contract_amount,
            funds_in_place=p.funds_in_place,
            stage=p.stage,
            negotiating_date=p.negotiating_date,
            signed_date=p.signed_date,
            landed_date=p.landed_date,
            started_date=p.started_date,
            producing_date=p.producing_date,
            evidence=p.evidence,
            history=[StageMoveRead.model_validate(h) for h in p.history],
            created_at=p.created_at,
            updated_at=p.updated_at,
        )
        for p in projects
    ]


async def list_projects(
    session: AsyncSession, *, programme: TargetProgramme, user: User, org_id: int | None = None
) -> list[ProjectRead]:
    stmt = _project_query(user, programme)
    if org_id is not None:
        stmt = stmt.where(TargetProject.org_id == org_id)
    rows = await session.execute(stmt.order_by(TargetProject.id))
    return await project_reads(session, list(rows.scalars()))


async def _check_team(session: AsyncSession, programme: TargetProgramme, team_id: int | None) -> None:
    if team_id is None:
        return
    team = await session.get(TargetTeam, team_id)
    if team is None or team.programme_id != programme.id:
        raise FieldError(["body", "team_id"], N_("No team {id} in this programme", id=team_id))


async def create_project(
    session: AsyncSession, *, programme: TargetProgramme, project_in: ProjectCreate, actor: User
) -> ProjectRead:
    require_open(programme)
    await require_units(session, programme, {project_in.org_id: ["body", "org_id"]})
    if not may_manage(actor, programme) and not await reaches(session, actor, project_in.org_id):
        raise Forbidden(N_("You may register projects for your own unit only"))
    await _check_team(session, programme, project_in.team_id)
    project = TargetProject(programme_id=programme.id, stage=ProjectStage.negotiating, **project_in.model_dump())
    project.history = [
        TargetProjectStage(to_stage=ProjectStage.negotiating, on_date=project_in.negotiating_date, actor_id=actor.id)
    ]
    session.add(project)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="target_project.create",
        entity_type="target_project",
        entity_id=project.id,
        data=project_in.model_dump(mode="json"),
    )
    return (await project_reads(session, [await get_project(session, project.id, user=actor)]))[0]


async def _programme_of(session: AsyncSession, project: TargetProject) -> TargetProgramme:
    programme = await get_programme(session, project.programme_id)
    require_open(programme)
    return programme


async def update_project(
    session: AsyncSession, *, project: TargetProject, project_in: ProjectUpdate, actor: User
) -> ProjectRead:
    programme = await _programme_of(session, project)
    changes = project_in.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None and name != "team_id":
            raise FieldError(["body", name], N_("This may not be empty"))
    if "team_id" in changes:
        await _check_team(session, programme, changes["team_id"])
    for name, value in changes.items():
        setattr(project, name, value)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="target_project.update",
        entity_type="target_project",
        entity_id=project.id,
        data=project_in.model_dump(mode="json", exclude_unset=True),
    )
    return (await project_reads(session, [await get_project(session, project.id, user=actor)]))[0]


def _stage_date_column(stage: ProjectStage) -> str:
    return f"{stage.value}_date"


async def move_stage(
    session: AsyncSession, *, project: TargetProject, move_in: StageMoveIn, actor: User
) -> ProjectRead:
    """Move a project to another stage: forward to any later stage (each stage passed is reached that
    day), back to an earlier one with a reason (the stages above it are cleared); in date order."""
    await _programme_of(session, project)
    current = project.stage
    if move_in.to == current:
        raise StageMoveRefused(N_("The project is already at that stage"))
    last = max((h.on_date for h in project.history), default=project.negotiating_date)
    if move_in.on_date < last:
        raise StageMoveRefused(
            N_("A stage move must not be dated before the project's last one ({day})", day=last.isoformat())
        )
    back = STAGE_ORDER[move_in.to] < STAGE_ORDER[current]
    if back and not move_in.reason:
        raise FieldError(["body", "reason"], N_("Give the reason for moving the project back"))
    for stage in ProjectStage:
        column = _stage_date_column(stage)
        if STAGE_ORDER[stage] > STAGE_ORDER[move_in.to]:
            setattr(project, column, None)
        elif STAGE_ORDER[stage] > STAGE_ORDER[current]:
            setattr(project, column, move_in.on_date)
    project.stage = move_in.to
    project.history.append(
        TargetProjectStage(
            from_stage=current, to_stage=move_in.to, on_date=move_in.on_date, reason=move_in.reason, actor_id=actor.id
        )
    )
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="target_project.stage",
        entity_type="target_project",
        entity_id=project.id,
        data={"from": current.value, **move_in.model_dump(mode="json")},
    )
    return (await project_reads(session, [await get_project(session, project.id, user=actor)]))[0]
