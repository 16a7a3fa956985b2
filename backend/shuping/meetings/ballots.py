"""Ballot intake: who may vote, idempotent retries, one use per token and report, scoring checks."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import User
from shuping.core.errors import FieldError, InvalidState
from shuping.cycles.models import Cycle, EvaluatorGroup, EvaluatorGroupMember
from shuping.db import utcnow
from shuping.live import service as live
from shuping.meetings import service, tally
from shuping.meetings import tokens as codes
from shuping.meetings.errors import IdempotencyMismatch, NotAnEvaluator, TokenUsed, VotingClosed
from shuping.meetings.models import (
    Ballot,
    BallotSource,
    BallotToken,
    IdempotencyRecord,
    Meeting,
    MeetingStatus,
    TokenUse,
    Voting,
)
from shuping.meetings.schemas import BallotAccepted, BallotIn
from shuping.results import scoring
from shuping.results.inputs import scoring_rubric

IDEMPOTENCY_HOURS = 48


@dataclass(frozen=True)
class Voter:
    """Who casts a ballot: a named evaluator, or the holder of a one-time token."""

    group: EvaluatorGroup
    user: User | None = None
    token: BallotToken | None = None
    # Secret-derived for tokens, so stored idempotency scopes do not lead back to a token.
    principal: str = ""

    @property
    def source(self) -> BallotSource:
        return BallotSource.named if self.user is not None else BallotSource.token


async def named_voter(session: AsyncSession, *, user: User, cycle: Cycle) -> Voter:
    group_id = await session.scalar(
        select(EvaluatorGroupMember.group_id).where(
            EvaluatorGroupMember.cycle_id == cycle.id, EvaluatorGroupMember.user_id == user.id
        )
    )
    group = next((g for g in cycle.groups if g.id == group_id), None)
    if group is None:
        raise NotAnEvaluator("You are not assigned to an evaluator group of this cycle")
    return Voter(group=group, user=user, principal=f"user:{user.id}")


async def token_voter(session: AsyncSession, *, code: str, meeting: Meeting, cycle: Cycle) -> Voter:
    token = await service.token_for(session, code, meeting.id)
    group = next(g for g in cycle.groups if g.id == token.group_id)
    return Voter(group=group, token=token, principal="token:" + hashlib.sha256(b"scope:" + code.encode()).hexdigest())


def _insert(session: AsyncSession) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _request_hash(ballots: Sequence[BallotIn], sheet: bool) -> str:
    body = {"sheet": sheet, "ballots": [b.model_dump(mode="json") for b in ballots]}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


async def _claim_key(
    session: AsyncSession, *, scope: str, key: str, request_hash: str
) -> tuple[int | None, dict[str, Any] | None]:
    """Claim the key, or find the first answer to it. A concurrent twin waits for the first to commit."""
    row_id = await session.scalar(
        _insert(session)(IdempotencyRecord)
        .values(scope=scope, key=key, request_hash=request_hash, status_code=0, response={}, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["scope", "key"])
        .returning(IdempotencyRecord.id)
    )
    if row_id is not None:
        return int(row_id), None
    record = (
        await session.execute(
            select(IdempotencyRecord).where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
        )
    ).scalar_one()
    if record.request_hash != request_hash:
        raise IdempotencyMismatch("This Idempotency-Key was already used for a different ballot; use a new key")
    return None, record.response


def _check_items(rubric: scoring.Rubric, ballot_in: BallotIn, loc: list[str | int], group: str) -> scoring.Ballot:
    for key, value in ballot_in.items.items():
        if isinstance(value, Decimal):
            continue
        item = next((i for i in rubric.ballot_items if i.key == key), None)
        if item is not None and item.kind != "tier":
            raise FieldError([*loc, "items", key], f"{key} takes a number from 0 to {item.max_points}")
    try:
        return scoring.score_ballot(rubric, group, dict(ballot_in.items))
    except scoring.ScoringError as exc:
        message = str(exc)
        field = message.split(":", 1)[0]
        where: list[str | int] = [*loc, "items"] if " " in field else [*loc, "items", field]
        raise FieldError(where, message) from None


async def submit(
    session: AsyncSession,
    *,
    meeting: Meeting,
    cycle: Cycle,
    voter: Voter,
    ballots_in: Sequence[BallotIn],
    idempotency_key: str,
    sheet: bool,
) -> list[BallotAccepted]:
    """Store the ballots (all or nothing) and answer with their receipts; a retry gets the same answer."""
    scope = codes.idempotency_scope(voter.principal, meeting.id)
    record_id, replay = await _claim_key(
        session, scope=scope, key=idempotency_key, request_hash=_request_hash(ballots_in, sheet)
    )
    if replay is not None:
        return [BallotAccepted.model_validate(b) for b in replay["ballots"]]
    if meeting.status != MeetingStatus.live:
        raise InvalidState(f"The meeting is {meeting.status.value}; ballots are taken only while it is live")
    assert cycle.rubric is not None
    rubric = scoring_rubric(cycle.rubric)
    categories = {c.name for c in cycle.opinion_categories}
    seen: set[int] = set()
    accepted: list[BallotAccepted] = []
    for i, ballot_in in enumerate(ballots_in):
        loc: list[str | int] = ["body", "ballots", i] if sheet else ["body"]
        if ballot_in.report_id in seen:
            raise FieldError([*loc, "report_id"], "The sheet scores this report twice")
        seen.add(ballot_in.report_id)
        try:
            item = service.agenda_item(meeting, ballot_in.report_id)
        except Exception:
            raise FieldError(
                [*loc, "report_id"], f"Report {ballot_in.report_id} is not on this meeting's agenda"
            ) from None
        if item.voting != Voting.open:
            raise VotingClosed(f"Voting on report {ballot_in.report_id} is {item.voting.value}")
        scored = _check_items(rubric, ballot_in, loc, voter.group.key)
        if ballot_in.comment_category is not None and ballot_in.comment_category not in categories:
            raise FieldError(
                [*loc, "comment_category"], f"Not one of the cycle's categories: {', '.join(sorted(categories))}"
            )
        receipt = await _store(session, meeting=meeting, voter=voter, ballot_in=ballot_in, scored=scored)
        accepted.append(BallotAccepted(receipt=receipt, report_id=ballot_in.report_id, group_key=voter.group.key))
    await session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.id == record_id)
        .values(status_code=201, response={"ballots": [a.model_dump(mode="json") for a in accepted]})
    )
    await audit.record(
        session,
        actor=voter.user,
        actor_name=None if voter.user else "ballot-token",
        action="ballot.count",
        entity_type="meeting",
        entity_id=meeting.id,
        data={"receipts": [a.receipt for a in accepted], "group": voter.group.key, "source": voter.source.value},
    )
    live.on_commit(session, "tally", meeting.id, tally.notifier.touch_all)
    return accepted


async def _store(
    session: AsyncSession, *, meeting: Meeting, voter: Voter, ballot_in: BallotIn, scored: scoring.Ballot
) -> str:
    if voter.token is not None:
        used = await session.scalar(
            _insert(session)(TokenUse)
            .values(token_id=voter.token.id, report_id=ballot_in.report_id)
            .on_conflict_do_nothing(index_elements=["token_id", "report_id"])
            .returning(TokenUse.id)
        )
        if used is None:
            raise TokenUsed(f"This ballot code has already voted on report {ballot_in.report_id}")
    receipt = codes.new_receipt()
    values = {
        "id": codes.new_ballot_id(),
        "meeting_id": meeting.id,
        "report_id": ballot_in.report_id,
        "group_id": voter.group.id,
        "source": voter.source,
        "evaluator_id": voter.user.id if voter.user else None,
        "receipt": receipt,
        "items": {k: str(v) for k, v in ballot_in.items.items()},
        "total": Decimal(scored.total.numerator) / Decimal(scored.total.denominator),
        "first_tier": scored.first_tier.value if scored.first_tier else None,
        "comment": ballot_in.comment or None,
        "comment_category": ballot_in.comment_category if ballot_in.comment else None,
    }
    if voter.user is not None:
        # A named evaluator's later ballot replaces the earlier one while voting is open.
        replaceable = {k: v for k, v in values.items() if k not in ("id", "meeting_id", "report_id", "evaluator_id")}
        await session.execute(
            _insert(session)(Ballot)
            .values(**values)
            .on_conflict_do_update(index_elements=["meeting_id", "report_id", "evaluator_id"], set_=replaceable)
        )
    else:
        session.add(Ballot(**values))
        await session.flush()
    return receipt


async def purge_idempotency(session: AsyncSession) -> int:
    """Forget answers older than the retry window."""
    from datetime import timedelta

    cutoff = utcnow() - timedelta(hours=IDEMPOTENCY_HOURS)
    result = await session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
