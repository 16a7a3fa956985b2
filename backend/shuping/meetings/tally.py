"""The meeting's tally (received per report and group; scores once revealed, voting closed) and its
live updates.

Ballots do not publish events themselves: after they commit they mark their meeting, and one
task per process publishes at most one `tally` event per meeting every `INTERVAL` seconds, so a
burst of ballots does not flood the screens.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Iterable
from functools import partial
from typing import Any

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

log = logging.getLogger("shuping.meetings")
INTERVAL = 0.1


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
    """At most one `tally` event per meeting per INTERVAL, logged on the ballot writer's connection.

    A batch of ballots logs the event itself, in its own transaction, when the meeting's last one
    is old enough: screens then hear of the ballots as their senders do. Otherwise the batch
    touches the meeting and this task logs the event once it is due. Every decision is taken
    inside a writer transaction, and those run one at a time, so the spacing holds.
    """

    def __init__(self, interval: float = INTERVAL) -> None:
        self.interval = interval
        # Tests that roll back their transactions turn this off: nothing there is committed.
        self.enabled = True
        self._dirty: set[int] = set()
        self._last: dict[int, float] = {}  # monotonic time of each meeting's last logged event
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None

    def log_due(self, session: Session, meeting_ids: Iterable[int]) -> dict[int, Event]:
        """Log a `tally` event in the session's transaction for each meeting whose last one is at
        least `interval` old; call only inside a writer transaction (see `Database.write`)."""
        if not self.enabled:
            return {}
        events: dict[int, Event] = {}
        for meeting_id in meeting_ids:
            if time.monotonic() - self._last.get(meeting_id, -math.inf) >= self.interval:
                events[meeting_id] = self.log_event(session, meeting_id)
                # Once logged, not when decided: the next is then `interval` after this one.
                self._last[meeting_id] = time.monotonic()
        return events

    def log_event(self, session: Session, meeting_id: int) -> Event:
        """Log the meeting's `tally` event with its counts now."""
        return live.log_event(session, service.channel(meeting_id), "tally", counts_event(session, meeting_id))

    def forget(self, meeting_ids: Iterable[int]) -> None:
        """A writer transaction that logged events failed: the next event may come at once."""
        for meeting_id in meeting_ids:
            self._last.pop(meeting_id, None)

    def touch_all(self, meeting_ids: Iterable[Any]) -> None:
        if not self.enabled:
            return
        self._dirty.update(int(m) for m in meeting_ids)
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
                events = await database.write(partial(self.log_due, meeting_ids=[meeting_id]))
            except Exception as exc:
                log.warning("tally event for meeting %s failed: %s", meeting_id, exc)
                return
            if events:
                await live.deliver(list(events.values()))
            # Nothing logged: a batch logged an event since; it ran after the ballots that
            # touched this meeting had committed, so it counted them.
            if events or self._last.get(meeting_id, -math.inf) != last:
                return

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None


notifier = TallyNotifier()
