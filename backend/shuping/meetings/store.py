"""Store a batch of queued ballots in one of the writer's transactions: in rounds, with a handful of
set-based statements each.

Everything whose truth can change while a ballot waits in the queue (the meeting live, voting open,
results published, a token revoked or used, the idempotency key) is decided here, inside the
transaction.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from shuping.audit import service as audit
from shuping.core.errors import AppError, InvalidState
from shuping.core.i18n import N_
from shuping.cycles.models import Cycle
from shuping.db import utcnow
from shuping.live.hub import Event
from shuping.meetings import idempotency, tally
from shuping.meetings import tokens as codes
from shuping.meetings.anonymise import shuffled
from shuping.meetings.errors import (
    AlreadyVoted,
    IdempotencyMismatch,
    TokenRevoked,
    TokenUsed,
    UnknownToken,
    VotingClosed,
)
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
from shuping.meetings.schemas import BallotAccepted
from shuping.meetings.validation import Prepared
from shuping.meetings.voters import Voter


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
        return InvalidState(N_("The meeting is {status}; ballots are taken only while it is live", status=status))
    for b in job.ballots:
        if state.frozen or b.report_id not in state.open_reports:
            return VotingClosed(N_("Voting on report {report_id} is closed", report_id=b.report_id))
    token_id = job.voter.token_id
    if token_id is not None:
        if token_id not in revoked:
            return UnknownToken(N_("This ballot code is no longer known"))
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
            if job.digest not in claimed:
                self._replay(job)
                continue
            refusal = _refusal(job, states.get(job.meeting_id), revoked)
            if refusal is not None:
                self.errors[job] = refusal
        self._use_tokens()
        self._use_evaluators()
        refused = [claimed[j.digest] for j in self.errors if j.digest in claimed]
        if refused:
            idempotency.forget(self.session, refused)
        self._store_ballots()

    def _claim_keys(self) -> dict[str, int]:
        """Claim every job's key, with its answer written in the same row (receipts are chosen now);
        the claimed records' ids by key."""
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
        return idempotency.claim(self.session, self.insert, rows)

    def _replay(self, job: Job) -> None:
        """A key answered before: the first answer again, whatever has changed since."""
        try:
            self.replays[job] = idempotency.replay(self.session, job.digest, job.request_hash)
        except IdempotencyMismatch as exc:
            self.errors[job] = exc

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
                self.errors[job] = TokenUsed(N_("This ballot code has already voted on report {used}", used=used[0]))
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
                self.errors[job] = AlreadyVoted(N_("You have already voted on report {used}", used=used[0]))
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
