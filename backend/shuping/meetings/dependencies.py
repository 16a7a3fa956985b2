"""Load a meeting with its cycle; decide who drives it, who watches it, and who votes."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Query, Request
from fastapi.security import APIKeyHeader
from fastapi.security.utils import get_authorization_scheme_param

from shuping.auth import service as auth_service
from shuping.auth import tokens
from shuping.auth.dependencies import CurrentUser, oauth2_scheme
from shuping.auth.models import User
from shuping.core.dependencies import SessionDep
from shuping.core.errors import Forbidden, Unauthorized
from shuping.core.i18n import N_
from shuping.core.schemas import MAX_ID
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle
from shuping.meetings import service, voters
from shuping.meetings.models import Meeting

ballot_token_header = APIKeyHeader(
    name="X-Ballot-Token", auto_error=False, description="A one-time ballot token from a QR code"
)


@dataclass
class MeetingContext:
    meeting: Meeting
    cycle: Cycle


async def _context(session: SessionDep, meeting_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> MeetingContext:
    meeting = await service.get_meeting(session, meeting_id)
    return MeetingContext(meeting, await cycles_service.get_cycle(session, meeting.cycle_id))


MeetingCtx = Annotated[MeetingContext, Depends(_context)]


async def managed(user: CurrentUser, ctx: MeetingCtx) -> MeetingContext:
    cycles_service.require_manage(user, ctx.cycle)
    return ctx


ManagedMeeting = Annotated[MeetingContext, Depends(managed)]


async def visible(session: SessionDep, user: CurrentUser, ctx: MeetingCtx) -> MeetingContext:
    if not await cycles_service.can_view(session, user, ctx.cycle.id):
        raise Forbidden(N_("You have no part in this meeting's cycle"))
    return ctx


VisibleMeeting = Annotated[MeetingContext, Depends(visible)]


async def _optional_user(session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]) -> User | None:
    if not token:
        return None
    return await auth_service.user_from_token(session, token, tokens.TokenType.access)


OptionalUser = Annotated[User | None, Depends(_optional_user)]


async def watcher(
    session: SessionDep,
    ctx: MeetingCtx,
    user: OptionalUser,
    key: Annotated[str | None, Query(max_length=100, description="The meeting's screen key")] = None,
) -> MeetingContext:
    """The big screen (by its key), the host's staff, or anyone with a part in the cycle: all see the
    same tally (scores only once revealed, DESIGN §4)."""
    if user is not None:
        if cycles_service.can_manage(user, ctx.cycle) or await cycles_service.can_view(session, user, ctx.cycle.id):
            return ctx
        raise Forbidden(N_("You have no part in this meeting's cycle"))
    if key is not None and secrets.compare_digest(key, ctx.meeting.screen_key):
        return ctx
    if key is not None:
        raise Forbidden(N_("Wrong screen key for this meeting"))
    raise Unauthorized(N_("A bearer token or the meeting's screen key is required"))


WatcherDep = Annotated[MeetingContext, Depends(watcher)]


@dataclass(frozen=True)
class BallotCaller:
    setting: voters.BallotSetting
    voter: voters.Voter


# The ballot route reads its credentials itself (below) and declares them for the docs here.
BALLOT_SECURITY: dict[str, Any] = {"security": [{ballot_token_header.scheme_name: []}, {oauth2_scheme.scheme_name: []}]}


async def ballot_caller(
    request: Request, session: SessionDep, meeting_id: Annotated[int, Path(ge=1, le=MAX_ID)]
) -> BallotCaller:
    """What a ballot is checked against and who casts it, in one dependency: a ballot request
    must stay cheap, and each dependency costs FastAPI tens of microseconds to solve."""
    setting = await voters.settings.get(session, meeting_id)
    ballot_token = request.headers.get(ballot_token_header.model.name)
    if ballot_token:
        return BallotCaller(setting, await voters.token_voter(session, code=ballot_token, setting=setting))
    scheme, bearer = get_authorization_scheme_param(request.headers.get("authorization"))
    if scheme.lower() == "bearer" and bearer:
        user = await auth_service.user_from_token(session, bearer, tokens.TokenType.access)
        return BallotCaller(setting, await voters.named_voter(session, user=user, setting=setting))
    raise Unauthorized(N_("Vote with a ballot token (X-Ballot-Token) or as a logged-in evaluator"))


BallotCallerDep = Annotated[BallotCaller, Depends(ballot_caller)]

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=8,
        max_length=64,
        pattern=r"^[A-Za-z0-9_.:\-]+$",
        description="A fresh random key per ballot, reused unchanged on retries",
    ),
]
