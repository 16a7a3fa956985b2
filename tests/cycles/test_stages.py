"""Stages advance only in order and only when their gate holds; each step is audited; going back
is an administrator's, with a reason."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.core.errors import Conflict
from shuping.cycles import gates
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Cycle, CycleStage
from shuping.cycles.schemas import Blocker
from shuping.db import utcnow
from shuping.reports.models import Report
from shuping.results.models import ResultSet, ResultStatus
from tests.cycles.test_cycles import demo_cycle_id, h
from tests.support.builders import make_cycle


async def _accept_all(client: httpx.AsyncClient, session: AsyncSession, cycle_id: int) -> None:
    clerk = await h(session, "clerk")
    ids = (await session.execute(select(Report.id).where(Report.cycle_id == cycle_id))).scalars().all()
    for rid in ids:
        r = await client.post(f"/api/v1/reports/{rid}/accept", headers=clerk)
        assert r.status_code == 200, r.text


async def _cycle_audit(session: AsyncSession, cycle_id: int) -> list[tuple[str, dict[str, object]]]:
    rows = (
        await session.execute(
            select(AuditEntry.action, AuditEntry.data)
            .where(AuditEntry.entity_type == "cycle", AuditEntry.entity_id == str(cycle_id))
            .where(AuditEntry.action.in_(["cycle.advance", "cycle.revert"]))
            .order_by(AuditEntry.id)
        )
    ).all()
    return [(a, d) for a, d in rows]


async def test_the_demo_cycle_advances_through_every_stage_in_order(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    cid = await demo_cycle_id(session)
    clerk = await h(session, "clerk")

    r = await client.post(f"/api/v1/cycles/{cid}/advance", headers=clerk)
    assert r.status_code == 409
    body = r.json()
    assert body["type"].endswith("/invalid-state")
    assert "14 report(s) not yet accepted" in body["detail"]
    assert "小店镇" in body["detail"]
    assert [b["code"] for b in body["blockers"]] == ["reports_not_accepted"]

    await _accept_all(client, session, cid)
    gate = (await client.get(f"/api/v1/cycles/{cid}/gate", headers=clerk)).json()
    assert gate == {"stage": "preparation", "to": "evaluation", "ready": True, "blockers": []}

    r = await client.post(f"/api/v1/cycles/{cid}/advance", json={"to": "assessment"}, headers=clerk)
    assert r.status_code == 409
    assert "one at a time" in r.json()["detail"]
    assert r.json()["errors"] == [{"loc": ["body", "to"], "msg": "the next stage is evaluation"}]

    expected = ["evaluation", "assessment", "rectification", "closed"]
    for i, stage in enumerate(expected):
        body_json = {"to": stage} if i % 2 == 0 else None
        if stage == "rectification":
            # Rectification follows published results only.
            r = await client.post(f"/api/v1/cycles/{cid}/advance", json=body_json, headers=clerk)
            assert r.status_code == 409
            assert [b["code"] for b in r.json()["blockers"]] == ["results_not_published"]
            session.add(ResultSet(cycle_id=cid, status=ResultStatus.published, document={"items": []}, hash="0" * 64))
            await session.execute(update(Cycle).where(Cycle.id == cid).values(frozen_at=utcnow()))
            await session.flush()
        r = await client.post(f"/api/v1/cycles/{cid}/advance", json=body_json, headers=clerk)
        assert r.status_code == 200, r.text
        assert r.json()["stage"] == stage
    assert r.json()["next_gate"] == {"stage": "closed", "to": None, "ready": False, "blockers": []}
    r = await client.post(f"/api/v1/cycles/{cid}/advance", headers=clerk)
    assert r.status_code == 409
    assert "closed" in r.json()["detail"]

    steps = await _cycle_audit(session, cid)
    assert [(a, d["from"], d["to"]) for a, d in steps] == [
        ("cycle.advance", "preparation", "evaluation"),
        ("cycle.advance", "evaluation", "assessment"),
        ("cycle.advance", "assessment", "rectification"),
        ("cycle.advance", "rectification", "closed"),
    ]


async def test_the_evaluation_gate_names_every_blocker(client: httpx.AsyncClient, session: AsyncSession) -> None:
    admin = await h(session, "admin")
    county = await session.scalar(select(Cycle.host_org_id).where(Cycle.id == await demo_cycle_id(session)))
    r = await client.post(
        "/api/v1/cycles",
        json={"name": "空周期", "host_org_id": county, "period_start": "2014-01-01", "period_end": "2014-06-30"},
        headers=admin,
    )
    cid = r.json()["id"]
    r = await client.post(f"/api/v1/cycles/{cid}/advance", headers=admin)
    assert r.status_code == 409
    assert [b["code"] for b in r.json()["blockers"]] == ["no_rubric", "no_groups", "no_reports"]
    assert (await session.get(Cycle, cid)).stage == CycleStage.preparation  # type: ignore[union-attr]

    result = await make_cycle(session, reports=[{"org_code": "410326101"}])
    groups = (await client.get(f"/api/v1/cycles/{result.cycle_id}/groups", headers=admin)).json()["groups"]
    groups[0]["weight"] = "0.3"
    for g in groups:
        g.pop("member_count")
    assert (
        await client.put(f"/api/v1/cycles/{result.cycle_id}/groups", json={"groups": groups}, headers=admin)
    ).status_code == 200
    gate = (await client.get(f"/api/v1/cycles/{result.cycle_id}/gate", headers=admin)).json()
    codes = {b["code"]: b for b in gate["blockers"]}
    assert set(codes) == {"weights_sum", "group_without_members", "reports_not_accepted"}
    assert codes["weights_sum"]["params"] == {"sum": "0.9"}
    assert codes["weights_sum"]["message"] == "The group weights sum to 0.9, not 1"
    assert codes["group_without_members"]["params"] == {"group": "上级领导"}


async def test_a_secretary_or_an_evaluator_cannot_advance_a_cycle(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    cid = await demo_cycle_id(session)
    await _accept_all(client, session, cid)
    for username in ("s410326104", "leader01", "deputy01"):
        r = await client.post(f"/api/v1/cycles/{cid}/advance", headers=await h(session, username))
        assert r.status_code == 403, username
    assert (await session.get(Cycle, cid)).stage == CycleStage.preparation  # type: ignore[union-attr]
    assert await _cycle_audit(session, cid) == []


async def test_only_an_admin_goes_back_and_says_why(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = await demo_cycle_id(session)
    admin = await h(session, "admin")
    r = await client.post(f"/api/v1/cycles/{cid}/revert", json={"reason": "录入有误"}, headers=admin)
    assert r.status_code == 409
    assert "no earlier stage" in r.json()["detail"]

    await _accept_all(client, session, cid)
    assert (await client.post(f"/api/v1/cycles/{cid}/advance", headers=admin)).status_code == 200
    r = await client.post(
        f"/api/v1/cycles/{cid}/revert", json={"reason": "报告需要补充"}, headers=await h(session, "clerk")
    )
    assert r.status_code == 403
    for username in ("s410326104", "leader01"):
        r = await client.post(f"/api/v1/cycles/{cid}/revert", json={"reason": "x1"}, headers=await h(session, username))
        assert r.status_code == 403
    r = await client.post(f"/api/v1/cycles/{cid}/revert", json={}, headers=admin)
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "reason"]
    r = await client.post(f"/api/v1/cycles/{cid}/revert", json={"reason": " "}, headers=admin)
    assert r.status_code == 422
    r = await client.post(f"/api/v1/cycles/{cid}/revert", json={"reason": "报告需要补充"}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["stage"] == "preparation"
    assert await _cycle_audit(session, cid) == [
        ("cycle.advance", {"from": "preparation", "to": "evaluation"}),
        ("cycle.revert", {"from": "evaluation", "to": "preparation", "reason": "报告需要补充"}),
    ]
    assert (await client.post(f"/api/v1/cycles/{cid}/revert", headers=admin)).status_code == 422


async def test_other_capabilities_can_hold_a_gate(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = await demo_cycle_id(session)
    admin = await h(session, "admin")
    await _accept_all(client, session, cid)
    assert (await client.post(f"/api/v1/cycles/{cid}/advance", headers=admin)).status_code == 200

    async def meeting_live(_session: object, cycle: Cycle) -> list[Blocker]:
        return [Blocker(code="meeting_live", message=f"A meeting of cycle {cycle.id} is live")]

    gates.register_gate_check(CycleStage.assessment, meeting_live)
    try:
        r = await client.post(f"/api/v1/cycles/{cid}/advance", headers=admin)
        assert r.status_code == 409
        assert r.json()["detail"] == f"Cannot enter assessment: A meeting of cycle {cid} is live"
    finally:
        gates._gate_checks[CycleStage.assessment].remove(meeting_live)
    assert (await client.post(f"/api/v1/cycles/{cid}/advance", headers=admin)).status_code == 200


async def test_a_stage_changed_meanwhile_is_a_conflict(session: AsyncSession) -> None:
    result = await make_cycle(session, reports=[{"org_code": "410326101"}])
    cycle = await cycles_service.get_cycle(session, result.cycle_id)
    # Another request moves the cycle after this one loaded it.
    await session.execute(
        update(Cycle)
        .where(Cycle.id == cycle.id)
        .values(stage=CycleStage.evaluation)
        .execution_options(synchronize_session=False)
    )
    assert cycle.stage == CycleStage.preparation
    with pytest.raises(Conflict, match="changed meanwhile"):
        await gates._move(session, cycle, CycleStage.evaluation)
