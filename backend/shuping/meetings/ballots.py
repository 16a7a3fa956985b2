"""Ballot intake: who may vote, idempotent retries, one use per token and report, group commit.

A request checks what does not change while a meeting runs (the agenda, the rubric, the
items, the voter's group) against a per-process snapshot, without touching the database in
the common case. One writer task per process then stores the ballots of many requests with a
handful of set-based statements in one transaction and answers each request only after that
commit: one transaction per ballot tops out near 500 ballots/s on SQLite here, grouped commits
go far beyond. Everything whose truth can change meanwhile (the meeting live, voting open,
results published, a token revoked or used, the idempotency key) is decided inside the
writer's transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from shuping.audit import service as audit
from shuping.auth.models import User
from shuping.core.errors import AppError, FieldError, InvalidState, ServiceUnavailable
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle, EvaluatorGroupMember
from shuping.db import database, utcnow
from shuping.live import service as live
from shuping.live.hub import Event
from shuping.meetings import service, tally
from shuping.meetings import tokens as codes
from shuping.meetings.anonymise import shuffled
from shuping.meetings.errors import (
    AlreadyVoted,
    BallotNotStored,
    ForeignToken,
    IdempotencyMismatch,
    NotAnEvaluator,
    TokenRevoked,
    TokenUsed,
    UnknownToken,
    VotingClosed,
)
from shuping.meetings.models import (
    AgendaItem,
    Ballot,
    BallotSource,
    BallotToken,
    EvaluatorUse,
    IdempotencyRecord,
    Meeting,
    MeetingStatus,
    TokenUse,
    Voting,
)
from shuping.meetings.schemas import BallotAccepted, BallotIn
from shuping.results import scoring
from shuping.results.inputs import scoring_rubric

log = logging.getLogger("shuping.meetings")
IDEMPOTENCY_HOURS = 48
PURGE_EVERY_SECONDS = 3600
# Ballots per writer transaction, at most (a sheet is never split). Saturated, the writer takes
# what is queued, so a transaction's statements, and on SQLite the waits for the GIL around each
# of them, are shared by hundreds of ballots; 300 take ≈ 15 ms (SQLite) to 30 ms (PostgreSQL).
MAX_BATCH = 512


# ---------------------------------------------------------------- what a ballot is checked against


@dataclass(frozen=True)
class GroupRef:
    id: int
    key: str
    anonymous: bool = False


@dataclass(frozen=True)
class BallotSetting:
    """What a meeting's ballots are checked against before they are queued.

    None of it changes while a meeting is live (the agenda is fixed when the meeting is made,
    groups and rubric when the cycle leaves setup), so a process may keep it for a few seconds.
    """

    meeting_id: int
    cycle_id: int
    rubric: scoring.Rubric
    groups: Mapping[int, GroupRef]
    categories: frozenset[str]
    agenda: frozenset[int]


class SettingCache:
    """Ballot settings per meeting, each kept for `ttl` seconds; concurrent misses share one load."""

    def __init__(self, ttl: float = 5.0) -> None:
        self.ttl = ttl
        # Where `fetch` reads: the process's database; tests point it at their own connection.
        self.sessions: Callable[[], AsyncSession] = partial(database.session, read_only=True)
        self._entries: dict[int, tuple[float, BallotSetting]] = {}
        self._loading: dict[int, asyncio.Future[BallotSetting]] = {}

    def peek(self, meeting_id: int) -> BallotSetting | None:
        """The meeting's setting if it is cached and fresh."""
        hit = self._entries.get(meeting_id)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1]
        return None

    async def fetch(self, meeting_id: int) -> BallotSetting | None:
        """The meeting's setting, loaded in a session of its own when it is not cached; None when
        the meeting cannot be loaded (unknown), so that the caller leaves the answer to the route."""
        if (setting := self.peek(meeting_id)) is not None:
            return setting
        try:
            async with self.sessions() as session:
                return await self.get(session, meeting_id)
        except AppError:
            return None

    async def get(self, session: AsyncSession, meeting_id: int) -> BallotSetting:
        if (setting := self.peek(meeting_id)) is not None:
            return setting
        pending = self._loading.get(meeting_id)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[BallotSetting] = asyncio.get_running_loop().create_future()
        self._loading[meeting_id] = future
        try:
            setting = await self._load(session, meeting_id)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved here, so a load nobody else awaited is not reported
            raise
        else:
            self._entries[meeting_id] = (time.monotonic() + self.ttl, setting)
            future.set_result(setting)
            return setting
        finally:
            del self._loading[meeting_id]

    @staticmethod
    async def _load(session: AsyncSession, meeting_id: int) -> BallotSetting:
        meeting = await service.get_meeting(session, meeting_id)
        cycle = await cycles_service.get_cycle(session, meeting.cycle_id)
        assert cycle.rubric is not None
        # The meeting's tokens come along: every phone's first ballot then needs no lookup either.
        await token_refs.load_meeting(session, meeting_id)
        return BallotSetting(
            meeting_id=meeting.id,
            cycle_id=cycle.id,
            rubric=scoring_rubric(cycle.rubric),
            groups={g.id: GroupRef(g.id, g.key, g.anonymous) for g in cycle.groups},
            categories=frozenset(c.name for c in cycle.opinion_categories),
            agenda=frozenset(a.report_id for a in meeting.agenda),
        )

    def clear(self) -> None:
        self._entries.clear()


settings = SettingCache()


@dataclass(frozen=True)
class TokenRef:
    id: int
    meeting_id: int
    group_id: int


class TokenCache:
    """Token hash → (id, meeting, group): facts that never change for a token. Whether it is
    revoked or used is decided by the writer, so a cached entry can never let a ballot through."""

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self._entries: OrderedDict[str, TokenRef] = OrderedDict()

    def peek(self, code: str) -> TokenRef | None:
        return self._entries.get(codes.token_hash(code))

    async def get(self, session: AsyncSession, code: str) -> TokenRef:
        digest = codes.token_hash(code)
        ref = self._entries.get(digest)
        if ref is None:
            token = await service.token_for(session, code, None)  # unknown or revoked: its problem
            ref = TokenRef(token.id, token.meeting_id, token.group_id)
            self._remember(digest, ref)
        return ref

    async def load_meeting(self, session: AsyncSession, meeting_id: int) -> None:
        """Remember a meeting's unrevoked tokens (up to half the cache), read in one query."""
        rows = await session.execute(
            select(BallotToken.token_hash, BallotToken.id, BallotToken.group_id)
            .where(BallotToken.meeting_id == meeting_id, BallotToken.revoked.is_(False))
            .order_by(BallotToken.id)
            .limit(self.size // 2)
        )
        for digest, token_id, group_id in rows:
            self._remember(digest, TokenRef(token_id, meeting_id, group_id))

    def _remember(self, digest: str, ref: TokenRef) -> None:
        self._entries[digest] = ref
        self._entries.move_to_end(digest)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        self._entries.clear()


token_refs = TokenCache()


@dataclass(frozen=True)
class Voter:
    """Who casts a ballot: a signed-in evaluator, or the holder of a one-time token."""

    group: GroupRef
    user: User | None = None
    token_id: int | None = None
    # Who asked, for the replay digest (never stored): the code's hash, or the person.
    principal: str = ""

    @property
    def named(self) -> bool:
        """Whether the ballot is stored with its evaluator's name: in named groups only."""
        return self.user is not None and not self.group.anonymous

    @property
    def source(self) -> BallotSource:
        return BallotSource.named if self.named else BallotSource.token


async def evaluator_group_id(session: AsyncSession, *, user: User, cycle_id: int) -> int:
    group_id = await session.scalar(
        select(EvaluatorGroupMember.group_id).where(
            EvaluatorGroupMember.cycle_id == cycle_id, EvaluatorGroupMember.user_id == user.id
        )
    )
    if group_id is None:
        raise NotAnEvaluator("You are not assigned to an evaluator group of this cycle")
    return int(group_id)


async def named_voter(session: AsyncSession, *, user: User, setting: BallotSetting) -> Voter:
    group_id = await evaluator_group_id(session, user=user, cycle_id=setting.cycle_id)
    return Voter(group=setting.groups[group_id], user=user, principal=f"user:{user.id}")


async def token_voter(session: AsyncSession, *, code: str, setting: BallotSetting) -> Voter:
    ref = await token_refs.get(session, code)
    if ref.meeting_id != setting.meeting_id:
        raise ForeignToken("This ballot code was issued for another meeting")
    return voter_for_token(code, ref, setting)


def voter_for_token(code: str, ref: TokenRef, setting: BallotSetting) -> Voter:
    """The holder of a known token of this meeting."""
    scope = "token:" + hashlib.sha256(b"scope:" + code.encode()).hexdigest()
    return Voter(group=setting.groups[ref.group_id], token_id=ref.id, principal=scope)


# ---------------------------------------------------------------- checks without writing


@dataclass(frozen=True)
class Prepared:
    """A ballot that passed every check that needs no write."""

    report_id: int
    items: dict[str, str]
    facts: scoring.StoredFacts  # total, first tier, shape
    comment: str | None
    comment_category: str | None


def _check_items(rubric: scoring.Rubric, ballot_in: BallotIn, loc: list[str | int], group: str) -> scoring.Ballot:
    for key, value in ballot_in.items.items():
        item = rubric.ballot_item.get(key)
        if item is not None and item.kind != "tier" and not isinstance(value, Decimal):
            raise FieldError([*loc, "items", key], f"{key} takes a number from 0 to {item.max_points}")
    try:
        return scoring.score_ballot(rubric, group, dict(ballot_in.items))
    except scoring.ScoringError as exc:
        message = str(exc)
        field_name = message.split(":", 1)[0]
        where: list[str | int] = [*loc, "items"] if " " in field_name else [*loc, "items", field_name]
        raise FieldError(where, message) from None


def prepare(*, setting: BallotSetting, voter: Voter, ballots_in: Sequence[BallotIn], sheet: bool) -> list[Prepared]:
    """Check the ballots against the agenda and the rubric; raise the first problem found."""
    seen: set[int] = set()
    out: list[Prepared] = []
    for i, ballot_in in enumerate(ballots_in):
        loc: list[str | int] = ["body", "ballots", i] if sheet else ["body"]
        if ballot_in.report_id in seen:
            raise FieldError([*loc, "report_id"], "The sheet scores this report twice")
        seen.add(ballot_in.report_id)
        if ballot_in.report_id not in setting.agenda:
            raise FieldError([*loc, "report_id"], f"Report {ballot_in.report_id} is not on this meeting's agenda")
        scored = _check_items(setting.rubric, ballot_in, loc, voter.group.key)
        if ballot_in.comment_category is not None and ballot_in.comment_category not in setting.categories:
            raise FieldError(
                [*loc, "comment_category"],
                f"Not one of the cycle's categories: {', '.join(sorted(setting.categories))}",
            )
        out.append(
            Prepared(
                report_id=ballot_in.report_id,
                items={k: format(v, "f") if isinstance(v, Decimal) else str(v) for k, v in ballot_in.items.items()},
                facts=scored.stored(),
                comment=ballot_in.comment or None,
                comment_category=ballot_in.comment_category if ballot_in.comment else None,
            )
        )
    return out


def request_hash(ballots_in: Sequence[BallotIn], sheet: bool) -> str:
    body = {"sheet": sheet, "ballots": [b.model_dump(mode="json") for b in ballots_in]}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


# ---------------------------------------------------------------- writing, in groups


@dataclass(eq=False)
class Job:
    meeting_id: int
    voter: Voter
    ballots: list[Prepared]
    digest: str  # of who asked and their Idempotency-Key
    request_hash: str
    future: asyncio.Future[list[BallotAccepted]] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    def claims(self) -> Iterator[tuple[Any, ...]]:
        """The rows this job may race another job for: two such jobs never share a statement."""
        yield ("key", self.digest)
        for b in self.ballots:
            if self.voter.token_id is not None:
                yield ("use", self.voter.token_id, b.report_id)
            if self.voter.user is not None:
                yield ("named", self.meeting_id, b.report_id, self.voter.user.id)

    @property
    def anonymous(self) -> bool:
        return self.voter.group.anonymous


def rounds(batch: Sequence[Job]) -> list[list[Job]]:
    """Split a batch into rounds in which no two jobs claim the same row, keeping arrival order
    for jobs that do (a retry after its twin, a second use of a token after the first)."""
    out: list[list[Job]] = []
    last_round: dict[tuple[Any, ...], int] = {}
    for job in batch:
        claims = list(job.claims())
        index = max((last_round[c] + 1 for c in claims if c in last_round), default=0)
        if index == len(out):
            out.append([])
        out[index].append(job)
        for c in claims:
            last_round[c] = index
    return out


@dataclass(frozen=True)
class MeetingState:
    status: MeetingStatus
    frozen: bool
    open_reports: frozenset[int]


def _meeting_states(session: Session, meeting_ids: set[int]) -> dict[int, MeetingState]:
    if session.get_bind().dialect.name == "postgresql":
        # Closing a report locks its meeting row before it anonymises the report's ballots: this
        # batch's ballots are then either committed before that rewrite reads them, or refused as
        # closed. (SQLite runs one writer at a time anyway.) KEY SHARE leaves the console's updates free.
        # A statement of its own: the states below must be read in a snapshot taken after the lock is
        # granted; locking in the same statement would re-check the meeting row but not its agenda.
        session.execute(
            select(Meeting.id).where(Meeting.id.in_(meeting_ids)).with_for_update(read=True, key_share=True)
        )
    rows = (
        session.execute(
            select(Meeting.id, Meeting.status, Cycle.frozen_at, AgendaItem.report_id, AgendaItem.voting)
            .outerjoin(AgendaItem, AgendaItem.meeting_id == Meeting.id)
            # A cycle frozen by its published results takes no ballot, whatever the meeting's state.
            .join(Cycle, Cycle.id == Meeting.cycle_id)
            .where(Meeting.id.in_(meeting_ids))
        )
    ).all()
    states: dict[int, tuple[MeetingStatus, bool]] = {}
    open_reports: dict[int, set[int]] = {}
    for mid, status, frozen_at, report_id, voting in rows:
        states[mid] = (status, frozen_at is not None)
        if voting == Voting.open:
            open_reports.setdefault(mid, set()).add(report_id)
    return {
        mid: MeetingState(status, frozen, frozenset(open_reports.get(mid, ())))
        for mid, (status, frozen) in states.items()
    }


def _insert(session: Session) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _refusal(job: Job, state: MeetingState | None, revoked: Mapping[int, bool]) -> AppError | None:
    """Why the writer must refuse a job whose key it claimed, judged inside its transaction."""
    if state is None or state.status != MeetingStatus.live:
        status = state.status.value if state else "gone"
        return InvalidState(f"The meeting is {status}; ballots are taken only while it is live")
    for b in job.ballots:
        if state.frozen or b.report_id not in state.open_reports:
            return VotingClosed(f"Voting on report {b.report_id} is closed")
    token_id = job.voter.token_id
    if token_id is not None:
        if token_id not in revoked:
            return UnknownToken("This ballot code is no longer known")
        if revoked[token_id]:
            return TokenRevoked()
    return None


class Round:
    """One round of a batch: jobs that claim distinct rows, stored with a few statements each."""

    def __init__(self, session: Session, jobs: list[Job]) -> None:
        self.session = session
        self.jobs = jobs
        self.insert = _insert(session)
        self.answers: dict[Job, list[BallotAccepted]] = {}
        self.errors: dict[Job, AppError] = {}
        self.replays: dict[Job, list[BallotAccepted]] = {}

    def run(self, states: Mapping[int, MeetingState], revoked: Mapping[int, bool]) -> None:
        claimed = self._claim_keys()
        for job in self.jobs:
            if job not in claimed:
                self._replay(job)
                continue
            refusal = _refusal(job, states.get(job.meeting_id), revoked)
            if refusal is not None:
                self.errors[job] = refusal
        self._use_tokens()
        self._use_evaluators()
        refused = [claimed[j] for j in self.errors if j in claimed]
        if refused:
            self.session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id.in_(refused)))
        self._store_ballots()

    def _claim_keys(self) -> dict[Job, int]:
        """Claim every job's key, with its answer written in the same row (receipts are chosen now)."""
        now = utcnow()
        rows = []
        receipts = iter(codes.new_receipts(sum(len(job.ballots) for job in self.jobs)))
        for job in self.jobs:
            self.answers[job] = [
                BallotAccepted(receipt=next(receipts), report_id=b.report_id, group_key=job.voter.group.key)
                for b in job.ballots
            ]
            rows.append(
                {
                    "digest": job.digest,
                    "meeting_id": job.meeting_id,
                    "anonymous": job.anonymous,
                    "request_hash": job.request_hash,
                    "status_code": 201,
                    "response": {"ballots": [a.model_dump(mode="json") for a in self.answers[job]]},
                    "created_at": now,
                }
            )
        by_digest = {j.digest: j for j in self.jobs}
        table = IdempotencyRecord.__table__
        result = self.session.execute(
            self.insert(table).on_conflict_do_nothing(index_elements=["digest"]).returning(table.c.id, table.c.digest),
            rows,
        )
        return {by_digest[digest]: int(row_id) for row_id, digest in result}

    def _replay(self, job: Job) -> None:
        """A key answered before: the first answer again, whatever has changed since."""
        record = (
            self.session.execute(
                select(IdempotencyRecord.request_hash, IdempotencyRecord.response).where(
                    IdempotencyRecord.digest == job.digest
                )
            )
        ).one()
        if record.request_hash != job.request_hash:
            self.errors[job] = IdempotencyMismatch(
                "This Idempotency-Key was already used for a different ballot; use a new key"
            )
        else:
            self.replays[job] = [BallotAccepted.model_validate(b) for b in record.response["ballots"]]

    def _storing(self) -> list[Job]:
        return [j for j in self.jobs if j not in self.errors and j not in self.replays]

    def _use_tokens(self) -> None:
        """One use per token and report: rows already there belong to an earlier ballot."""
        wanted = [(j, b.report_id) for j in self._storing() if j.voter.token_id is not None for b in j.ballots]
        if not wanted:
            return
        rows = shuffled([{"token_id": j.voter.token_id, "report_id": rid} for j, rid in wanted])
        table = TokenUse.__table__
        result = self.session.execute(
            self.insert(table)
            .on_conflict_do_nothing(index_elements=["token_id", "report_id"])
            .returning(table.c.token_id, table.c.report_id),
            rows,
        )
        taken = {(int(t), int(r)) for t, r in result}
        for job in {j for j, _ in wanted}:
            assert job.voter.token_id is not None
            used = [b.report_id for b in job.ballots if (job.voter.token_id, b.report_id) not in taken]
            if used:
                self.errors[job] = TokenUsed(f"This ballot code has already voted on report {used[0]}")
                mine = [b.report_id for b in job.ballots if (job.voter.token_id, b.report_id) in taken]
                if mine:
                    # All or nothing: give back the uses this refused sheet took.
                    self.session.execute(
                        delete(TokenUse).where(TokenUse.token_id == job.voter.token_id, TokenUse.report_id.in_(mine))
                    )

    def _use_evaluators(self) -> None:
        """One ballot per signed-in evaluator of an anonymous group and report, kept apart from
        the ballot (which names nobody) and never replaced: there is nothing to replace it by."""
        wanted = [
            (j, j.voter.user.id, b.report_id)
            for j in self._storing()
            if j.voter.user is not None and j.voter.group.anonymous
            for b in j.ballots
        ]
        if not wanted:
            return
        table = EvaluatorUse.__table__
        result = self.session.execute(
            self.insert(table)
            .on_conflict_do_nothing(index_elements=["meeting_id", "report_id", "user_id"])
            .returning(table.c.meeting_id, table.c.report_id, table.c.user_id),
            shuffled([{"meeting_id": j.meeting_id, "report_id": rid, "user_id": uid} for j, uid, rid in wanted]),
        )
        taken = {(int(m), int(r), int(u)) for m, r, u in result}
        for job, user_id in {(j, uid) for j, uid, _ in wanted}:
            used = [b.report_id for b in job.ballots if (job.meeting_id, b.report_id, user_id) not in taken]
            if used:
                self.errors[job] = AlreadyVoted(f"You have already voted on report {used[0]}")
                mine = [b.report_id for b in job.ballots if (job.meeting_id, b.report_id, user_id) in taken]
                if mine:
                    # All or nothing: give back the uses this refused sheet took.
                    self.session.execute(
                        delete(EvaluatorUse).where(
                            EvaluatorUse.meeting_id == job.meeting_id,
                            EvaluatorUse.user_id == user_id,
                            EvaluatorUse.report_id.in_(mine),
                        )
                    )

    def _store_ballots(self) -> None:
        anonymous_rows: list[dict[str, Any]] = []
        named_rows: list[dict[str, Any]] = []
        storing = self._storing()
        ids = iter(codes.new_ballot_ids(sum(len(job.ballots) for job in storing)))
        for job in storing:
            voter = job.voter
            for b, answer in zip(job.ballots, self.answers[job], strict=True):
                row = {
                    "id": next(ids),
                    "meeting_id": job.meeting_id,
                    "report_id": b.report_id,
                    "group_id": voter.group.id,
                    "source": voter.source,
                    "evaluator_id": voter.user.id if voter.named and voter.user else None,
                    "receipt": answer.receipt,
                    "items": b.items,
                    **b.facts,
                    "comment": b.comment,
                    "comment_category": b.comment_category,
                }
                (named_rows if voter.named else anonymous_rows).append(row)
        table = Ballot.__table__
        if anonymous_rows:
            # In an order of its own, unrelated to the uses' order: a burst's ballots and uses cannot be
            # paired by position even while voting is open (closing rewrites both anyway).
            self.session.execute(self.insert(table), shuffled(anonymous_rows))
        if named_rows:
            stmt = self.insert(table)
            # A named evaluator's later ballot replaces the earlier one while voting is open.
            keep = {"id", "meeting_id", "report_id", "evaluator_id"}
            stmt = stmt.on_conflict_do_update(
                index_elements=["meeting_id", "report_id", "evaluator_id"],
                set_={k: stmt.excluded[k] for k in named_rows[0] if k not in keep},
            )
            self.session.execute(stmt, named_rows)

    def outcomes(self) -> Iterator[tuple[Job, list[BallotAccepted] | None, AppError | None, bool]]:
        """(job, answer, error, newly counted) for every job of the round."""
        for job in self.jobs:
            if job in self.errors:
                yield job, None, self.errors[job], False
            elif job in self.replays:
                yield job, self.replays[job], None, False
            else:
                yield job, self.answers[job], None, True


Outcome = tuple[Job, list[BallotAccepted] | None, AppError | None, bool]


@dataclass
class Written:
    outcomes: list[Outcome]
    events: dict[int, Event]  # meeting id → its `tally` event, logged with the ballots


def write_batch(session: Session, batch: list[Job]) -> Written:
    """Store a batch in the session's transaction: one synchronous call, so that on SQLite the
    writer's thread runs it whole (see `Database.write`)."""
    outcomes: list[Outcome] = []
    states = _meeting_states(session, {j.meeting_id for j in batch})
    token_ids = {j.voter.token_id for j in batch if j.voter.token_id is not None}
    revoked: dict[int, bool] = {}
    if token_ids:
        rows = session.execute(select(BallotToken.id, BallotToken.revoked).where(BallotToken.id.in_(token_ids)))
        revoked = {int(i): bool(r) for i, r in rows}
    for jobs in rounds(batch):
        current = Round(session, jobs)
        current.run(states, revoked)
        outcomes.extend(current.outcomes())
    counted = [(j, a) for j, a, _, new in outcomes if new and a is not None]
    if counted:
        meetings = {j.meeting_id for j, _ in counted}
        # Named groups' ballots are listed by receipt; an anonymous group's only counted, whoever cast them:
        # the audit chain's entries are timed and ordered, and a receipt or a name there would tie an
        # anonymous ballot to when it was cast, or to its evaluator.
        anonymous: Counter[tuple[int, int, str, str]] = Counter()
        named: list[dict[str, Any]] = []
        for j, accepted in counted:
            for a in accepted:
                if not j.voter.named or j.voter.user is None:
                    anonymous[j.meeting_id, a.report_id, a.group_key, j.voter.source.value] += 1
                else:
                    named.append(
                        {
                            "meeting_id": j.meeting_id,
                            "receipt": a.receipt,
                            "report_id": a.report_id,
                            "group": a.group_key,
                            "source": j.voter.source.value,
                            "evaluator_id": j.voter.user.id,
                        }
                    )
        audit.append(
            session,
            actor=None,
            actor_name="ballot-intake",
            action="ballot.count",
            entity_type="meeting",
            entity_id=next(iter(meetings)) if len(meetings) == 1 else None,
            data={
                "named": named,
                "anonymous": [
                    {"meeting_id": m, "report_id": r, "group": g, "source": src, "count": n}
                    for (m, r, g, src), n in sorted(anonymous.items())
                ],
            },
        )
    return Written(outcomes, tally.notifier.log_due(session, sorted({j.meeting_id for j, _ in counted})))


class BallotWriter:
    """One task per process that stores queued ballots in grouped transactions."""

    def __init__(self, max_batch: int = MAX_BATCH) -> None:
        self.max_batch = max_batch
        self._purged_at = time.monotonic()
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
            size = len(batch[0].ballots)
            while size < self.max_batch and not queue.empty():
                batch.append(queue.get_nowait())
                size += len(batch[-1].ballots)
            try:
                await self._write(batch)
            except Exception as exc:  # the writer must outlive any one batch
                await self._write_apart(batch, exc)
            if time.monotonic() - self._purged_at > PURGE_EVERY_SECONDS:
                await self.purge()

    async def _write_apart(self, batch: list[Job], exc: Exception) -> None:
        """A batch failed: store it again in halves, down to the one job that fails alone, so that
        one request's bad ballot never fails the others' (a retry of theirs would meet it again).

        Not when the database itself is the trouble (unreachable, locked, a serialization
        failure): then every job of the batch is asked to retry later.
        """
        log.error("ballot batch of %d failed", len(batch), exc_info=exc)
        meetings = {j.meeting_id for j in batch}
        tally.notifier.forget(meetings)
        tally.notifier.touch_all(meetings)
        pending = [j for j in batch if not j.future.done()]  # answered before the failure: committed
        if len(pending) > 1 and not _transient(exc):
            middle = len(pending) // 2
            for half in (pending[:middle], pending[middle:]):
                try:
                    await self._write(half)
                except Exception as again:
                    await self._write_apart(half, again)
            return
        for job in pending:
            if not job.future.done():
                job.future.set_exception(
                    ServiceUnavailable("The ballot could not be stored; send it again with the same key")
                    if len(pending) > 1 or _transient(exc)
                    else BallotNotStored(
                        "The database refused this ballot, so it was not counted; "
                        "sending it again unchanged will not help"
                    )
                )

    async def purge(self) -> int:
        """Forget idempotency answers older than the retry window; the writer calls this at most
        hourly, after a batch (answers only appear with ballots)."""
        self._purged_at = time.monotonic()
        try:
            return await database.write(purge_idempotency)
        except Exception:
            log.exception("purging old idempotency records failed")
            return 0

    async def _write(self, batch: list[Job]) -> None:
        written = await database.write(partial(write_batch, batch=batch))
        for job, result, error, _ in written.outcomes:
            if job.future.done():
                continue
            if error is not None:
                job.future.set_exception(error)
            else:
                assert result is not None
                job.future.set_result(result)
        if written.events:
            await live.deliver(list(written.events.values()))
        tally.notifier.touch_all({j.meeting_id for j, _, _, new in written.outcomes if new} - written.events.keys())

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


def _transient(exc: BaseException) -> bool:
    """An error of the database rather than of a ballot: it may pass if the ballots are sent again."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, OperationalError | InterfaceError | DisconnectionError | OSError | TimeoutError)


writer = BallotWriter()


async def submit(
    *,
    setting: BallotSetting,
    voter: Voter,
    ballots_in: Sequence[BallotIn],
    idempotency_key: str,
    sheet: bool,
) -> list[BallotAccepted]:
    """Check, then hand the ballots to the writer; answer once they are committed (or replayed)."""
    job = Job(
        meeting_id=setting.meeting_id,
        voter=voter,
        ballots=prepare(setting=setting, voter=voter, ballots_in=ballots_in, sheet=sheet),
        digest=codes.idempotency_digest(voter.principal, setting.meeting_id, idempotency_key),
        request_hash=request_hash(ballots_in, sheet),
    )
    return await writer.submit(job)


def purge_idempotency(session: Session) -> int:
    """Forget answers older than the retry window."""
    cutoff = utcnow() - timedelta(hours=IDEMPOTENCY_HOURS)
    result = session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)
