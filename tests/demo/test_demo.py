"""The demo a newcomer sees after `make run`: loaded by the same command, on a fresh database."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.service import verify_chain
from shuping.core.calendar import CHINA_TZ
from shuping.cycles.models import Cycle, CycleStage
from shuping.demo.cycle import CYCLE_NAME
from shuping.demo.evaluation import VILLAGE_CYCLE_NAME
from shuping.ledger.models import LedgerEvent, LedgerItem, LedgerItemFinding, Opinion
from shuping.meetings.models import Ballot, Meeting, MeetingStatus
from shuping.petitions.models import (
    Appointment,
    AppointmentStatus,
    PetitionCase,
    PetitionEvent,
    PetitionStatsSnapshot,
    StatsGroup,
)
from shuping.petitions.statemachine import CaseStatus
from shuping.results.models import Interview, RectificationNotice, ResultEntry, ResultSet, ResultStatus
from shuping.targets.models import TargetFinding
from tests.demo.conftest import query

_query = query


def test_the_county_cycle_has_a_published_ranking_in_all_four_tiers(demo_url: str) -> None:
    async def look(s: AsyncSession):  # type: ignore[no-untyped-def]
        cycle = (await s.execute(select(Cycle).where(Cycle.name == CYCLE_NAME))).scalar_one()
        rs = (await s.execute(select(ResultSet).where(ResultSet.cycle_id == cycle.id))).scalar_one()
        ballots = await s.scalar(
            select(func.count()).select_from(Ballot).join(Meeting).where(Meeting.cycle_id == cycle.id)
        )
        interviews = await s.scalar(select(func.count()).select_from(Interview).where(Interview.cycle_id == cycle.id))
        notices = await s.scalar(
            select(func.count()).select_from(RectificationNotice).where(RectificationNotice.cycle_id == cycle.id)
        )
        items = [
            json.loads(i) for i in await s.scalars(select(ResultEntry.item).where(ResultEntry.cycle_id == cycle.id))
        ]
        return cycle.stage, rs.status, items, ballots, interviews, notices

    stage, status, items, ballots, interviews, notices = _query(demo_url, look)
    assert stage == CycleStage.rectification and status == ResultStatus.published
    assert len(items) == 14
    assert {i["tier"] for i in items} == {"good", "fairly_good", "average", "poor"}
    assert [i["rank"] for i in items] == sorted(i["rank"] for i in items)
    flagged = [i for i in items if i["flagged"]]
    assert flagged and interviews == notices == len(flagged)
    assert ballots == 14 * (7 + 24 + 60)


def test_the_village_cycle_waits_with_a_scheduled_meeting(demo_url: str) -> None:
    async def look(s: AsyncSession):  # type: ignore[no-untyped-def]
        cycle = (await s.execute(select(Cycle).where(Cycle.name == VILLAGE_CYCLE_NAME))).scalar_one()
        meeting = (await s.execute(select(Meeting).where(Meeting.cycle_id == cycle.id))).scalar_one()
        return cycle.stage, meeting.status, await verify_chain(s)

    stage, status, chain = _query(demo_url, look)
    assert stage == CycleStage.evaluation and status == MeetingStatus.scheduled
    assert chain.ok


def test_no_date_of_the_demo_contradicts_another(demo_url: str) -> None:
    """Meetings within or after their period, the ledger after its meeting (a supervision finding's item on the
    visit), notices due with their items, petition cases within the period whose figures they feed, results after
    the meeting, nothing ahead."""

    async def look(s: AsyncSession):  # type: ignore[no-untyped-def]
        cycles = list((await s.execute(select(Cycle))).scalars())
        meetings = list((await s.execute(select(Meeting))).scalars())
        items = list((await s.execute(select(LedgerItem))).scalars())
        visits = (
            await s.execute(
                select(LedgerItemFinding.item_id, TargetFinding.visited_on).join(
                    TargetFinding, TargetFinding.id == LedgerItemFinding.finding_id
                )
            )
        ).all()
        events = (await s.execute(select(LedgerEvent.at, LedgerItem.created_at).join(LedgerItem))).all()
        opinions = (await s.execute(select(Opinion.cycle_id, Opinion.created_at))).all()
        notices = list((await s.execute(select(RectificationNotice))).scalars())
        interviews = list((await s.execute(select(Interview))).scalars())
        results = list((await s.execute(select(ResultSet))).scalars())
        snapshots = (
            await s.execute(
                select(
                    PetitionStatsSnapshot.cycle_id,
                    PetitionStatsSnapshot.as_of,
                    func.sum(PetitionStatsSnapshot.accepted),
                )
                .where(PetitionStatsSnapshot.group_by == StatsGroup.org)
                .group_by(PetitionStatsSnapshot.cycle_id, PetitionStatsSnapshot.as_of)
            )
        ).all()
        cases = list((await s.execute(select(PetitionCase))).scalars())
        case_events = list(await s.scalars(select(PetitionEvent.at)))
        entries = [json.loads(i) for i in await s.scalars(select(ResultEntry.item).where(ResultEntry.published))]
        return (
            cycles,
            meetings,
            items,
            dict(visits),
            events,
            opinions,
            notices,
            interviews,
            results,
            snapshots,
            cases,
            case_events,
            entries,
        )

    (
        cycles,
        meetings,
        items,
        visits,
        events,
        opinions,
        notices,
        interviews,
        results,
        snapshots,
        cases,
        case_events,
        entries,
    ) = _query(demo_url, look)
    now = datetime.now(UTC)
    today = now.astimezone(CHINA_TZ).date()
    by_id = {c.id: c for c in cycles}
    assert {c.name[:8] for c in cycles} >= {"2012年下半年", "2013年上半年"}

    def day(moment: datetime) -> date:
        return moment.astimezone(CHINA_TZ).date()

    held: dict[int, datetime] = {}
    for m in meetings:
        cycle = by_id[m.cycle_id]
        assert day(m.starts_at) >= cycle.period_start, (cycle.name, m.starts_at)
        if m.status == MeetingStatus.scheduled:
            assert m.starts_at > now and cycle.period_end >= today  # the cycle in the present
        else:
            assert m.starts_at < now and m.ended_at is not None and m.ended_at < now
            held[m.cycle_id] = max(held.get(m.cycle_id, m.ended_at), m.ended_at)
    county = next(c for c in cycles if c.name == CYCLE_NAME)
    assert day(held[county.id]) == date(2013, 8, 30)  # the newspaper report's meeting

    for cycle_id, created in opinions:
        assert created < now and (cycle_id not in held or day(created) >= day(held[cycle_id]))
    for item in items:
        assert item.cycle_id in held, "a ledger item of a cycle that held no meeting"
        if item.id in visits:  # a supervision finding's item: opened on the visit, before the year-end meeting
            assert day(item.created_at) == visits[item.id] == item.start_date
        else:
            assert item.created_at > held[item.cycle_id] and day(item.created_at) <= item.start_date
        assert item.due_date > item.start_date and item.start_date <= today
        assert item.updated_at >= item.created_at and item.updated_at < now
        for done in (item.done_date, item.verified_date):
            assert done is None or item.start_date <= done <= today
    for at, created in events:
        assert created <= at < now
    finished = [i for i in items if i.cycle_id == county.id and i.status.value in ("verified", "rejected")]
    assert len(finished) > 0.8 * len([i for i in items if i.cycle_id == county.id])  # mostly finished

    for n in notices:
        assert n.issued_at > held[n.cycle_id] and n.issued_at < now
        assert n.acknowledged_at is None or n.issued_at < n.acknowledged_at < now
        dues = {i.due_date for i in items if i.cycle_id == n.cycle_id and i.org_id == n.org_id}
        assert dues == {n.deadline_date}, n.number
    for i in interviews:
        assert held[i.cycle_id] < i.held_at <= i.created_at < now and day(i.created_at) == day(i.held_at)

    assert snapshots
    for cycle_id, as_of, accepted in snapshots:
        cycle = by_id[cycle_id]
        fed = [c for c in cases if c.received_date <= as_of]
        assert accepted == len(fed) > 0
        assert all(cycle.period_start <= c.received_date <= cycle.period_end for c in fed), cycle.name
        assert as_of > cycle.period_end and as_of >= day(held[cycle_id])
    assert all(c.received_date <= today for c in cases) and all(at < now for at in case_events)
    # The dates the petition measures are judged by follow each other; ratings belong to closed cases.
    for c in cases:
        steps = [d for d in (c.received_date, c.accepted_date, c.handled_date, c.closed_date) if d is not None]
        assert steps == sorted(steps) and steps[-1] <= today, c.external_id
        assert c.satisfaction is None or c.status == CaseStatus.closed, c.external_id
    closed = [c for c in cases if c.status == CaseStatus.closed]
    assert any(c.satisfaction is None for c in closed) and any(c.satisfaction is not None for c in closed)

    async def receptions(s: AsyncSession):  # type: ignore[no-untyped-def]
        return (await s.execute(select(Appointment, PetitionCase).join(PetitionCase))).all()

    appointments = _query(demo_url, receptions)
    assert {a.status for a, _ in appointments} == set(AppointmentStatus)
    for a, c in appointments:
        # A reception follows the case's acceptance; a booked one lies ahead, the others behind.
        assert c.accepted_date is not None and day(a.starts_at) > c.accepted_date, c.external_id
        assert (a.starts_at > now) == (a.status == AppointmentStatus.booked), c.external_id

    for rs in results:
        assert rs.computed_at > held[rs.cycle_id]
        assert rs.published_at is None or rs.computed_at < rs.published_at < now
        assert by_id[rs.cycle_id].frozen_at == rs.published_at
    assert entries and all(not e["missing_indicators"] for e in entries)
