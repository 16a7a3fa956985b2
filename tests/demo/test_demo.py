"""The demo a newcomer sees after `make run`: loaded by the same command, on a fresh database."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.service import verify_chain
from shuping.cycles.models import Cycle, CycleStage
from shuping.db import make_engine
from shuping.demo.cycle import CYCLE_NAME
from shuping.demo.evaluation import VILLAGE_CYCLE_NAME
from shuping.meetings.models import Ballot, Meeting, MeetingStatus
from shuping.results.models import Interview, RectificationNotice, ResultEntry, ResultSet, ResultStatus
from tests.support.databases import create_database, drop_database, plan_database
from tests.support.servers import prepare


@pytest.fixture(scope="module")
def demo_url(base_database_url: str | None) -> Iterator[str]:
    url = plan_database(base_database_url, "demo")
    create_database(url)
    try:
        prepare(url)
        prepare(url)  # loading twice adds nothing
        yield url
    finally:
        drop_database(url)


def _query(url: str, fn):  # type: ignore[no-untyped-def]
    async def run():  # type: ignore[no-untyped-def]
        engine = make_engine(url)
        async with AsyncSession(engine) as s:
            out = await fn(s)
        await engine.dispose()
        return out

    return asyncio.run(run())


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
