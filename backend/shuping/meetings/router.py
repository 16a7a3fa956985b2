"""Routes for meetings, their live controls, tokens, ballots, the tally and its event stream."""

from __future__ import annotations

from typing import Annotated

from fastapi import BackgroundTasks, Depends, Header, Query, Response, UploadFile, status
from fastapi.responses import StreamingResponse
from pydantic import ValidationError

from shuping.auth.dependencies import CurrentUser
from shuping.core.dependencies import SessionDep, read_only_session
from shuping.core.errors import FieldError, FieldErrors, Unauthorized
from shuping.core.i18n import N_
from shuping.core.responses import problems
from shuping.core.routing import Router
from shuping.cycles import service as cycles_service
from shuping.cycles.dependencies import CycleDep, ManagedCycleDep
from shuping.db import database
from shuping.live.stream import SSE_HEADERS, event_stream
from shuping.meetings import ballots, paper, service, tally, voters
from shuping.meetings.dependencies import (
    BALLOT_SECURITY,
    BallotCallerDep,
    IdempotencyKey,
    ManagedMeeting,
    OptionalUser,
    VisibleMeeting,
    WatcherDep,
    ballot_token_header,
)
from shuping.meetings.schemas import (
    BallotAccepted,
    BallotForm,
    BallotSubmission,
    MeetingCreate,
    MeetingRead,
    MyMeeting,
    PaperCommitResult,
    PaperEntryIn,
    PaperEntryResult,
    PaperForm,
    PaperImportCheck,
    Reconciliation,
    RevealIn,
    RevokedCount,
    SheetAccepted,
    SpeakerIn,
    Tally,
    TokensCreate,
    TokensIssued,
    TokensRevoke,
    TokenSummary,
    VotingIn,
)
from shuping.rubrics.models import ItemSource

router = Router(tags=["meetings"])
MAX_UPLOAD = 5 * 1024 * 1024
vote_router = Router(prefix="/vote", tags=["vote"])
CONTROL = problems(400, 401, 403, 404, 409, 422)


@router.get(
    "/cycles/{cycle_id}/meetings",
    response_model=list[MeetingRead],
    summary="A cycle's meetings",
    responses=problems(401, 403, 404, 422),
)
async def list_meetings(session: SessionDep, user: CurrentUser, cycle: CycleDep) -> list[MeetingRead]:
    staff = cycles_service.can_manage(user, cycle)
    return [await service.read(session, m, staff=staff) for m in await service.list_meetings(session, cycle)]


@router.post(
    "/cycles/{cycle_id}/meetings",
    response_model=MeetingRead,
    status_code=status.HTTP_201_CREATED,
    summary="Schedule a meeting with its agenda",
    responses=CONTROL,
)
async def create_meeting(
    session: SessionDep, user: CurrentUser, cycle: ManagedCycleDep, meeting_in: MeetingCreate
) -> MeetingRead:
    meeting = await service.create_meeting(session, cycle=cycle, meeting_in=meeting_in, actor=user)
    return await service.read(session, meeting, staff=True)


@router.get(
    "/meetings/{meeting_id}", response_model=MeetingRead, summary="One meeting", responses=problems(401, 403, 404, 422)
)
async def get_meeting(session: SessionDep, user: CurrentUser, ctx: VisibleMeeting) -> MeetingRead:
    return await service.read(session, ctx.meeting, staff=cycles_service.can_manage(user, ctx.cycle))


@router.post("/meetings/{meeting_id}/start", response_model=MeetingRead, summary="Start the meeting", responses=CONTROL)
async def start(session: SessionDep, user: CurrentUser, ctx: ManagedMeeting) -> MeetingRead:
    meeting = await service.start(session, meeting=ctx.meeting, cycle=ctx.cycle, actor=user)
    return await service.read(session, meeting, staff=True)


@router.post(
    "/meetings/{meeting_id}/end",
    response_model=MeetingRead,
    summary="End the meeting (closes voting)",
    responses=CONTROL,
)
async def end(session: SessionDep, user: CurrentUser, ctx: ManagedMeeting, after: BackgroundTasks) -> MeetingRead:
    meeting = await service.end(session, meeting=ctx.meeting, actor=user)
    after.add_task(database.truncate_wal)  # the rewritten ballots' voting-time pages leave the -wal file
    return await service.read(session, meeting, staff=True)


@router.post(
    "/meetings/{meeting_id}/speaker", response_model=MeetingRead, summary="Set the current speaker", responses=CONTROL
)
async def speaker(session: SessionDep, user: CurrentUser, ctx: ManagedMeeting, body: SpeakerIn) -> MeetingRead:
    meeting = await service.set_speaker(session, meeting=ctx.meeting, report_id=body.report_id, actor=user)
    return await service.read(session, meeting, staff=True)


@router.post(
    "/meetings/{meeting_id}/reports/{report_id}/voting",
    response_model=MeetingRead,
    summary="Open or close voting on a report",
    responses=CONTROL,
)
async def voting(
    session: SessionDep, user: CurrentUser, ctx: ManagedMeeting, report_id: int, body: VotingIn, after: BackgroundTasks
) -> MeetingRead:
    meeting = await service.set_voting(session, meeting=ctx.meeting, report_id=report_id, open_=body.open, actor=user)
    if not body.open:
        after.add_task(database.truncate_wal)  # the rewritten ballots' voting-time pages leave the -wal file
    return await service.read(session, meeting, staff=True)


@router.post(
    "/meetings/{meeting_id}/reveal",
    response_model=MeetingRead,
    summary="Show or hide the scores on the screen (showing is refused while a report is open for voting)",
    responses=CONTROL,
)
async def reveal(session: SessionDep, user: CurrentUser, ctx: ManagedMeeting, body: RevealIn) -> MeetingRead:
    meeting = await service.set_revealed(session, meeting=ctx.meeting, revealed=body.revealed, actor=user)
    return await service.read(session, meeting, staff=True)


@router.post(
    "/meetings/{meeting_id}/tokens",
    response_model=TokensIssued,
    status_code=status.HTTP_201_CREATED,
    summary="Issue one-time ballot tokens for an anonymous group (shown once)",
    responses=CONTROL,
)
async def issue_tokens(session: SessionDep, user: CurrentUser, ctx: ManagedMeeting, body: TokensCreate) -> TokensIssued:
    codes = await service.issue_tokens(
        session, meeting=ctx.meeting, cycle=ctx.cycle, group_key=body.group_key, count=body.count, actor=user
    )
    return TokensIssued(meeting_id=ctx.meeting.id, group_key=body.group_key, tokens=codes)


@router.get(
    "/meetings/{meeting_id}/tokens",
    response_model=list[TokenSummary],
    summary="Tokens issued, used and revoked per group",
    responses=problems(401, 403, 404, 422),
)
async def token_summary(session: SessionDep, _user: CurrentUser, ctx: ManagedMeeting) -> list[TokenSummary]:
    return await service.token_summary(session, meeting=ctx.meeting, cycle=ctx.cycle)


@router.post(
    "/meetings/{meeting_id}/tokens/revoke", response_model=RevokedCount, summary="Revoke tokens", responses=CONTROL
)
async def revoke_tokens(
    session: SessionDep, user: CurrentUser, ctx: ManagedMeeting, body: TokensRevoke
) -> RevokedCount:
    return RevokedCount(
        revoked=await service.revoke_tokens(session, meeting=ctx.meeting, codes=body.tokens, actor=user)
    )


@router.post(
    "/meetings/{meeting_id}/ballots",
    response_model=BallotAccepted | SheetAccepted,
    status_code=status.HTTP_201_CREATED,
    summary="Cast a ballot for one report, or a whole sheet (all or nothing)",
    responses=CONTROL,
    openapi_extra=BALLOT_SECURITY,
)
# The writer task stores the ballot; this request's own session only reads. A one-time-code ballot
# whose token the meeting's setting knows is answered by `meetings.intake` before it reaches this
# route, with the same checks, writer and answers.
@read_only_session
async def cast(
    session: SessionDep,
    caller: BallotCallerDep,
    idempotency_key: IdempotencyKey,
    body: BallotSubmission,
) -> Response:
    # Hand back a connection (taken only when a cache missed) before waiting on the writer.
    if session.in_transaction():
        await session.close()
    accepted = await ballots.submit(
        setting=caller.setting,
        voter=caller.voter,
        ballots_in=body.as_ballots(),
        idempotency_key=idempotency_key,
        sheet=body.is_sheet,
    )
    answer = SheetAccepted(ballots=accepted) if body.is_sheet else accepted[0]
    # Already the documented model: serialised once, not validated again against the union.
    return Response(answer.model_dump_json(), status_code=status.HTTP_201_CREATED, media_type="application/json")


@router.get(
    "/meetings/{meeting_id}/tally",
    response_model=Tally,
    summary="Ballots received per report and group; scores once revealed with no report open for voting",
    responses=problems(401, 403, 404, 422),
)
async def get_tally(session: SessionDep, watcher: WatcherDep) -> Tally:
    return await tally.build(session, watcher.meeting, watcher.cycle, receipts=True)


@router.get(
    "/meetings/{meeting_id}/events",
    summary="Live events (Server-Sent Events): speaker, voting, tally, reveal, meeting",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}, **problems(401, 403, 404, 422)},
)
async def events(
    watcher: WatcherDep,
    last_event_id: Annotated[int | None, Header(alias="Last-Event-ID", ge=0, le=2**31)] = None,
    after: Annotated[int | None, Query(ge=0, le=2**31, description="Resume after this event id")] = None,
) -> StreamingResponse:
    start_after = last_event_id if last_event_id is not None else (after or 0)
    stream = event_stream(service.channel(watcher.meeting.id), start_after)
    return StreamingResponse(stream, media_type="text/event-stream", headers=SSE_HEADERS)


@vote_router.get(
    "/form",
    response_model=BallotForm,
    summary="The ballot form for a token or a named evaluator",
    responses=problems(400, 401, 403, 404, 422),
)
async def form(
    session: SessionDep,
    user: OptionalUser,
    ballot_token: Annotated[str | None, Depends(ballot_token_header)],
    meeting_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> BallotForm:
    if ballot_token:
        token = await service.token_for(session, ballot_token, meeting_id)
        meeting = await service.get_meeting(session, token.meeting_id)
        cycle = await cycles_service.get_cycle(session, meeting.cycle_id)
        group = next(g for g in cycle.groups if g.id == token.group_id)
        voted = await service.voted_by_token(session, token)
    elif user is not None:
        if meeting_id is None:
            raise FieldError(["query", "meeting_id"], N_("Name the meeting to vote in"))
        meeting = await service.get_meeting(session, meeting_id)
        cycle = await cycles_service.get_cycle(session, meeting.cycle_id)
        group_id = await voters.evaluator_group_id(session, user=user, cycle_id=cycle.id)
        group = next(g for g in cycle.groups if g.id == group_id)
        voted = await service.voted_by_user(session, meeting, user)
    else:
        raise Unauthorized(N_("Open this page from your ballot QR code, or log in as an evaluator"))
    return await service.ballot_form(session, meeting=meeting, cycle=cycle, group=group, voted=voted)


@vote_router.get(
    "/meetings", response_model=list[MyMeeting], summary="The meetings I evaluate in", responses=problems(401)
)
async def my_meetings(session: SessionDep, user: CurrentUser) -> list[MyMeeting]:
    return await service.my_meetings(session, user)


@router.get(
    "/meetings/{meeting_id}/paper-ballots/form",
    response_model=PaperForm,
    summary="What paper sheets are entered against: the agenda, the groups, the rubric's ballot items",
    responses=problems(401, 403, 404, 422),
)
async def paper_form(session: SessionDep, user: CurrentUser, ctx: ManagedMeeting) -> PaperForm:
    if ctx.cycle.rubric is None:
        raise FieldError(["path", "meeting_id"], N_("The cycle has no rubric"))
    return await paper.form(session, meeting=ctx.meeting, cycle=ctx.cycle, actor=user)


@router.post(
    "/meetings/{meeting_id}/paper-ballots",
    response_model=PaperEntryResult,
    summary="One clerk's entry of paper ballot sheets (entry 1 or 2)",
    responses=CONTROL,
)
async def enter_paper(
    session: SessionDep, user: CurrentUser, ctx: ManagedMeeting, body: PaperEntryIn
) -> PaperEntryResult:
    stored = await paper.enter(session, meeting=ctx.meeting, cycle=ctx.cycle, entry_in=body, actor=user)
    return PaperEntryResult(entry=body.entry, stored=stored)


@router.post(
    "/meetings/{meeting_id}/paper-ballots/import",
    response_model=PaperEntryResult | PaperImportCheck,
    summary="Import one entry of paper sheets from Excel or CSV (tiers may read 好/较好/一般/较差)",
    description="With `dry_run=true` every row is checked and the answer says what would be stored "
    "(`PaperImportCheck`, row errors included); nothing is stored. Otherwise all rows are stored, or none.",
    responses=CONTROL,
)
async def import_paper(
    session: SessionDep,
    user: CurrentUser,
    ctx: ManagedMeeting,
    file: UploadFile,
    entry: Annotated[int, Query(ge=1, le=2)],
    dry_run: Annotated[bool, Query(description="Only check and say what would be stored; store nothing")] = False,
) -> PaperEntryResult | PaperImportCheck:
    if ctx.cycle.rubric is None:
        raise FieldError(["path", "meeting_id"], N_("The cycle has no rubric"))
    ballot_items = [i for i in ctx.cycle.rubric.items if i.source == ItemSource.ballot]
    item_keys = [i.key for i in ballot_items]
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise FieldError(["body", "file"], N_("The file is larger than 5 MB"))
    rows = await paper.read_file(file.filename or "sheets.xlsx", data)
    titles = {i.key: i.title for i in ballot_items}
    parsed = paper.parse_rows(rows, item_keys, titles, {g.name: g.key for g in ctx.cycle.groups})
    if dry_run:
        return await paper.check_import(
            session, meeting=ctx.meeting, cycle=ctx.cycle, parsed=parsed, entry=entry, actor=user
        )
    if parsed.problems:
        raise FieldErrors(
            [{"loc": ["body", "file"], "msg": p.located()} for p in parsed.problems[:200]],
            detail=N_("{count} row(s) cannot be read; nothing was imported", count=len(parsed.problems)),
        )
    try:
        entry_in = PaperEntryIn.model_validate({"entry": entry, "sheets": parsed.sheets})
    except ValidationError as exc:
        raise FieldErrors(
            [{"loc": ["body", "file", *e["loc"]], "msg": e["msg"]} for e in exc.errors()][:200],
            detail=N_("Some rows are invalid; nothing was imported"),
        ) from None
    stored = await paper.enter(session, meeting=ctx.meeting, cycle=ctx.cycle, entry_in=entry_in, actor=user)
    return PaperEntryResult(entry=entry, stored=stored)


@router.get(
    "/meetings/{meeting_id}/paper-ballots/reconciliation",
    response_model=Reconciliation,
    summary="Compare the two entries: matched sheets and every difference",
    responses=problems(401, 403, 404, 422),
)
async def reconciliation(session: SessionDep, user: CurrentUser, ctx: ManagedMeeting) -> Reconciliation:
    return await paper.reconcile(session, meeting=ctx.meeting, cycle=ctx.cycle, actor=user)


@router.post(
    "/meetings/{meeting_id}/paper-ballots/commit",
    response_model=PaperCommitResult,
    summary="Count the sheets whose two entries agree",
    responses=CONTROL,
)
async def commit_paper(session: SessionDep, user: CurrentUser, ctx: ManagedMeeting) -> PaperCommitResult:
    return await paper.commit(session, meeting=ctx.meeting, cycle=ctx.cycle, actor=user)
