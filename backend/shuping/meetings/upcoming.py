"""The live and scheduled meetings a user sees: the home page's meetings, in one query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import User
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle
from shuping.meetings.models import AgendaItem, Meeting, MeetingStatus, Voting

OPEN_STATUSES = (MeetingStatus.live, MeetingStatus.scheduled)


@dataclass(frozen=True)
class OpenMeeting:
    id: int
    title: str
    status: MeetingStatus
    starts_at: datetime
    cycle_id: int
    cycle_name: str
    voting_open: bool


async def open_meetings(session: AsyncSession, *, user: User) -> list[OpenMeeting]:
    """Live meetings first, then scheduled ones by start; only in cycles the user sees, so the same
    meetings as the cycles' meeting lists (for an evaluator: `/vote/meetings`, not yet ended)."""
    voting = exists().where(AgendaItem.meeting_id == Meeting.id, AgendaItem.voting == Voting.open)
    stmt = (
        select(Meeting, Cycle.name, voting)
        .join(Cycle, Cycle.id == Meeting.cycle_id)
        .where(Meeting.status.in_(OPEN_STATUSES), cycles_service.visibility(user))
        .order_by(Meeting.starts_at, Meeting.id)
    )
    rows = [
        OpenMeeting(
            id=m.id,
            title=m.title,
            status=m.status,
            starts_at=m.starts_at,
            cycle_id=m.cycle_id,
            cycle_name=name,
            voting_open=bool(is_voting),
        )
        for m, name, is_voting in (await session.execute(stmt)).all()
    ]
    return sorted(rows, key=lambda m: m.status != MeetingStatus.live)
