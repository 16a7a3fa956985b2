"""Statistics equal a count over the cases; the demo reads 346 / 210 / 136; snapshots stay frozen."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import Role
from shuping.cycles.models import Cycle, CycleStage
from shuping.petitions import stats
from shuping.petitions.models import PetitionCase, PetitionStatsSnapshot, StatsGroup
from shuping.petitions.statemachine import CaseStatus
from tests.support.builders import auth_headers, get_org, get_user, make_case, make_cycle, make_user

STATS = "/api/v1/petitions/stats"


async def test_demo_totals(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = auth_headers(await get_user(session, "admin"))
    for group_by, groups in (("org", 14), ("department", 40)):
        body = (await client.get(STATS, params={"group_by": group_by}, headers=h)).json()
        total = body["total"]
        assert (total["accepted"], total["resolved"], total["assigned_or_transferred"]) == (346, 210, 136)
        assert total["in_progress"] == 0
        assert total["resolution_rate"] == "0.606936"
        assert 0 < total["overdue"] < 136
        assert len(body["rows"]) == groups
        assert all(row["accepted"] > 0 for row in body["rows"])
        for key in ("accepted", "resolved", "assigned_or_transferred", "in_progress", "overdue"):
            assert sum(row[key] for row in body["rows"]) == total[key]


@pytest.mark.parametrize("group_by", list(StatsGroup))
async def test_stats_equal_a_count_over_the_cases(
    client: httpx.AsyncClient, session: AsyncSession, group_by: StatsGroup
) -> None:
    town = await get_org(session, "410326206")
    await make_case(session, org=town, summary="新受理")
    h = auth_headers(await get_user(session, "clerk"))
    body = (await client.get(STATS, params={"group_by": group_by.value}, headers=h)).json()
    column = PetitionCase.org_id if group_by == StatsGroup.org else PetitionCase.department_id
    for row in body["rows"]:
        where = column == row["org"]["id"]

        async def count(*conditions: object, where: object = where) -> int:
            stmt = select(func.count()).select_from(PetitionCase).where(where, *conditions)  # type: ignore[arg-type]
            return int(await session.scalar(stmt) or 0)

        assert row["accepted"] == await count()
        assert row["resolved"] == await count(PetitionCase.status.in_([CaseStatus.resolved, CaseStatus.closed]))
        assert row["assigned_or_transferred"] == await count(
            PetitionCase.status.in_([CaseStatus.assigned, CaseStatus.transferred])
        )
        assert row["in_progress"] == await count(PetitionCase.status.in_([CaseStatus.accepted, CaseStatus.in_progress]))
        if row["accepted"]:
            assert Decimal(row["resolution_rate"]) == round(Decimal(row["resolved"]) / row["accepted"], 6)
    assert body["total"]["accepted"] == 347
    assert body["total"]["in_progress"] == 1


def test_pure_figures() -> None:
    assert stats.resolution_rate(0, 0) is None
    assert stats.resolution_rate(2, 3) == Decimal("0.666667")
    assert stats.median_days([]) is None
    assert stats.median_days([1, 4, 10]) == Decimal("4.0")
    assert stats.median_days([1, 4]) == Decimal("2.5")
    assert stats.points_for(Decimal("0.5"), Decimal("10")) == Decimal("5.0")
    assert stats.points_for(None, Decimal("10")) is None


async def _cycle_in(session: AsyncSession, stage: CycleStage) -> int:
    cycle_id = int((await make_cycle(session)).cycle_id)
    await session.execute(update(Cycle).where(Cycle.id == cycle_id).values(stage=stage))
    return cycle_id


async def test_snapshot_freezes_figures_for_a_cycle(client: httpx.AsyncClient, session: AsyncSession) -> None:
    town = await get_org(session, "410326204")
    live_before = await stats.resolution_rate_for(session, town.id)
    assert live_before is not None
    h = auth_headers(await get_user(session, "admin"))
    cycle_id = await _cycle_in(session, CycleStage.assessment)
    other_id = await _cycle_in(session, CycleStage.assessment)
    r = await client.post(f"{STATS}/snapshots", json={"cycle_id": cycle_id}, headers=h)
    assert r.status_code == 200
    frozen = {row["org"]["code"]: row for row in r.json()["rows"]}
    assert r.json()["cycle_id"] == cycle_id and r.json()["total"]["accepted"] == 346
    assert Decimal(frozen["410326204"]["resolution_rate"]) == live_before

    for _ in range(5):
        await make_case(session, org=town)
    live_after = await stats.resolution_rate_for(session, town.id)
    assert live_after is not None and live_after < live_before
    assert await stats.resolution_rate_for(session, town.id, cycle_id=cycle_id) == live_before
    again = await client.post(f"{STATS}/snapshots", json={"cycle_id": cycle_id}, headers=h)
    assert again.json()["rows"] == r.json()["rows"]
    dept = (await client.get(f"{STATS}/snapshots/{cycle_id}", params={"group_by": "department"}, headers=h)).json()
    assert len(dept["rows"]) == 40
    assert (await client.get(f"{STATS}/snapshots/{other_id}", headers=h)).status_code == 404
    # A cycle without a snapshot reads the live figure.
    assert await stats.resolution_rate_for(session, town.id, cycle_id=other_id) == live_after
    empty = await get_org(session, "410326104201")
    assert await stats.resolution_rate_for(session, empty.id) is None


async def test_snapshots_only_for_a_managed_cycle_in_assessment(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """A snapshot freezes the figures a cycle is scored on: never for a cycle that does not exist,
    that is not yet (or no longer) in assessment, or that the caller does not run."""
    admin = auth_headers(await get_user(session, "admin"))
    preparing = await _cycle_in(session, CycleStage.preparation)
    r = await client.post(f"{STATS}/snapshots", json={"cycle_id": preparing}, headers=admin)
    assert r.status_code == 409 and "assessment" in r.json()["detail"]
    assert (await client.post(f"{STATS}/snapshots", json={"cycle_id": 4242}, headers=admin)).status_code == 404
    assessed = await _cycle_in(session, CycleStage.assessment)
    township_clerk = await make_user(session, role=Role.clerk, org_id=(await get_org(session, "410326104")).id)
    for who in (township_clerk, await get_user(session, "leader01"), await get_user(session, "s410326104")):
        r = await client.post(f"{STATS}/snapshots", json={"cycle_id": assessed}, headers=auth_headers(who))
        assert r.status_code == 403, who.username
        assert (await client.get(f"{STATS}/snapshots/{assessed}", headers=auth_headers(who))).status_code == 403
    assert await session.scalar(select(func.count()).select_from(PetitionStatsSnapshot)) == 0
