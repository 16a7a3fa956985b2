"""Target programmes: set-up (programmes, measures, targets and teams); the pipeline is in `projects`, completion
in `progress`.

Who may do what (DESIGN §8): an administrator and the host's clerks manage a programme and every
project in it; a unit's secretary, and a clerk reaching the unit, see and edit the unit's own
projects only; every signed-in person reads a programme's set-up and completion, which the
commerce bureau publishes monthly on paper and on a display board anyway.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.audit import service as audit
from shuping.auth.models import Role, User
from shuping.core.errors import FieldError, FieldErrors, Forbidden, NotFound
from shuping.core.i18n import N_
from shuping.core.values import decimal_text
from shuping.orgs.models import Organization
from shuping.orgs.scope import may_host
from shuping.targets.errors import MeasureKeyTaken, ProgrammeClosed, ProgrammeInUse
from shuping.targets.models import (
    ProgrammeStatus,
    Target,
    TargetMeasure,
    TargetProgramme,
    TargetProject,
    TargetTeam,
    TargetTeamMember,
)
from shuping.targets.schemas import (
    MeasureCreate,
    MeasureRead,
    MeasureUpdate,
    OrgRef,
    ProgrammeCreate,
    ProgrammeRead,
    ProgrammeUpdate,
    TargetRead,
    TargetsPut,
    TeamCreate,
    TeamRead,
    TeamUpdate,
)

# Who may hold projects at all (the rest see none): the staff and the units' secretaries.
PROJECT_ROLES = frozenset({Role.admin, Role.clerk, Role.secretary})


# ---------------------------------------------------------------- access


def may_manage(user: User, programme: TargetProgramme) -> bool:
    return may_host(user, programme.host_org_id)


def may_publish(user: User, programme: TargetProgramme) -> bool:
    """Who publishes the programme's bulletins: when it has an office (区商务局), an administrator or a
    clerk of that office; otherwise its managers."""
    if programme.office_org_id is None:
        return may_manage(user, programme)
    return user.role == Role.admin or (user.role == Role.clerk and user.org_id == programme.office_org_id)


def require_publish(user: User, programme: TargetProgramme) -> None:
    if not may_publish(user, programme):
        raise Forbidden(N_("Only the programme's office publishes its bulletins"))


def require_manage(user: User, programme: TargetProgramme) -> None:
    if not may_manage(user, programme):
        raise Forbidden(N_("Only the programme's host manages it"))


def require_open(programme: TargetProgramme) -> None:
    if programme.status == ProgrammeStatus.closed:
        raise ProgrammeClosed(N_("{name} is closed: reopen it to change it", name=programme.name))


async def orgs_by_id(session: AsyncSession, ids: set[int]) -> dict[int, Organization]:
    if not ids:
        return {}
    rows = await session.execute(select(Organization).where(Organization.id.in_(ids)))
    return {o.id: o for o in rows.scalars()}


def org_ref(org: Organization) -> OrgRef:
    return OrgRef(id=org.id, code=org.code, name=org.name)


async def _units_under(session: AsyncSession, host_id: int, ids: set[int]) -> set[int]:
    """Of `ids`, the active organisations up to two levels below the host (its units)."""
    if not ids:
        return set()
    children = select(Organization.id).where(Organization.parent_id == host_id)
    grandchildren = select(Organization.id).where(Organization.parent_id.in_(children))
    rows = await session.execute(
        select(Organization.id).where(
            Organization.id.in_(ids),
            Organization.is_active.is_(True),
            Organization.id.in_(children) | Organization.id.in_(grandchildren),
        )
    )
    return set(rows.scalars())


async def require_units(session: AsyncSession, programme: TargetProgramme, ids: dict[int, list[str | int]]) -> None:
    """Every id names a unit below the programme's host, or a located error for each that does not."""
    found = await _units_under(session, programme.host_org_id, set(ids))
    errors = [
        {"loc": loc, "msg": N_("No organisation {id} below the programme's host", id=org_id)}
        for org_id, loc in ids.items()
        if org_id not in found
    ]
    if errors:
        raise FieldErrors(errors)


# ---------------------------------------------------------------- programmes


async def get_programme(session: AsyncSession, programme_id: int) -> TargetProgramme:
    programme = await session.get(TargetProgramme, programme_id)
    if programme is None:
        raise NotFound(N_("No programme {id}", id=programme_id))
    return programme


async def programme_reads(session: AsyncSession, programmes: list[TargetProgramme], user: User) -> list[ProgrammeRead]:
    orgs = await orgs_by_id(
        session, {p.host_org_id for p in programmes} | {p.office_org_id for p in programmes if p.office_org_id}
    )
    return [
        ProgrammeRead(
            id=p.id,
            name=p.name,
            host=org_ref(orgs[p.host_org_id]),
            office=org_ref(orgs[p.office_org_id]) if p.office_org_id is not None else None,
            period_start=p.period_start,
            period_end=p.period_end,
            status=p.status,
            may_manage=may_manage(user, p),
            may_publish=may_publish(user, p),
            created_at=p.created_at,
            updated_at=p.updated_at,
        )
        for p in programmes
    ]


async def list_programmes(session: AsyncSession, *, user: User) -> list[ProgrammeRead]:
    rows = await session.execute(
        select(TargetProgramme).order_by(TargetProgramme.period_start.desc(), TargetProgramme.id.desc())
    )
    return await programme_reads(session, list(rows.scalars()), user)


def _check_period(start: date, end: date) -> None:
    if end < start:
        raise FieldError(["body", "period_end"], N_("The period ends before it starts"))


async def _check_office(session: AsyncSession, host_org_id: int, office_org_id: int | None) -> None:
    """The office is an active organisation below the host (区商务局 under 洛龙区)."""
    if office_org_id is not None and not await _units_under(session, host_org_id, {office_org_id}):
        raise FieldError(
            ["body", "office_org_id"], N_("No organisation {id} below the programme's host", id=office_org_id)
        )


async def create_programme(session: AsyncSession, *, programme_in: ProgrammeCreate, actor: User) -> ProgrammeRead:
    host = await session.get(Organization, programme_in.host_org_id)
    if host is None:
        raise FieldError(["body", "host_org_id"], N_("No organisation {id}", id=programme_in.host_org_id))
    if not may_host(actor, host.id):
        raise Forbidden(N_("You may not host a programme for {name}", name=host.name))
    _check_period(programme_in.period_start, programme_in.period_end)
    await _check_office(session, host.id, programme_in.office_org_id)
    programme = TargetProgramme(**programme_in.model_dump())
    session.add(programme)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="target_programme.create",
        entity_type="target_programme",
        entity_id=programme.id,
        data=programme_in.model_dump(mode="json"),
    )
    return (await programme_reads(session, [programme], actor))[0]


async def update_programme(
    session: AsyncSession, *, programme: TargetProgramme, programme_in: ProgrammeUpdate, actor: User
) -> ProgrammeRead:
    require_manage(actor, programme)
    changes = programme_in.model_dump(exclude_unset=True)
    if set(changes) - {"status"}:
        require_open(programme)
    if changes.get("status") is None:
        changes.pop("status", None)
    for name in ("name", "period_start", "period_end"):
        if name in changes and changes[name] is None:
            raise FieldError(["body", name], N_("This may not be empty"))
    _check_period(changes.get("period_start", programme.period_start), changes.get("period_end", programme.period_end))
    if "office_org_id" in changes:
        await _check_office(session, programme.host_org_id, changes["office_org_id"])
    before = {name: getattr(programme, name) for name in changes}
    for name, value in changes.items():
        setattr(programme, name, value)
    await session.flush()
    data = programme_in.model_dump(mode="json", exclude_unset=True)
    if "office_org_id" in changes:
        data["office_org_id_before"] = before["office_org_id"]
    await audit.record(
        session,
        actor=actor,
        action="target_programme.update",
        entity_type="target_programme",
        entity_id=programme.id,
        data=data,
    )
    await session.refresh(programme)
    return (await programme_reads(session, [programme], actor))[0]


async def delete_programme(session: AsyncSession, *, programme: TargetProgramme, actor: User) -> None:
    require_manage(actor, programme)
    projects = await session.scalar(
        select(func.count()).select_from(TargetProject).where(TargetProject.programme_id == programme.id)
    )
    if programme.status != ProgrammeStatus.draft or projects:
        raise ProgrammeInUse()
    await audit.record(
        session,
        actor=actor,
        action="target_programme.delete",
        entity_type="target_programme",
        entity_id=programme.id,
        data={"name": programme.name},
    )
    await session.delete(programme)
    await session.flush()


# ---------------------------------------------------------------- measures


async def measures_of(session: AsyncSession, programme_id: int) -> list[TargetMeasure]:
    rows = await session.execute(
        select(TargetMeasure)
        .where(TargetMeasure.programme_id == programme_id)
        .order_by(TargetMeasure.position, TargetMeasure.id)
    )
    return list(rows.scalars())


async def get_measure(session: AsyncSession, programme: TargetProgramme, measure_id: int) -> TargetMeasure:
    measure = await session.get(TargetMeasure, measure_id)
    if measure is None or measure.programme_id != programme.id:
        raise NotFound(N_("No measure {id} in this programme", id=measure_id))
    return measure


async def create_measure(
    session: AsyncSession, *, programme: TargetProgramme, measure_in: MeasureCreate, actor: User
) -> MeasureRead:
    require_manage(actor, programme)
    require_open(programme)
    if any(m.key == measure_in.key for m in await measures_of(session, programme.id)):
        raise MeasureKeyTaken(N_("The programme already has a measure {key!r}", key=measure_in.key))
    measure = TargetMeasure(programme_id=programme.id, **measure_in.model_dump())
    session.add(measure)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="target_measure.create",
        entity_type="target_measure",
        entity_id=measure.id,
        data=measure_in.model_dump(mode="json"),
    )
    return MeasureRead.model_validate(measure)


async def update_measure(
    session: AsyncSession, *, programme: TargetProgramme, measure: TargetMeasure, measure_in: MeasureUpdate, actor: User
) -> MeasureRead:
    require_manage(actor, programme)
    require_open(programme)
    changes = measure_in.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None:
            raise FieldError(["body", name], N_("This may not be empty"))
        setattr(measure, name, value)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="target_measure.update",
        entity_type="target_measure",
        entity_id=measure.id,
        data=measure_in.model_dump(mode="json", exclude_unset=True),
    )
    return MeasureRead.model_validate(measure)


async def delete_measure(
    session: AsyncSession, *, programme: TargetProgramme, measure: TargetMeasure, actor: User
) -> None:
    require_manage(actor, programme)
    require_open(programme)
    await audit.record(
        session,
        actor=actor,
        action="target_measure.delete",
        entity_type="target_measure",
        entity_id=measure.id,
        data={"key": measure.key},
    )
    await session.execute(delete(Target).where(Target.measure_id == measure.id))
    await session.delete(measure)
    await session.flush()


# ---------------------------------------------------------------- targets


async def list_targets(session: AsyncSession, programme: TargetProgramme) -> list[TargetRead]:
    rows = (
        await session.execute(
            select(Target, TargetMeasure.key)
            .join(TargetMeasure, TargetMeasure.id == Target.measure_id)
            .where(Target.programme_id == programme.id)
            .order_by(Target.org_id, TargetMeasure.position, TargetMeasure.id)
        )
    ).all()
    orgs = await orgs_by_id(session, {t.org_id for t, _ in rows})
    return [TargetRead(org=org_ref(orgs[t.org_id]), measure_key=key, value=t.value) for t, key in rows]


async def put_targets(
    session: AsyncSession, *, programme: TargetProgramme, targets_in: TargetsPut, actor: User
) -> list[TargetRead]:
    """Replace the programme's table of targets, all or nothing."""
    require_manage(actor, programme)
    require_open(programme)
    measures = {m.key: m for m in await measures_of(session, programme.id)}
    errors: list[dict[str, object]] = []
    seen: set[tuple[int, str]] = set()
    for i, t in enumerate(targets_in.targets):
        if t.measure_key not in measures:
            errors.append(
                {
                    "loc": ["body", "targets", i, "measure_key"],
                    "msg": N_("The programme has no measure {key!r}", key=t.measure_key),
                }
            )
        if (t.org_id, t.measure_key) in seen:
            errors.append({"loc": ["body", "targets", i], "msg": N_("This unit's target for the measure is repeated")})
        seen.add((t.org_id, t.measure_key))
    units = await _units_under(session, programme.host_org_id, {t.org_id for t in targets_in.targets})
    for i, t in enumerate(targets_in.targets):
        if t.org_id not in units:
            errors.append(
                {
                    "loc": ["body", "targets", i, "org_id"],
                    "msg": N_("No organisation {id} below the programme's host", id=t.org_id),
                }
            )
    if errors:
        raise FieldErrors(errors)
    before = {f"{t.org.id}/{t.measure_key}": decimal_text(t.value) for t in await list_targets(session, programme)}
    await session.execute(delete(Target).where(Target.programme_id == programme.id))
    for t in targets_in.targets:
        session.add(
            Target(programme_id=programme.id, measure_id=measures[t.measure_key].id, org_id=t.org_id, value=t.value)
        )
    await session.flush()
    after = await list_targets(session, programme)
    await audit.record(
        session,
        actor=actor,
        action="target.put",
        entity_type="target_programme",
        entity_id=programme.id,
        data={"before": before, "after": {f"{t.org.id}/{t.measure_key}": decimal_text(t.value) for t in after}},
    )
    return after


# ---------------------------------------------------------------- teams


async def _teams(session: AsyncSession, programme_id: int, team_id: int | None = None) -> list[TargetTeam]:
    stmt = select(TargetTeam).options(selectinload(TargetTeam.members)).where(TargetTeam.programme_id == programme_id)
    if team_id is not None:
        stmt = stmt.where(TargetTeam.id == team_id)
    return list((await session.execute(stmt.order_by(TargetTeam.id))).scalars())


async def get_team(session: AsyncSession, programme: TargetProgramme, team_id: int) -> TargetTeam:
    teams = await _teams(session, programme.id, team_id)
    if not teams:
        raise NotFound(N_("No team {id} in this programme", id=team_id))
    return teams[0]


async def team_reads(session: AsyncSession, teams: list[TargetTeam]) -> list[TeamRead]:
    orgs = await orgs_by_id(session, {m.org_id for t in teams for m in t.members})
    return [
        TeamRead(
            id=t.id,
            programme_id=t.programme_id,
            name=t.name,
            leader_name=t.leader_name,
            industries=list(t.industries),
            members=[org_ref(orgs[m.org_id]) for m in t.members],
        )
        for t in teams
    ]


async def list_teams(session: AsyncSession, programme: TargetProgramme) -> list[TeamRead]:
    return await team_reads(session, await _teams(session, programme.id))


async def _set_members(session: AsyncSession, programme: TargetProgramme, team: TargetTeam, ids: list[int]) -> None:
    await require_units(session, programme, {org_id: ["body", "member_org_ids", i] for i, org_id in enumerate(ids)})
    team.members = [TargetTeamMember(org_id=org_id) for org_id in dict.fromkeys(ids)]


async def create_team(
    session: AsyncSession, *, programme: TargetProgramme, team_in: TeamCreate, actor: User
) -> TeamRead:
    require_manage(actor, programme)
    require_open(programme)
    team = TargetTeam(
        programme_id=programme.id,
        name=team_in.name,
        leader_name=team_in.leader_name,
        industries=list(dict.fromkeys(team_in.industries)),
        members=[],
    )
    await _set_members(session, programme, team, team_in.member_org_ids)
    session.add(team)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="target_team.create",
        entity_type="target_team",
        entity_id=team.id,
        data=team_in.model_dump(mode="json"),
    )
    return (await team_reads(session, [await get_team(session, programme, team.id)]))[0]


async def update_team(
    session: AsyncSession, *, programme: TargetProgramme, team: TargetTeam, team_in: TeamUpdate, actor: User
) -> TeamRead:
    require_manage(actor, programme)
    require_open(programme)
    changes = team_in.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None:
            raise FieldError(["body", name], N_("This may not be empty"))
    if "member_org_ids" in changes:
        await _set_members(session, programme, team, changes.pop("member_org_ids"))
    if "industries" in changes:
        changes["industries"] = list(dict.fromkeys(changes["industries"]))
    for name, value in changes.items():
        setattr(team, name, value)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="target_team.update",
        entity_type="target_team",
        entity_id=team.id,
        data=team_in.model_dump(mode="json", exclude_unset=True),
    )
    return (await team_reads(session, [await get_team(session, programme, team.id)]))[0]


async def delete_team(session: AsyncSession, *, programme: TargetProgramme, team: TargetTeam, actor: User) -> None:
    require_manage(actor, programme)
    require_open(programme)
    await audit.record(
        session,
        actor=actor,
        action="target_team.delete",
        entity_type="target_team",
        entity_id=team.id,
        data={"name": team.name},
    )
    await session.delete(team)
    await session.flush()
