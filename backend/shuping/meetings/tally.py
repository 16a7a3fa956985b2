"""The meeting's tally (received per report and group; scores once revealed, voting closed) and its
live updates.

Ballots do not publish events themselves: after they commit they mark their meeting, and at most
one `tally` event per meeting is published every `INTERVAL` seconds, so a burst of ballots does not
flood the screens. Whatever the spacing, the last ballot's count always reaches them.

- One process (no `SHUPING_REDIS_URL`, the default): the process spaces its own events. A ballot
  batch logs the event in its own transaction when the meeting's last one is old enough; otherwise
  one task logs it once it is due.
- A fleet (`SHUPING_REDIS_URL` set; one Redis per database, as for the live fan-out): the spacing
  is the fleet's. After its ballots commit, a worker claims the meeting's window in Redis (`SET
  shuping:tally:<meeting> <claim> NX PX <INTERVAL>`, the claim naming this process and attempt):
  the winner logs the event in a transaction of its own, which reads the counts after its claim,
  hence after the ballots committed. A worker that loses tries again when the window expires (its
  PTTL): it wins that one, or finds a newer claim, made after its ballots committed, whose event
  counts them. N workers then send screens ten events a second between them, not N × 10. Should
  Redis fail, each worker spaces its own events meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import math
import os
import socket
import time
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from shuping.cycles.models import Cycle, EvaluatorGroup
from shuping.db import database
from shuping.live import service as live
from shuping.live.hub import Event
from shuping.meetings import service
from shuping.meetings.counting import tally_ballots
from shuping.meetings.models import AgendaItem, Ballot, Meeting, MeetingStatus, Voting
from shuping.meetings.schemas import Tally, TallyGroup, TallyReport
from shuping.scoring import rules
from shuping.scoring.inputs import scoring_group, scoring_rubric
from shuping.scoring.withholding import pooled_shown, withheld_groups

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger("shuping.meetings")
INTERVAL = 0.1
WINDOW_PREFIX = "shuping:tally:"
# Claim the window, or answer who holds it and for how many more milliseconds (-2: it just expired).
_CLAIM = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {1, ARGV[1], 0} end
return {0, redis.call('GET', KEYS[1]) or '', redis.call('PTTL', KEYS[1])}
"""


def counts(session: Session, meeting_id: int) -> dict[tuple[int, int], int]:
    rows = (
        session.execute(
            select(Ballot.report_id, Ballot.group_id, func.count())
            .where(Ballot.meeting_id == meeting_id)
            .group_by(Ballot.report_id, Ballot.group_id)
        )
    ).all()
    return {(rid, gid): int(n) for rid, gid, n in rows}


async def _scores(session: AsyncSession, meeting: Meeting, cycle: Cycle) -> dict[int, rules.ReportResult]:
    """This meeting's ballot part per report, by the cycle's rules (indicators come at assessment)."""
    assert cycle.rubric is not None
    rubric = scoring_rubric(cycle.rubric)
    groups = [scoring_group(g) for g in cycle.groups]
    tallies = await tally_ballots(session, cycle, groups, meeting_id=meeting.id)
    grading = rules.Grading()
    results = [
        rules.score_report(
            rubric, groups, grading, rules.ReportInput(a.report_id, tallies=tallies.get(a.report_id, {}))
        )
        for a in meeting.agenda
    ]
    scored = [r for r in results if r.ballot_part is not None]
    parts = [r.ballot_part for r in scored if r.ballot_part is not None]
    for r, rank in zip(scored, rules.competition_ranks(parts), strict=True):
        r.rank = rank
    return {r.report_id: r for r in results}


def scores_visible(meeting: Meeting) -> bool:
    """Scores are shown once revealed and never while a report is open for voting, to anyone: a score
    that moves as each ballot lands gives each ballot away."""
    return meeting.revealed and not any(a.voting == Voting.open for a in meeting.agenda)


async def build(session: AsyncSession, meeting: Meeting, cycle: Cycle, *, receipts: bool = False) -> Tally:
    reports = await service.agenda_reports(session, meeting)
    received = await session.run_sync(counts, meeting.id)
    visible = scores_visible(meeting)
    scores = await _scores(session, meeting, cycle) if visible else {}
    k = cycle.min_ballots_shown
    out: list[TallyReport] = []
    for item in meeting.agenda:
        report, org = reports[item.report_id]
        result = scores.get(item.report_id)
        got = {g.key: received.get((item.report_id, g.id), 0) for g in cycle.groups}
        # No score of fewer than k ballots, nor one that would give such a score away (DESIGN §4).
        withheld = withheld_groups(got, k) if result is not None else {}
        report_withheld = result is not None and result.ballot_part is not None and not pooled_shown(got, k)
        groups = []
        for g in cycle.groups:
            group_score = None
            if result is not None and g.key not in withheld:
                gr = next(x for x in result.groups if x.key == g.key)
                group_score = rules.display(gr.score)
            groups.append(
                TallyGroup(
                    key=g.key,
                    name=g.name,
                    received=got[g.key],
                    expected=g.expected,
                    score=group_score,
                    withheld=withheld.get(g.key),
                    hidden_below=k if g.key in withheld else None,
                )
            )
        shown = result is not None and not report_withheld
        out.append(
            TallyReport(
                report_id=item.report_id,
                org_name=org.name,
                title=report.title,
                voting=item.voting,
                groups=groups,
                score=rules.display(result.ballot_part) if shown and result else None,
                rank=result.rank if shown and result else None,
                withheld=report_withheld,
                hidden_below=k if report_withheld else None,
            )
        )
    counted: list[str] | None = None
    if receipts and meeting.status == MeetingStatus.ended:
        counted = sorted(
            (await session.execute(select(Ballot.receipt).where(Ballot.meeting_id == meeting.id))).scalars()
        )
    return Tally(
        meeting_id=meeting.id,
        title=meeting.title,
        status=meeting.status,
        # No one speaks before or after the meeting: an ended one shows no stale last speaker.
        current_report_id=meeting.current_report_id if meeting.status == MeetingStatus.live else None,
        revealed=meeting.revealed,
        scores_visible=visible,
        reports=out,
        receipts=counted,
    )


def counts_event(session: Session, meeting_id: int) -> dict[str, Any]:
    """The `tally` event: counts only, safe for any screen before reveal."""
    received = counts(session, meeting_id)
    groups = (
        session.execute(
            select(EvaluatorGroup.id, EvaluatorGroup.key, EvaluatorGroup.expected)
            .join(Meeting, Meeting.cycle_id == EvaluatorGroup.cycle_id)
            .where(Meeting.id == meeting_id)
            .order_by(EvaluatorGroup.position)
        )
    ).all()
    report_ids = (
        (
            session.execute(
                select(AgendaItem.report_id).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.position)
            )
        )
        .scalars()
        .all()
    )
    return {
        "reports": [
            {
                "report_id": rid,
                "groups": [
                    {"key": key, "received": received.get((rid, gid), 0), "expected": exp} for gid, key, exp in groups
                ],
            }
            for rid in report_ids
        ]
    }


class TallyNotifier:
    """At most one `tally` event per meeting per INTERVAL, in this process or, with Redis, in the fleet.

    Alone, a batch of ballots logs the event itself, in its own transaction, when the meeting's
    last one is old enough: screens then hear of the ballots as their senders do. Otherwise the batch
    touches the meeting and this task logs the event once it is due. Every decision is taken
    inside a writer transaction, and those run one at a time, so the spacing holds.

    With Redis (`configure`), batches only touch their meetings, and this task claims each
    meeting's window across the fleet before it logs the event (see the module's docstring).
    """

    def __init__(self, interval: float = INTERVAL) -> None:
        self.interval = interval
        # Tests that roll back their transactions turn this off: nothing there is committed.
        self.enabled = True
        self._dirty: set[int] = set()
        self._last: dict[int, float] = {}  # monotonic time of each meeting's last logged event
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        # The fleet's windows, when Redis is configured.
        self._redis: Redis | None = None
        self._claims = itertools.count()
        self._holder = f"{socket.gethostname()}:{os.getpid()}"
        self._touched: dict[int, float] = {}  # monotonic time of each meeting's last committed ballots
        # Monotonic time before which every meeting's committed ballots are in an event logged or being logged.
        self._covered: dict[int, float] = {}

    def configure(self, redis_url: str | None) -> None:
        """Space the events across the fleet through Redis at `redis_url`, or in this process alone (None)."""
        self._redis = None
        if redis_url:
            from redis.asyncio import Redis

            self._redis = Redis.from_url(redis_url, decode_responses=True)

    @property
    def shared(self) -> bool:
        return self._redis is not None

    def log_due(self, session: Session, meeting_ids: Iterable[int]) -> dict[int, Event]:
        """Log a `tally` event in the session's transaction for each meeting whose last one is at
        least `interval` old; call only inside a writer transaction (see `Database.write`). With
        Redis, nothing: the events follow the commit, claimed across the fleet."""
        if not self.enabled or self.shared:
            return {}
        return self._log_spaced(session, meeting_ids)

    def _log_spaced(self, session: Session, meeting_ids: Iterable[int]) -> dict[int, Event]:
        events: dict[int, Event] = {}
        for meeting_id in meeting_ids:
            if time.monotonic() - self._last.get(meeting_id, -math.inf) >= self.interval:
                events[meeting_id] = self.log_event(session, meeting_id)
                # Once logged, not when decided: the next is then `interval` after this one.
                self._last[meeting_id] = time.monotonic()
        return events

    def log_event(self, session: Session, meeting_id: int) -> Event:
        """Log the meeting's `tally` event with its counts now: read once the channel's number is
        taken, whose row lock orders the fleet's writers, so a later event never counts fewer."""
        return live.log_event(session, service.channel(meeting_id), "tally", partial(counts_event, session, meeting_id))

    def forget(self, meeting_ids: Iterable[int]) -> None:
        """A writer transaction that logged events failed: the next event may come at once."""
        for meeting_id in meeting_ids:
            self._last.pop(meeting_id, None)

    def touch_all(self, meeting_ids: Iterable[Any]) -> None:
        """These meetings' ballots have committed: their counts are to reach the screens."""
        if not self.enabled:
            return
        now = time.monotonic()
        for m in meeting_ids:
            self._dirty.add(int(m))
            self._touched[int(m)] = now
        if not self._dirty:
            return
        if self._task is None or self._task.done():
            self._wake = asyncio.Event()
            self._task = asyncio.get_running_loop().create_task(self._run(), name="shuping-tally")
        assert self._wake is not None
        self._wake.set()

    async def _run(self) -> None:
        assert self._wake is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._dirty = self._dirty, set()
            for meeting_id in sorted(batch):
                if self.shared:
                    await self._log_when_claimed(meeting_id)
                else:
                    await self._log_when_due(meeting_id)

    async def _log_when_due(self, meeting_id: int) -> None:
        """Log the meeting's event once it is due, unless a ballot batch logs one first."""
        while self.enabled:
            last = self._last.get(meeting_id, -math.inf)
            wait = last + self.interval - time.monotonic()
            if wait > 0:
                # Look again after sleeping: a timer may fire a little early (uvloop counts whole
                # milliseconds: up to 0.5 ms early, measured), and an early try would log nothing.
                await asyncio.sleep(wait)
                continue
            try:
                events = await database.write(partial(self._log_spaced, meeting_ids=[meeting_id]))
            except Exception as exc:
                log.warning("tally event for meeting %s failed: %s", meeting_id, exc)
                return
            if events:
                await live.deliver(list(events.values()))
            # Nothing logged: a batch logged an event since; it ran after the ballots that
            # touched this meeting had committed, so it counted them.
            if events or self._last.get(meeting_id, -math.inf) != last:
                return

    async def _claim(self, meeting_id: int) -> tuple[bool, str, int]:
        """Claim the meeting's window across the fleet: (won, its holder, milliseconds it has left)."""
        assert self._redis is not None
        claim = f"{self._holder}:{next(self._claims)}"
        won, holder, left = await self._redis.eval(
            _CLAIM, 1, WINDOW_PREFIX + str(meeting_id), claim, math.ceil(self.interval * 1000)
        )
        return bool(won), str(holder), int(left)

    async def _log_when_claimed(self, meeting_id: int) -> None:
        """Log the meeting's event once this process wins its window, unless a claim made after the
        ballots committed, this process's or another's, has its event count them already."""
        beaten: tuple[str, float] | None = None  # the claim that won against ours, and when we first met it
        while self.enabled:
            if self._covered.get(meeting_id, -math.inf) >= self._touched.get(meeting_id, -math.inf):
                return
            asked = time.monotonic()
            try:
                won, holder, left = await self._claim(meeting_id)
            except Exception as exc:
                log.warning("cannot claim the tally window of meeting %s (Redis unreachable?): %s", meeting_id, exc)
                await self._log_when_due(meeting_id)  # spaced by this process meanwhile
                return
            if won:
                self._covered[meeting_id] = asked
                try:
                    event = await database.write(partial(self.log_event, meeting_id=meeting_id))
                except Exception as exc:
                    log.warning("tally event for meeting %s failed: %s", meeting_id, exc)
                    return
                self._last[meeting_id] = time.monotonic()
                await live.deliver([event])
                continue  # ballots committed since the claim need a window of their own
            if beaten is not None and holder != beaten[0]:
                # A newer claim, made after the one that beat us expired, so after `beaten[1]`.
                self._covered[meeting_id] = max(self._covered.get(meeting_id, -math.inf), beaten[1])
                beaten = None
                continue
            if beaten is None:
                beaten = (holder, asked)
            # Expired already (-2) or as good as: ask again in a millisecond.
            await asyncio.sleep(max(left, 1) / 1000)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        if self._redis is not None:
            with contextlib.suppress(Exception):
                await self._redis.aclose()
            self._redis = None


notifier = TallyNotifier()
