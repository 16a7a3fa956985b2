"""Routes for rubrics (测评表)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, status

from shuping.auth.dependencies import CurrentUser, StaffUser
from shuping.core.dependencies import SessionDep
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.core.schemas import Page
from shuping.rubrics import service
from shuping.rubrics.dependencies import ManagedRubricDep, RubricDep
from shuping.rubrics.schemas import FormulaRead, RubricIn, RubricRead, RubricSummary, VetoFactRead

router = Router(prefix="/rubrics", tags=["rubrics"])


@router.get(
    "/formulas",
    response_model=list[FormulaRead],
    summary="The formulas an indicator item may name",
    responses=problems(401),
)
async def list_formulas(_user: CurrentUser) -> list[FormulaRead]:
    return service.list_formulas()


@router.get(
    "/veto-facts",
    response_model=list[VetoFactRead],
    summary="The veto facts a veto item may name (decided from the cycle's data, not by hand)",
    responses=problems(401),
)
async def list_veto_facts(_user: CurrentUser) -> list[VetoFactRead]:
    return service.list_veto_facts()


@router.get("", response_model=Page[RubricSummary], summary="List rubrics, newest first", responses=problems(401, 422))
async def list_rubrics(
    session: SessionDep,
    _user: CurrentUser,
    q: Annotated[str | None, Query(max_length=100, description="Part of the name")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Page[RubricSummary]:
    items, total = await service.list_rubrics(session, q=q, limit=limit, offset=offset)
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.post(
    "",
    response_model=RubricRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create a rubric",
    responses=problems(400, 401, 403, 422),
)
async def create_rubric(session: SessionDep, staff: StaffUser, rubric_in: RubricIn) -> RubricRead:
    return await service.create_rubric(session, rubric_in=rubric_in, actor=staff)


@router.get("/{rubric_id:int}", response_model=RubricRead, summary="One rubric", responses=problems(401, 404, 422))
async def get_rubric(session: SessionDep, rubric: RubricDep) -> RubricRead:
    return await service.read(session, rubric.id)


@router.put(
    "/{rubric_id:int}",
    response_model=RubricRead,
    summary="Replace a rubric's content (a frozen rubric gets a new version, whose id is returned)",
    responses=problems(400, 401, 403, 404, 422),
)
async def replace_rubric(
    session: SessionDep, staff: StaffUser, rubric: ManagedRubricDep, rubric_in: RubricIn
) -> RubricRead:
    return await service.replace_rubric(session, rubric=rubric, rubric_in=rubric_in, actor=staff)
