"""Meetings: agenda, the host's controls (start, speaker, voting, reveal, end) and tokens."""

from __future__ import annotations

import secrets
from collections.abc import Container, Mapping, Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from shuping.audit import service as audit
from shuping.auth.models import User
from shuping.core.errors import FieldError, InvalidState, NotFound
from shuping.core.i18n import N_, OneOf
from shuping.cycles import freeze
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle, CycleStage, EvaluatorGroup, EvaluatorGroupMember
from shuping.cycles.schemas import Blocker
from shuping.db import utcnow
from shuping.live import service as live
from shuping.meetings import tokens as token_codes
from shuping.meetings.anonymise import anonymise
from shuping.meetings.errors import ForeignToken, RevealWhileVoting, TokenRevoked, UnknownToken
from shuping.meetings.models import (
    AgendaItem,
    Ballot,
    BallotToken,
    EvaluatorUse,
    Meeting,
    MeetingStatus,
    TokenUse,
    Voting,
)
from shuping.meetings.schemas import (
    AgendaItemRead,
    BallotForm,
    FormItem,
    FormReport,
    MeetingCreate,
    MeetingRead,
    MyMeeting,
    TokenSummary,
)
from shuping.orgs.models import Organization
from shuping.reports.models import Report
from shuping.rubrics.models import ItemKind, ItemSource


def channel(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


async def get_meeting(session: AsyncSession, meeting_id: int) -> Meeting:
    stmt = (
        select(Meeting)
        .options(selectinload(Meeting.agenda))
        .where(Meeting.id == meeting_id)
        .execution_options(populate_existing=True)
    )
    meeting = (await session.execute(stmt)).scalar_one_or_none()
    if meeting is None:
        raise NotFound(N_("Meeting {meeting_id} does not exist", meeting_id=meeting_id))
    return meeting


async def agenda_reports(session: AsyncSession, meeting: Meeting) -> dict[int, tuple[Report, Organization]]:
    ids = [a.report_id for a in meeting.agenda]
    rows = (
        await session.execute(
            select(Report, Organization).join(Organization, Organization.id == Report.org_id).where(Report.id.in_(ids))
        )
    ).all()
    return {r.id: (r, o) for r, o in rows}


async def read(session: AsyncSession, meeting: Meeting, *, staff: bool) -> MeetingRead:
    reports = await agenda_reports(session, meeting)
    agenda = [
        AgendaItemRead(
            report_id=a.report_id,
            position=a.position,
            org_code=reports[a.report_id][1].code,
            org_name=reports[a.report_id][1].name,
            title=reports[a.report_id][0].title,
            voting=a.voting,
        )
        for a in meeting.agenda
    ]
    return MeetingRead(
        id=meeting.id,
        cycle_id=meeting.cycle_id,
        title=meeting.title,
        direction=meeting.direction,
        starts_at=meeting.starts_at,
        status=meeting.status,
        current_report_id=meeting.current_report_id,
        revealed=meeting.revealed,
        screen_key=meeting.screen_key if staff else None,
        started_at=meeting.started_at,
        ended_at=meeting.ended_at,
        agenda=agenda,
    )


async def list_meetings(session: AsyncSession, cycle: Cycle) -> Sequence[Meeting]:
    stmt = (
        select(Meeting)
        .options(selectinload(Meeting.agenda))
        .where(Meeting.cycle_id == cycle.id)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return (await session.execute(stmt)).scalars().all()


async def create_meeting(session: AsyncSession, *, cycle: Cycle, meeting_in: MeetingCreate, actor: User) -> Meeting:
    cycles_service.require_stage(cycle, CycleStage.evaluation, doing=N_("hold a meeting"))
    if len(set(meeting_in.report_ids)) != len(meeting_in.report_ids):
        raise FieldError(["body", "report_ids"], N_("A report appears twice on the agenda"))
    found = set(
        (
            await session.execute(
                select(Report.id).where(Report.cycle_id == cycle.id, Report.id.in_(meeting_in.report_ids))
            )
        ).scalars()
    )
    for i, rid in enumerate(meeting_in.report_ids):
        if rid not in found:
            raise FieldError(["body", "report_ids", i], N_("Report {rid} is not a report of this cycle", rid=rid))
    meeting = Meeting(
        cycle_id=cycle.id,
        title=meeting_in.title,
        direction=meeting_in.direction,
        starts_at=meeting_in.starts_at,
        status=MeetingStatus.scheduled,
        screen_key=secrets.token_urlsafe(24),
        agenda=[
            AgendaItem(report_id=rid, position=i, voting=Voting.pending)
            for i, rid in enumerate(meeting_in.report_ids, start=1)
        ],
    )
    session.add(meeting)
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="meeting.create",
        entity_type="meeting",
        entity_id=meeting.id,
        data={
            "cycle_id": cycle.id,
            "title": meeting.title,
            "direction": meeting.direction,
            "report_ids": meeting_in.report_ids,
        },
    )
    return await get_meeting(session, meeting.id)


def _require_status(meeting: Meeting, *statuses: MeetingStatus, doing: str) -> None:
    if meeting.status not in statuses:
        allowed = OneOf(statuses)
        raise InvalidState(
            N_(
                "Cannot {doing}: the meeting is {value}, this needs it {allowed}",
                doing=doing,
                value=meeting.status,
                allowed=allowed,
            )
        )


def agenda_item(meeting: Meeting, report_id: int) -> AgendaItem:
    for item in meeting.agenda:
        if item.report_id == report_id:
            return item
    raise NotFound(N_("Report {report_id} is not on this meeting's agenda", report_id=report_id))


async def _changed(
    session: AsyncSession, meeting: Meeting, actor: User, action: str, event: str, data: dict[str, Any]
) -> Meeting:
    await session.flush()
    await audit.record(
        session, actor=actor, action=f"meeting.{action}", entity_type="meeting", entity_id=meeting.id, data=data
    )
    await live.publish(session, channel(meeting.id), event, data)
    return await get_meeting(session, meeting.id)


async def start(session: AsyncSession, *, meeting: Meeting, cycle: Cycle, actor: User) -> Meeting:
    cycles_service.require_stage(cycle, CycleStage.evaluation, doing=N_("start a meeting"))
    _require_status(meeting, MeetingStatus.scheduled, doing=N_("start"))
    await freeze.require_not_frozen(session, cycle.id, N_("start a meeting"))
    meeting.status = MeetingStatus.live
    meeting.started_at = utcnow()
    return await _changed(session, meeting, actor, "start", "meeting", {"status": meeting.status.value})


async def end(session: AsyncSession, *, meeting: Meeting, actor: User) -> Meeting:
    _require_status(meeting, MeetingStatus.live, doing=N_("end"))
    closed = [a.report_id for a in meeting.agenda if a.voting == Voting.open]
    for item in meeting.agenda:
        if item.voting == Voting.open:
            item.voting = Voting.closed
    meeting.status = MeetingStatus.ended
    meeting.ended_at = utcnow()
    await session.flush()
    await anonymise(session, meeting_id=meeting.id, report_ids=closed)
    for rid in closed:
        await live.publish(session, channel(meeting.id), "voting", {"report_id": rid, "open": False})
    return await _changed(session, meeting, actor, "end", "meeting", {"status": meeting.status.value})


async def set_speaker(session: AsyncSession, *, meeting: Meeting, report_id: int, actor: User) -> Meeting:
    _require_status(meeting, MeetingStatus.live, doing=N_("set the speaker"))
    agenda_item(meeting, report_id)
    meeting.current_report_id = report_id
    return await _changed(session, meeting, actor, "speaker", "speaker", {"report_id": report_id})


async def set_voting(session: AsyncSession, *, meeting: Meeting, report_id: int, open_: bool, actor: User) -> Meeting:
    _require_status(meeting, MeetingStatus.live, doing=N_("open or close voting"))
    item = agenda_item(meeting, report_id)
    target = Voting.open if open_ else Voting.closed
    if item.voting == target:
        return meeting
    # Guarded update: two consoles racing cannot both change it.
    result = await session.execute(
        update(AgendaItem)
        .where(AgendaItem.id == item.id, AgendaItem.voting == item.voting)
        .values(voting=target)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise InvalidState(N_("Voting on this report changed meanwhile; reload and try again"))
    if not open_:
        await anonymise(session, meeting_id=meeting.id, report_ids=[report_id])
    return await _changed(session, meeting, actor, "voting", "voting", {"report_id": report_id, "open": open_})


async def set_revealed(session: AsyncSession, *, meeting: Meeting, revealed: bool, actor: User) -> Meeting:
    if revealed:
        open_ids = [a.report_id for a in meeting.agenda if a.voting == Voting.open]
        if open_ids:
            raise RevealWhileVoting(
                N_("Close voting first: scores are not shown while a report is open for voting"),
                extra={"report_ids": open_ids},
            )
    meeting.revealed = revealed
    return await _changed(session, meeting, actor, "reveal", "reveal", {"revealed": revealed})


# ---------------------------------------------------------------- tokens


def _anonymous_group(cycle: Cycle, key: str) -> EvaluatorGroup:
    for group in cycle.groups:
        if group.key == key:
            if not group.anonymous:
                raise FieldError(["body", "group_key"], N_("Group {key!r} votes by name; it takes no tokens", key=key))
            return group
    raise FieldError(["body", "group_key"], N_("The cycle has no evaluator group {key!r}", key=key))


async def issue_tokens(
    session: AsyncSession, *, meeting: Meeting, cycle: Cycle, group_key: str, count: int, actor: User
) -> list[str]:
    _require_status(meeting, MeetingStatus.scheduled, MeetingStatus.live, doing=N_("issue tokens"))
    group = _anonymous_group(cycle, group_key)
    codes = [token_codes.new_token() for _ in range(count)]
    session.add_all(
        BallotToken(meeting_id=meeting.id, group_id=group.id, token_hash=token_codes.token_hash(c)) for c in codes
    )
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="meeting.tokens_issue",
        entity_type="meeting",
        entity_id=meeting.id,
        data={"group_key": group_key, "count": count},
    )
    return codes


async def revoke_tokens(session: AsyncSession, *, meeting: Meeting, codes: Sequence[str], actor: User) -> int:
    hashes = [token_codes.token_hash(c) for c in codes]
    result = await session.execute(
        update(BallotToken)
        .where(BallotToken.meeting_id == meeting.id, BallotToken.token_hash.in_(hashes), BallotToken.revoked.is_(False))
        .values(revoked=True)
        .execution_options(synchronize_session=False)
    )
    revoked = int(getattr(result, "rowcount", 0) or 0)
    await audit.record(
        session,
        actor=actor,
        action="meeting.tokens_revoke",
        entity_type="meeting",
        entity_id=meeting.id,
        data={"revoked": revoked},
    )
    return revoked


async def token_summary(session: AsyncSession, *, meeting: Meeting, cycle: Cycle) -> list[TokenSummary]:
    used = select(TokenUse.token_id).distinct().scalar_subquery()
    rows = (
        await session.execute(
            select(
                BallotToken.group_id,
                func.count(),
                func.count().filter(BallotToken.revoked.is_(True)),
                func.count().filter(BallotToken.id.in_(used)),
            )
            .where(BallotToken.meeting_id == meeting.id)
            .group_by(BallotToken.group_id)
        )
    ).all()
    by_group = {gid: (int(n), int(rev or 0), int(u)) for gid, n, rev, u in rows}
    return [
        TokenSummary(
            group_key=g.key,
            issued=by_group.get(g.id, (0, 0, 0))[0],
            revoked=by_group.get(g.id, (0, 0, 0))[1],
            used=by_group.get(g.id, (0, 0, 0))[2],
        )
        for g in cycle.groups
        if g.anonymous
    ]


async def token_for(session: AsyncSession, code: str, meeting_id: int | None) -> BallotToken:
    """The live token behind a code, checked against the meeting it is used for."""
    token = (
        await session.execute(select(BallotToken).where(BallotToken.token_hash == token_codes.token_hash(code)))
    ).scalar_one_or_none()
    if token is None:
        raise UnknownToken(N_("This ballot code is not known; check the QR code or ask the meeting's host"))
    if meeting_id is not None and token.meeting_id != meeting_id:
        raise ForeignToken(N_("This ballot code was issued for another meeting"))
    if token.revoked:
        raise TokenRevoked()
    return token


# ---------------------------------------------------------------- gate


async def no_live_meeting(session: AsyncSession, cycle: Cycle) -> list[Blocker]:
    live_titles = (
        (
            await session.execute(
                select(Meeting.title).where(Meeting.cycle_id == cycle.id, Meeting.status == MeetingStatus.live)
            )
        )
        .scalars()
        .all()
    )
    return [
        Blocker(code="meeting_live", message=N_("Meeting {t} is still live; end it first", t=t), params={"meeting": t})
        for t in live_titles
    ]


# ---------------------------------------------------------------- the phone's ballot form


async def ballot_form(
    session: AsyncSession, *, meeting: Meeting, cycle: Cycle, group: EvaluatorGroup, voted: set[int]
) -> BallotForm:
    assert cycle.rubric is not None
    reports = await agenda_reports(session, meeting)
    return BallotForm(
        meeting_id=meeting.id,
        meeting_title=meeting.title,
        direction=meeting.direction,
        status=meeting.status,
        group_key=group.key,
        group_name=group.name,
        anonymous=group.anonymous,
        current_report_id=meeting.current_report_id,
        reports=form_reports(meeting, reports, voted),
        items=form_items(cycle),
        opinion_categories=[c.name for c in cycle.opinion_categories],
    )


def form_reports(meeting: Meeting, reports: Mapping[int, Any], voted: Container[int] = ()) -> list[FormReport]:
    """The agenda as a ballot form lists it (online or paper): each report with its unit and whether
    `voted` holds it; `reports` is `agenda_reports`' answer."""
    return [
        FormReport(
            report_id=a.report_id,
            org_name=reports[a.report_id][1].name,
            title=reports[a.report_id][0].title,
            voting=a.voting,
            voted=a.report_id in voted,
        )
        for a in meeting.agenda
    ]


def form_items(cycle: Cycle) -> list[FormItem]:
    """The rubric's ballot items as a ballot form shows them, in the rubric's order."""
    assert cycle.rubric is not None
    return [
        FormItem(
            key=i.key,
            title=i.title,
            kind="tier" if i.kind == ItemKind.tier else "score",
            max_points=format(i.max_points, "f"),
            description=i.description or None,
        )
        for i in cycle.rubric.items
        if i.source == ItemSource.ballot
    ]


async def voted_by_token(session: AsyncSession, token: BallotToken) -> set[int]:
    return set((await session.execute(select(TokenUse.report_id).where(TokenUse.token_id == token.id))).scalars())


async def voted_by_user(session: AsyncSession, meeting: Meeting, user: User) -> set[int]:
    """The reports a signed-in evaluator has voted on: by their named ballots, or, in an anonymous
    group, by the uses kept apart from ballots that name nobody."""
    named = select(Ballot.report_id).where(Ballot.meeting_id == meeting.id, Ballot.evaluator_id == user.id)
    anonymous = select(EvaluatorUse.report_id).where(
        EvaluatorUse.meeting_id == meeting.id, EvaluatorUse.user_id == user.id
    )
    return set((await session.execute(named.union(anonymous))).scalars())


async def my_meetings(session: AsyncSession, user: User) -> list[MyMeeting]:
    rows = (
        await session.execute(
            select(Meeting, EvaluatorGroup.key, EvaluatorGroup.name)
            .join(EvaluatorGroupMember, EvaluatorGroupMember.cycle_id == Meeting.cycle_id)
            .join(EvaluatorGroup, EvaluatorGroup.id == EvaluatorGroupMember.group_id)
            .where(EvaluatorGroupMember.user_id == user.id)
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        )
    ).all()
    return [
        MyMeeting(meeting_id=m.id, meeting_title=m.title, status=m.status, group_key=key, group_name=name)
        for m, key, name in rows
    ]
