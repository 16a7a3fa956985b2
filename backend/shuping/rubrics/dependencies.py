"""Load a rubric from the path or answer 404."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from shuping.auth.dependencies import CurrentUser
from shuping.core.dependencies import SessionDep
from shuping.core.schemas import MAX_ID
from shuping.rubrics import service
from shuping.rubrics.models import Rubric


async def path_rubric(
    session: SessionDep, _user: CurrentUser, rubric_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> Rubric:
    return await service.get_rubric(session, rubric_id)


RubricDep = Annotated[Rubric, Depends(path_rubric)]
