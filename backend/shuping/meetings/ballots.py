"""Ballot intake: who may vote, idempotent retries, one use per token and report, group commit.

The request checks everything it can without writing (who votes, the items, the agenda).
Then one writer task per process stores the ballots of many requests in one transaction,
each request in its own savepoint, and answers each request only after that commit: one
transaction per ballot tops out near 500 ballots/s on SQLite here, grouped commits go far
beyond. Everything whose truth can change meanwhile (voting open, token revoked or used,
the idempotency key) is checked again inside the writer's transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import User
from shuping.core.errors import AppError, FieldError, InvalidState, NotFound, ServiceUnavailable
from shuping.cycles.models import Cycle, EvaluatorGroup, EvaluatorGroupMember
from shuping.db import database, utcnow
from shuping.meetings import service, tally
from shuping.meetings import tokens as codes
from shuping.meetings.errors import (
    IdempotencyMismatch,
    NotAnEvaluator,
    TokenRevoked,
    TokenUsed,
    VotingClosed,
)
from shuping.meetings.models import (
    AgendaItem,
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
from shuping.results.models import ResultSet, ResultStatus

log = logging.getLogger("shuping.meetings")
IDEMPOTENCY_HOURS = 48
MAX_BATCH = 128


@dataclass(frozen=True)
class Voter:
    """Who casts a ballot: a named evaluator, or the holder of a one-time token."""

    group: EvaluatorGroup
    user: User | None = None
    token_id: int | None = None
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
    scope = "token:" + hashlib.sha256(b"scope:" + code.encode()).hexdigest()
    return Voter(group=group, token_id=token.id, principal=scope)


# ---------------------------------------------------------------- checks without writing


@dataclass(frozen=True)
class Prepared:
    """A ballot that passed every check that needs no write."""

    report_id: int
    items: dict[str, str]
    total: Decimal
    first_tier: str | None
    comment: str | None
    comment_category: str | None


def _check_items(rubric: scoring.Rubric, ballot_in: BallotIn, loc: list[str | int], group: str) -> scoring.Ballot:
    for key, value in ballot_in.items.items():
        item = next((i for i in rubric.ballot_items if i.key == key), None)
        if item is not None and item.kind != "tier" and not isinstance(value, Decimal):
            raise FieldError([*loc, "items", key], f"{key} takes a number from 0 to {item.max_points}")
    try:
        return scoring.score_ballot(rubric, group, dict(ballot_in.items))
    except scoring.ScoringError as exc:
        message = str(exc)
        field_name = message.split(":", 1)[0]
        where: list[str | int] = [*loc, "items"] if " " in field_name else [*loc, "items", field_name]
        raise FieldError(where, message) from None


def prepare(
    *, meeting: Meeting, cycle: Cycle, voter: Voter, ballots_in: Sequence[BallotIn], sheet: bool
) -> list[Prepared]:
    """Check the ballots against the agenda and the rubric; raise the first problem found."""
    if meeting.status != MeetingStatus.live:
        raise InvalidState(f"The meeting is {meeting.status.value}; ballots are taken only while it is live")
    assert cycle.rubric is not None
    rubric = scoring_rubric(cycle.rubric)
    categories = {c.name for c in cycle.opinion_categories}
    seen: set[int] = set()
    out: list[Prepared] = []
    for i, ballot_in in enumerate(ballots_in):
        loc: list[str | int] = ["body", "ballots", i] if sheet else ["body"]
        if ballot_in.report_id in seen:
            raise FieldError([*loc, "report_id"], "The sheet scores this report twice")
        seen.add(ballot_in.report_id)
        try:
            item = service.agenda_item(meeting, ballot_in.report_id)
        except NotFound:
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
        out.append(
            Prepared(
                report_id=ballot_in.report_id,
                items={k: format(v, "f") if isinstance(v, Decimal) else str(v) for k, v in ballot_in.items.items()},
                total=Decimal(scored.total.numerator) / Decimal(scored.total.denominator),
                first_tier=scored.first_tier.value if scored.first_tier else None,
                comment=ballot_in.comment or None,
                comment_category=ballot_in.comment_category if ballot_in.comment else None,
            )
        )
    return out


def request_hash(ballots_in: Sequence[BallotIn], sheet: bool) -> str:
    body = {"sheet": sheet, "ballots": [b.model_dump(mode="json") for b in ballots_in]}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


# ---------------------------------------------------------------- writing, in groups


@dataclass
class Job:
    meeting_id: int
    voter: Voter
    ballots: list[Prepared]
    scope: str
    key: str
    request_hash: str
    # The prepared ballots may be stale for a retry: a stored answer is replayed before any check.
    future: asyncio.Future[list[BallotAccepted]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


def _insert(session: AsyncSession) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


async def _claim_key(session: AsyncSession, job: Job) -> tuple[int | None, dict[str, Any] | None]:
    """Claim the key, or find the first answer to it. A concurrent twin waits for the first to commit."""
    row_id = await session.scalar(
        _insert(session)(IdempotencyRecord)
        .values(
            scope=job.scope, key=job.key, request_hash=job.request_hash, status_code=0, response={}, created_at=utcnow()
        )
        .on_conflict_do_nothing(index_elements=["scope", "key"])
        .returning(IdempotencyRecord.id)
    )
    if row_id is not None:
        return int(row_id), None
    record = (
        await session.execute(
            select(IdempotencyRecord).where(IdempotencyRecord.scope == job.scope, IdempotencyRecord.key == job.key)
        )
    ).scalar_one()
    if record.request_hash != job.request_hash:
        raise IdempotencyMismatch("This Idempotency-Key was already used for a different ballot; use a new key")
    return None, record.response


async def _store(session: AsyncSession, job: Job, ballot: Prepared) -> str:
    voter = job.voter
    if voter.token_id is not None:
        used = await session.scalar(
            _insert(session)(TokenUse)
            .values(token_id=voter.token_id, report_id=ballot.report_id)
            .on_conflict_do_nothing(index_elements=["token_id", "report_id"])
            .returning(TokenUse.id)
        )
        if used is None:
            raise TokenUsed(f"This ballot code has already voted on report {ballot.report_id}")
    receipt = codes.new_receipt()
    values: dict[str, Any] = {
        "id": codes.new_ballot_id(),
        "meeting_id": job.meeting_id,
        "report_id": ballot.report_id,
        "group_id": voter.group.id,
        "source": voter.source,
        "evaluator_id": voter.user.id if voter.user else None,
        "receipt": receipt,
        "items": ballot.items,
        "total": ballot.total,
        "first_tier": ballot.first_tier,
        "comment": ballot.comment,
        "comment_category": ballot.comment_category,
    }
    stmt = _insert(session)(Ballot).values(**values)
    if voter.user is not None:
        # A named evaluator's later ballot replaces the earlier one while voting is open.
        keep = ("id", "meeting_id", "report_id", "evaluator_id")
        stmt = stmt.on_conflict_do_update(
            index_elements=["meeting_id", "report_id", "evaluator_id"],
            set_={k: v for k, v in values.items() if k not in keep},
        )
    await session.execute(stmt)
    return receipt


async def _apply(session: AsyncSession, job: Job, open_reports: dict[int, set[int]]) -> list[BallotAccepted]:
    record_id, replay = await _claim_key(session, job)
    if replay is not None:
        return [BallotAccepted.model_validate(b) for b in replay["ballots"]]
    for ballot in job.ballots:
        if ballot.report_id not in open_reports.get(job.meeting_id, set()):
            raise VotingClosed(f"Voting on report {ballot.report_id} has closed")
    if job.voter.token_id is not None:
        revoked = await session.scalar(select(BallotToken.revoked).where(BallotToken.id == job.voter.token_id))
        if revoked:
            raise TokenRevoked()
    accepted = [
        BallotAccepted(receipt=await _store(session, job, b), report_id=b.report_id, group_key=job.voter.group.key)
        for b in job.ballots
    ]
    await session.execute(
        update(IdempotencyRecord)
        .where(IdempotencyRecord.id == record_id)
        .values(status_code=201, response={"ballots": [a.model_dump(mode="json") for a in accepted]})
    )
    return accepted


async def _open_reports(session: AsyncSession, meeting_ids: set[int]) -> dict[int, set[int]]:
    rows = await session.execute(
        select(AgendaItem.meeting_id, AgendaItem.report_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        # Published results are frozen: no ballot changes them, whatever the meeting's state.
        .outerjoin(ResultSet, ResultSet.cycle_id == Meeting.cycle_id)
        .where(
            AgendaItem.meeting_id.in_(meeting_ids),
            AgendaItem.voting == Voting.open,
            Meeting.status == MeetingStatus.live,
            or_(ResultSet.id.is_(None), ResultSet.status != ResultStatus.published),
        )
    )
    out: dict[int, set[int]] = {}
    for mid, rid in rows:
        out.setdefault(mid, set()).add(rid)
    return out


SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]


class BallotWriter:
    """One task per process that stores queued ballots in grouped transactions."""

    def __init__(self, max_batch: int = MAX_BATCH) -> None:
        self.max_batch = max_batch
        self.session_factory: SessionFactory = database.session
        self._queue: asyncio.Queue[Job] | None = None
        self._task: asyncio.Task[None] | None = None

    async def submit(self, job: Job) -> list[BallotAccepted]:
        if self._task is None or self._task.done():
            self._queue = asyncio.Queue()
            self._task = asyncio.get_running_loop().create_task(self._run(), name="shuping-ballot-writer")
        assert self._queue is not None
        await self._queue.put(job)
        return await job.future

    async def _run(self) -> None:
        assert self._queue is not None
        queue = self._queue
        while True:
            batch = [await queue.get()]
            while len(batch) < self.max_batch and not queue.empty():
                batch.append(queue.get_nowait())
            try:
                await self._write(batch)
            except Exception:  # the writer must outlive any one batch
                log.exception("ballot batch of %d failed", len(batch))
                for job in batch:
                    if not job.future.done():
                        job.future.set_exception(
                            ServiceUnavailable("The ballot could not be stored; send it again with the same key")
                        )

    async def _write(self, batch: list[Job]) -> None:
        outcomes: list[tuple[Job, list[BallotAccepted] | None, BaseException | None]] = []
        async with self.session_factory() as session:
            open_reports = await _open_reports(session, {j.meeting_id for j in batch})
            for job in batch:
                try:
                    async with session.begin_nested():
                        outcomes.append((job, await _apply(session, job, open_reports), None))
                except AppError as exc:
                    outcomes.append((job, None, exc))
            counted = [(j, r) for j, r, e in outcomes if r is not None]
            if counted:
                await audit.record(
                    session,
                    actor=None,
                    actor_name="ballot-intake",
                    action="ballot.count",
                    entity_type="meeting",
                    entity_id=counted[0][0].meeting_id if len({j.meeting_id for j, _ in counted}) == 1 else None,
                    data={
                        "ballots": [
                            {
                                "meeting_id": j.meeting_id,
                                "receipt": a.receipt,
                                "report_id": a.report_id,
                                "group": a.group_key,
                                "source": j.voter.source.value,
                                **({"evaluator_id": j.voter.user.id} if j.voter.user else {}),
                            }
                            for j, accepted in counted
                            for a in accepted
                        ]
                    },
                )
            await session.commit()
        for job, result, error in outcomes:
            if job.future.done():
                continue
            if error is not None:
                job.future.set_exception(error)
            else:
                assert result is not None
                job.future.set_result(result)
        tally.notifier.touch_all(sorted({j.meeting_id for j, r, _ in outcomes if r is not None}))

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


writer = BallotWriter()


async def submit(
    *,
    meeting: Meeting,
    cycle: Cycle,
    voter: Voter,
    ballots_in: Sequence[BallotIn],
    idempotency_key: str,
    sheet: bool,
) -> list[BallotAccepted]:
    """Check, then hand the ballots to the writer; answer once they are committed (or replayed)."""
    digest = request_hash(ballots_in, sheet)
    scope = codes.idempotency_scope(voter.principal, meeting.id)
    try:
        prepared = prepare(meeting=meeting, cycle=cycle, voter=voter, ballots_in=ballots_in, sheet=sheet)
    except (VotingClosed, InvalidState):
        # A retry after voting closed still deserves its first answer, if there was one.
        prepared = None
        if not await _has_answer(scope, idempotency_key, digest):
            raise
    job = Job(
        meeting_id=meeting.id,
        voter=voter,
        ballots=prepared or [],
        scope=scope,
        key=idempotency_key,
        request_hash=digest,
    )
    return await writer.submit(job)


async def _has_answer(scope: str, key: str, digest: str) -> bool:
    async with writer.session_factory() as session:
        found = await session.scalar(
            select(IdempotencyRecord.id).where(
                IdempotencyRecord.scope == scope,
                IdempotencyRecord.key == key,
                IdempotencyRecord.request_hash == digest,
                IdempotencyRecord.status_code == 201,
            )
        )
    return found is not None


async def purge_idempotency(session: AsyncSession) -> int:
    """Forget answers older than the retry window."""
    cutoff = utcnow() - timedelta(hours=IDEMPOTENCY_HOURS)
    result = await session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
