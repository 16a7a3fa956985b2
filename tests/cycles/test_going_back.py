"""Going back a stage keeps what was cast: no change made there deletes or orphans a ballot, a
result or an opinion; a change that would is refused with 409 naming what holds what."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.cycles.models import CycleStage, EvaluatorGroupMember
from shuping.ledger.models import Opinion, OpinionSource
from shuping.meetings.models import Ballot, BallotSource
from shuping.reports.models import Report, ReportStatus
from shuping.results.models import ResultEntry
from tests.support.builders import auth_headers, get_org, get_user
from tests.support.evaluation import (
    EvaluationCycle,
    computed_results,
    ended_meeting,
    make_evaluation_cycle,
    paper_ballot,
)

ANSWERS = {"duty": "20.5", "overall": "fairly_good"}


async def _count(session: AsyncSession, model: type, *where: object) -> int:
    return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


async def _cast(session: AsyncSession) -> EvaluationCycle:
    """A cycle in assessment: two ballots per report and group (one named, by leader01), and an opinion."""
    ev = await make_evaluation_cycle(session, stage=CycleStage.assessment)
    meeting = await ended_meeting(session, ev, ev.reports)
    leader = await get_user(session, "leader01")
    for report in ev.reports:
        for key, group in ev.groups.items():
            for i in range(2):
                ballot = paper_ballot(
                    meeting.id, report.id, group.id, ANSWERS, total=Decimal("71.5"), first_tier="fairly_good"
                )
                if key == "leaders" and i == 0:
                    ballot.source, ballot.evaluator_id = BallotSource.named, leader.id
                session.add(ballot)
    session.add(
        Opinion(
            cycle_id=ev.cycle.id,
            org_id=ev.reports[0].org_id,
            category="班子建设",
            text="班子分工需要更明确",
            source=OpinionSource.meeting,
        )
    )
    await session.flush()
    return ev


async def _back_to_preparation(client: httpx.AsyncClient, cid: int, admin: dict[str, str]) -> None:
    await computed_results(client, cid, admin)
    r = await client.post(
        f"/api/v1/cycles/{cid}/results/publish",
        headers=admin,
        json={"missing_indicators_reason": "信访化解率本期未录入"},
    )
    assert r.status_code == 200, r.text
    r = await client.post(f"/api/v1/cycles/{cid}/results/reopen", headers=admin, json={"reason": "更正录入错误"})
    assert r.status_code == 200, r.text
    for stage in ("evaluation", "preparation"):
        r = await client.post(f"/api/v1/cycles/{cid}/revert", headers=admin, json={"reason": "重新准备"})
        assert r.status_code == 200, r.text
        assert r.json()["stage"] == stage


def _refused(r: httpx.Response, *phrases: str) -> None:
    assert r.status_code == 409, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["type"].endswith("/still-held"), body
    for phrase in phrases:
        assert phrase in body["detail"], body["detail"]


@pytest.fixture
async def back(client: httpx.AsyncClient, session: AsyncSession) -> EvaluationCycle:
    ev = await _cast(session)
    await _back_to_preparation(client, ev.cycle.id, auth_headers(await get_user(session, "admin")))
    return ev


async def test_removing_groups_that_hold_ballots_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, back: EvaluationCycle
) -> None:
    cid = back.cycle.id
    admin = auth_headers(await get_user(session, "admin"))
    before = await _count(session, Ballot)

    r = await client.put(f"/api/v1/cycles/{cid}/groups", headers=admin, json={"groups": []})
    _refused(r, "group 'leaders' holds 6 ballots", "group 'deputies' holds 6 ballots", "group 'members'")
    assert {h["name"] for h in r.json()["held"]} == {"leaders", "deputies", "members"}

    groups = (await client.get(f"/api/v1/cycles/{cid}/groups", headers=admin)).json()["groups"]
    keep = [{k: g[k] for k in g if k not in ("id", "member_count")} for g in groups if g["key"] != "deputies"]
    r = await client.put(f"/api/v1/cycles/{cid}/groups", headers=admin, json={"groups": keep})
    _refused(r, "group 'deputies' holds 6 ballots")
    assert "leaders" not in r.json()["detail"]

    # Keeping every group (renamed) is fine: its ballots stay with it.
    renamed = [
        {**{k: g[k] for k in g if k not in ("id", "member_count")}, "name": g["name"] + "（新）"} for g in groups
    ]
    r = await client.put(f"/api/v1/cycles/{cid}/groups", headers=admin, json={"groups": renamed})
    assert r.status_code == 200, r.text
    assert await _count(session, Ballot) == before


async def test_removing_a_report_that_holds_ballots_results_or_opinions_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, back: EvaluationCycle
) -> None:
    cid = back.cycle.id
    admin = auth_headers(await get_user(session, "admin"))
    held = back.reports[0]
    r = await client.delete(f"/api/v1/reports/{held.id}", headers=admin)
    _refused(r, f"report {held.title!r} holds 6 ballots", "1 result", "1 opinion")
    assert await _count(session, Report, Report.id == held.id) == 1
    assert await _count(session, ResultEntry, ResultEntry.cycle_id == cid) == 3
    assert await _count(session, Opinion, Opinion.cycle_id == cid) == 1

    # A report added after going back holds nothing and may go again.
    org = await get_org(session, "410326102")
    fresh = Report(cycle_id=cid, org_id=org.id, position=9, title="新增报告", body="", status=ReportStatus.accepted)
    session.add(fresh)
    await session.flush()
    assert (await client.delete(f"/api/v1/reports/{fresh.id}", headers=admin)).status_code == 204


async def test_changing_the_rubric_or_removing_a_used_category_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, back: EvaluationCycle
) -> None:
    cid = back.cycle.id
    admin = auth_headers(await get_user(session, "admin"))
    rubric_id = back.cycle.rubric_id
    other = (await client.get("/api/v1/rubrics", headers=admin)).json()["items"]
    other_id = next(r["id"] for r in other if r["id"] != rubric_id)
    r = await client.patch(f"/api/v1/cycles/{cid}", headers=admin, json={"rubric_id": other_id})
    _refused(r, "18 ballot(s)")
    assert r.json()["errors"][0]["loc"] == ["body", "rubric_id"]

    r = await client.patch(f"/api/v1/cycles/{cid}", headers=admin, json={"opinion_categories": ["党员队伍"]})
    _refused(r, "category '班子建设' holds 1 opinion")
    r = await client.patch(f"/api/v1/cycles/{cid}", headers=admin, json={"opinion_categories": ["班子建设", "新类别"]})
    assert r.status_code == 200, r.text

    # The rubric its ballots were answered on is frozen: an edit makes a new version, the old one stays.
    rubric = (await client.get(f"/api/v1/rubrics/{rubric_id}", headers=admin)).json()
    assert rubric["frozen"] is True


async def test_removing_a_member_whose_named_ballots_count_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, back: EvaluationCycle
) -> None:
    cid = back.cycle.id
    admin = auth_headers(await get_user(session, "admin"))
    leader01, leader02 = await get_user(session, "leader01"), await get_user(session, "leader02")
    r = await client.delete(f"/api/v1/cycles/{cid}/groups/leaders/members/{leader01.id}", headers=admin)
    _refused(r, "evaluator 'leader01' holds 3 ballots")
    assert (
        await _count(
            session,
            EvaluatorGroupMember,
            EvaluatorGroupMember.cycle_id == cid,
            EvaluatorGroupMember.user_id == leader01.id,
        )
        == 1
    )
    # One who cast no named ballot may go.
    r = await client.delete(f"/api/v1/cycles/{cid}/groups/leaders/members/{leader02.id}", headers=admin)
    assert r.status_code == 204, r.text
