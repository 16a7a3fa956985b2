"""What meetings hold of a cycle: ballots, paper ballot entries and agenda places (registered by `shuping.wiring`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.cycles.holdings import count_by
from shuping.cycles.models import EvaluatorGroupMember, OpinionCategory
from shuping.meetings.models import AgendaItem, Ballot, Meeting, PaperSheet


async def ballots_by_cycle(session: AsyncSession, cycle_ids: Sequence[int]) -> dict[int, int]:
    """The ballots cast in each cycle's meetings: answered on the cycle's rubric, keyed by its items."""
    stmt = (
        select(Meeting.cycle_id, func.count())
        .join(Ballot, Ballot.meeting_id == Meeting.id)
        .where(Meeting.cycle_id.in_(cycle_ids))
        .group_by(Meeting.cycle_id)
    )
    return {int(cid): int(n) for cid, n in (await session.execute(stmt)).all()}


async def ballots_by_group(session: AsyncSession, group_ids: Sequence[int]) -> dict[int, int]:
    return await count_by(session, Ballot.group_id, group_ids)


async def paper_by_group(session: AsyncSession, group_ids: Sequence[int]) -> dict[int, int]:
    return await count_by(session, PaperSheet.group_id, group_ids)


async def ballots_by_report(session: AsyncSession, report_ids: Sequence[int]) -> dict[int, int]:
    return await count_by(session, Ballot.report_id, report_ids)


async def paper_by_report(session: AsyncSession, report_ids: Sequence[int]) -> dict[int, int]:
    return await count_by(session, PaperSheet.report_id, report_ids)


async def agenda_by_report(session: AsyncSession, report_ids: Sequence[int]) -> dict[int, int]:
    return await count_by(session, AgendaItem.report_id, report_ids)


async def comments_by_category(session: AsyncSession, category_ids: Sequence[int]) -> dict[int, int]:
    """The ballot comments filed under each opinion category, in its cycle's meetings."""
    stmt = (
        select(OpinionCategory.id, func.count())
        .join(Meeting, Meeting.cycle_id == OpinionCategory.cycle_id)
        .join(Ballot, and_(Ballot.meeting_id == Meeting.id, Ballot.comment_category == OpinionCategory.name))
        .where(OpinionCategory.id.in_(category_ids))
        .group_by(OpinionCategory.id)
    )
    return {int(cid): int(n) for cid, n in (await session.execute(stmt)).all()}


async def ballots_by_member(session: AsyncSession, member_ids: Sequence[int]) -> dict[int, int]:
    """The named ballots each member of a group cast in it (an anonymous group's ballots name nobody)."""
    stmt = (
        select(EvaluatorGroupMember.id, func.count())
        .join(
            Ballot,
            and_(Ballot.group_id == EvaluatorGroupMember.group_id, Ballot.evaluator_id == EvaluatorGroupMember.user_id),
        )
        .where(EvaluatorGroupMember.id.in_(member_ids))
        .group_by(EvaluatorGroupMember.id)
    )
    return {int(mid): int(n) for mid, n in (await session.execute(stmt)).all()}
