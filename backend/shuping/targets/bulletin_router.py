"""Routes for a target programme's monthly bulletins (月度通报) and their public board (图板展示)."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import Depends, Path, Query, Response, status

from shuping.auth.dependencies import CurrentUser
from shuping.core.dependencies import SessionDep
from shuping.core.files import download
from shuping.core.official_document import render
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.core.schemas import MAX_ID, DbId
from shuping.targets import bulletins, service
from shuping.targets.bulletin_schemas import (
    BulletinCreate,
    BulletinRead,
    BulletinSummary,
    BulletinWithdraw,
    TargetBoard,
)
from shuping.targets.dependencies import ProgrammeDep
from shuping.targets.models import TargetBulletin, TargetProgramme

router = Router(prefix="/targets", tags=["targets"])
public_router = Router(prefix="/public", tags=["public"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def path_bulletin(
    session: SessionDep, user: CurrentUser, bulletin_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> tuple[TargetBulletin, TargetProgramme]:
    return await bulletins.get_bulletin(session, bulletin_id, user=user)


BulletinDep = Annotated[tuple[TargetBulletin, TargetProgramme], Depends(path_bulletin)]


async def publishing_programme(user: CurrentUser, programme: ProgrammeDep) -> TargetProgramme:
    """The programme, if the user publishes its bulletins, else 403 — before the body is read."""
    service.require_publish(user, programme)
    return programme


PublishingProgrammeDep = Annotated[TargetProgramme, Depends(publishing_programme)]


async def publishing_bulletin(user: CurrentUser, found: BulletinDep) -> tuple[TargetBulletin, TargetProgramme]:
    """The bulletin, if the user publishes its programme's bulletins, else 403 — before the body is read."""
    service.require_publish(user, found[1])
    return found


PublishingBulletinDep = Annotated[tuple[TargetBulletin, TargetProgramme], Depends(publishing_bulletin)]


@router.get(
    "/programmes/{programme_id}/bulletins",
    response_model=list[BulletinSummary],
    summary="A programme's monthly bulletins, newest first (drafts only to its office and managers)",
    responses=problems(401, 403, 404, 422),
)
async def list_bulletins(session: SessionDep, user: CurrentUser, programme: ProgrammeDep) -> list[BulletinSummary]:
    return await bulletins.list_bulletins(session, programme=programme, user=user)


@router.post(
    "/programmes/{programme_id}/bulletins",
    response_model=BulletinRead,
    status_code=status.HTTP_201_CREATED,
    summary="Make a month's bulletin (a draft numbered 第 n 期, as of the month's last day)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def create_bulletin(
    session: SessionDep, user: CurrentUser, programme: PublishingProgrammeDep, bulletin_in: BulletinCreate
) -> BulletinRead:
    return await bulletins.create_bulletin(session, programme=programme, bulletin_in=bulletin_in, actor=user)


@router.get(
    "/bulletins/{bulletin_id}",
    response_model=BulletinRead,
    summary="One bulletin: a draft computed now, a published one as frozen (the chart's figures too)",
    responses=problems(401, 403, 404, 422),
)
async def get_bulletin(session: SessionDep, user: CurrentUser, found: BulletinDep) -> BulletinRead:
    bulletin, programme = found
    return await bulletins.read(session, bulletin, programme, user)


@router.post(
    "/bulletins/{bulletin_id}/publish",
    response_model=BulletinRead,
    summary="Publish a draft: freeze what it says, show it to every unit and on the public board",
    responses=problems(401, 403, 404, 409, 422),
)
async def publish_bulletin(session: SessionDep, user: CurrentUser, found: PublishingBulletinDep) -> BulletinRead:
    bulletin, programme = found
    return await bulletins.publish(session, bulletin=bulletin, programme=programme, actor=user)


@router.post(
    "/bulletins/{bulletin_id}/withdraw",
    response_model=BulletinRead,
    summary="Withdraw a published bulletin, with the reason: back to a draft, off the public board (audited)",
    responses=problems(400, 401, 403, 404, 409, 422),
)
async def withdraw_bulletin(
    session: SessionDep, user: CurrentUser, found: PublishingBulletinDep, withdraw_in: BulletinWithdraw
) -> BulletinRead:
    bulletin, programme = found
    return await bulletins.withdraw(
        session, bulletin=bulletin, programme=programme, reason=withdraw_in.reason, actor=user
    )


@router.delete(
    "/bulletins/{bulletin_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a draft bulletin",
    responses=problems(401, 403, 404, 409, 422),
)
async def delete_bulletin(session: SessionDep, user: CurrentUser, found: PublishingBulletinDep) -> None:
    bulletin, programme = found
    await bulletins.delete_bulletin(session, bulletin=bulletin, programme=programme, actor=user)


@router.get(
    "/bulletins/{bulletin_id}/document.docx",
    summary="The bulletin as an official document (.docx): masthead, number, summary, the ranked table",
    response_class=Response,
    responses={200: {"content": {DOCX: {}}}, **problems(401, 403, 404, 422)},
)
async def bulletin_docx(session: SessionDep, found: BulletinDep) -> Response:
    bulletin, programme = found
    said = await bulletins.content(session, programme, bulletin)
    data = await anyio.to_thread.run_sync(render, bulletins.document(said, bulletins.issued_on(bulletin)))
    return download(data, DOCX, f"{said.doc_number}-{said.title}.docx", "bulletin")


@router.get(
    "/bulletins/{bulletin_id}/sheet.xlsx",
    summary="The bulletin's table as an Excel sheet (numbers as numbers)",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}, **problems(401, 403, 404, 422)},
)
async def bulletin_xlsx(session: SessionDep, found: BulletinDep) -> Response:
    bulletin, programme = found
    said = await bulletins.content(session, programme, bulletin)
    data = await anyio.to_thread.run_sync(bulletins.sheet, said)
    return download(data, XLSX, f"{said.doc_number}-{said.title}.xlsx", "bulletin")


@public_router.get(
    "/target-board",
    response_model=TargetBoard,
    summary="The public board of target bulletins: a programme's latest published bulletin (no login)",
    description=(
        "Only published bulletins, never drafts: the programmes that have one, and the chosen programme's latest "
        "(by default the latest published of all). A programme without a published bulletin (or none at all) is 404."
    ),
    responses=problems(404, 422),
)
async def target_board(
    session: SessionDep,
    response: Response,
    programme_id: Annotated[DbId | None, Query(description="Default: the latest published bulletin's")] = None,
) -> TargetBoard:
    response.headers["Cache-Control"] = "public, max-age=60"
    return await bulletins.public_board(session, programme_id=programme_id)
