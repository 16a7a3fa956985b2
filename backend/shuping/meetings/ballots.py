"""Ballot intake: check a request's ballots, queue them for the writer, answer once they are committed.

A request checks what does not change while a meeting runs (the agenda, the rubric, the items, the
voter's group) against a per-process snapshot (`voters`, `validation`), without touching the
database in the common case. One writer task per process then stores the ballots of many requests
with a handful of set-based statements in one transaction (`store`, `idempotency`) and answers
each request only after that commit: one transaction per ballot tops out near 500 ballots/s on
SQLite here, grouped commits go far beyond. Everything whose truth can change meanwhile (the meeting
live, voting open, results published, a token revoked or used, the idempotency key) is decided
inside the writer's transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from functools import partial

from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError

from shuping.core import metrics
from shuping.core.errors import ServiceUnavailable
from shuping.core.i18n import N_
from shuping.db import database
from shuping.live import service as live
from shuping.meetings import idempotency, store, tally
from shuping.meetings import tokens as codes
from shuping.meetings.errors import BallotNotStored
from shuping.meetings.idempotency import request_hash
from shuping.meetings.schemas import BallotAccepted, BallotIn
from shuping.meetings.store import Job
from shuping.meetings.validation import prepare
from shuping.meetings.voters import BallotSetting, Voter

log = logging.getLogger("shuping.meetings")
PURGE_EVERY_SECONDS = 3600
# Ballots per writer transaction, at most (a sheet is never split). Saturated, the writer takes
# what is queued, so a transaction's statements, and on SQLite the waits for the GIL around each
# of them, are shared by hundreds of ballots; 300 take ≈ 15 ms (SQLite) to 30 ms (PostgreSQL).
MAX_BATCH = 512


class BallotWriter:
    """One task per process that stores queued ballots in grouped transactions."""

    def __init__(self, max_batch: int = MAX_BATCH) -> None:
        self.max_batch = max_batch
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
            metrics.ballot_queue_depth.set(queue.qsize())
            batch = [await queue.get()]
            size = len(batch[0].ballots)
            while size < self.max_batch and not queue.empty():
                batch.append(queue.get_nowait())
                size += len(batch[-1].ballots)
            metrics.ballot_batch_ballots.observe(size)
            try:
                await self._write(batch)
            except Exception as exc:  # the writer must outlive any one batch
                await self._write_apart(batch, exc)

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
                    ServiceUnavailable(N_("The ballot could not be stored; send it again with the same key"))
                    if len(pending) > 1 or _transient(exc)
                    else BallotNotStored(
                        N_(
                            "The database refused this ballot, so it was not counted; "
                            "sending it again unchanged will not help"
                        )
                    )
                )

    async def purge(self) -> int:
        """Forget idempotency answers older than the retry window: scheduled every PURGE_EVERY_SECONDS
        by the app's lifespan, once across the fleet (`core.schedule`)."""
        try:
            return await database.write(idempotency.purge)
        except Exception:
            log.exception("purging old idempotency records failed")
            return 0

    async def _write(self, batch: list[Job]) -> None:
        written = await database.write(partial(store.write_batch, batch=batch))
        # Committed: count what is new (not a replay), by source only, never by voter or group.
        metrics.ONLINE.inc(sum(len(result) for _, result, _, new in written.outcomes if new and result))
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
