"""Routes for the supervision (督查) of target programmes: rounds and findings, each finding a ledger item."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, status

from shuping.auth.dependencies import RequireRole
from shuping.auth.models import User
from shuping.core.dependencies import SessionDep
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.core.schemas import MAX_ID, DbId
from shuping.ledger import supervision
from shuping.ledger.supervision import FindingCreate, FindingRead, FindingUpdate, RoundCreate, RoundRead, RoundUpdate
from shuping.targets.dependencies import ProgrammeDep
from shuping.targets.models import TargetFinding, TargetProgramme, TargetSupervisionRound

router = Router(prefix="/targets", tags=["supervision"])

SupervisionUser = Annotated[User, Depends(RequireRole(*supervision.SUPERVISION_ROLES))]


async def path_round(
    session: SessionDep, user: SupervisionUser, round_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> tuple[TargetSupervisionRound, TargetProgramme]:
    return await supervision.get_round(session, round_id)


RoundDep = Annotated[tuple[TargetSupervisionRound, TargetProgramme], Depends(path_round)]


async def supervised_round(user: SupervisionUser, found: RoundDep) -> tuple[TargetSupervisionRound, TargetProgramme]:
    """The round, if the user supervises its programme (else 403, before the body is read)."""
    supervision.require_supervise(user, found[1])
    return found


SupervisedRoundDep = Annotated[tuple[TargetSupervisionRound, TargetProgramme], Depends(supervised_round)]


async def path_finding(
    session: SessionDep, user: SupervisionUser, finding_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> tuple[TargetFinding, TargetSupervisionRound, TargetProgramme]:
    return await supervision.get_finding(session, finding_id, user=user)


FindingDep = Annotated[tuple[TargetFinding, TargetSupervisionRound, TargetProgramme], Depends(path_finding)]


async def supervised_finding(
    user: SupervisionUser, found: FindingDep
) -> tuple[TargetFinding, TargetSupervisionRound, TargetProgramme]:
    supervision.require_supervise(user, found[2])
    return found


SupervisedFindingDep = Annotated[
    tuple[TargetFinding, TargetSupervisionRound, TargetProgramme], Depends(supervised_finding)
]


async def supervised_programme(user: SupervisionUser, programme: ProgrammeDep) -> TargetProgramme:
    supervision.require_supervise(user, programme)
    return programme


SupervisedProgrammeDep = Annotated[TargetProgramme, Depends(supervised_programme)]


@router.get(
    "/programmes/{programme_id}/supervision-rounds",
    response_model=list[RoundRead],
    summary="The programme's supervision rounds, each with the findings the caller may see",
    responses=problems(401, 403, 404, 422),
)
async def list_rounds(session: SessionDep, user: SupervisionUser, programme: ProgrammeDep) -> list[RoundRead]:
    return await supervision.list_rounds(session, programme=programme, user=user)


@router.post(
    "/programmes/{programme_id}/supervision-rounds",
    response_model=RoundRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a supervision round (人大, 政协, 督察室)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def create_round(
    session: SessionDep, user: SupervisionUser, programme: SupervisedProgrammeDep, round_in: RoundCreate
) -> RoundRead:
    return await supervision.create_round(session, programme=programme, round_in=round_in, actor=user)


@router.get(
    "/programmes/{programme_id}/findings",
    response_model=list[FindingRead],
    summary="The programme's findings the caller may see (a unit its own), with their ledger items",
    responses=problems(401, 403, 404, 422),
)
async def list_findings(
    session: SessionDep,
    user: SupervisionUser,
    programme: ProgrammeDep,
    org_id: Annotated[DbId | None, Query(description="Only this unit's")] = None,
) -> list[FindingRead]:
    return await supervision.list_findings(session, programme=programme, user=user, org_id=org_id)


@router.get(
    "/supervision-rounds/{round_id}",
    response_model=RoundRead,
    summary="One supervision round with the findings the caller may see",
    responses=problems(401, 403, 404, 422),
)
async def get_round(session: SessionDep, user: SupervisionUser, found: RoundDep) -> RoundRead:
    row, programme = found
    return (await supervision.round_reads(session, user, programme, [row]))[0]


@router.patch(
    "/supervision-rounds/{round_id}",
    response_model=RoundRead,
    summary="Change a supervision round",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def update_round(
    session: SessionDep, user: SupervisionUser, found: SupervisedRoundDep, round_in: RoundUpdate
) -> RoundRead:
    row, programme = found
    return await supervision.update_round(session, row=row, programme=programme, round_in=round_in, actor=user)


@router.delete(
    "/supervision-rounds/{round_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a round with its findings and their ledger items (none may have moved on)",
    responses=problems(401, 403, 404, 409, 422),
)
async def delete_round(session: SessionDep, user: SupervisionUser, found: SupervisedRoundDep) -> None:
    row, programme = found
    await supervision.delete_round(session, row=row, programme=programme, actor=user)


@router.post(
    "/supervision-rounds/{round_id}/findings",
    response_model=FindingRead,
    status_code=status.HTTP_201_CREATED,
    summary="Record a finding at a unit: it becomes a ledger item (督查发现问题) due on its deadline",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def create_finding(
    session: SessionDep, user: SupervisionUser, found: SupervisedRoundDep, finding_in: FindingCreate
) -> FindingRead:
    row, programme = found
    return await supervision.create_finding(session, row=row, programme=programme, finding_in=finding_in, actor=user)


@router.get(
    "/findings/{finding_id}",
    response_model=FindingRead,
    summary="One finding with its ledger item",
    responses=problems(401, 403, 404, 422),
)
async def get_finding(session: SessionDep, user: SupervisionUser, found: FindingDep) -> FindingRead:
    finding, _, programme = found
    return await supervision.read_finding(session, user, programme, finding)


@router.patch(
    "/findings/{finding_id}",
    response_model=FindingRead,
    summary="Change a finding and its ledger item (refused once the item has moved on)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def update_finding(
    session: SessionDep, user: SupervisionUser, found: SupervisedFindingDep, finding_in: FindingUpdate
) -> FindingRead:
    finding, row, programme = found
    return await supervision.update_finding(
        session, finding=finding, row=row, programme=programme, finding_in=finding_in, actor=user
    )


@router.delete(
    "/findings/{finding_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a finding and its ledger item (refused once the item has moved on)",
    responses=problems(401, 403, 404, 409, 422),
)
async def delete_finding(session: SessionDep, user: SupervisionUser, found: SupervisedFindingDep) -> None:
    finding, _, programme = found
    await supervision.delete_finding(session, finding=finding, programme=programme, actor=user)
