"""Cycles: the demo cycle, creating and changing cycles, visibility and who may manage them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from shuping.cycles.models import Cycle, CycleStage
from shuping.demo.cycle import CYCLE_NAME
from tests.support.builders import auth_headers, get_org, get_user, make_cycle, make_user


async def demo_cycle_id(session: AsyncSession) -> int:
    county = await get_org(session, "410326")
    cid = await session.scalar(select(Cycle.id).where(Cycle.name == CYCLE_NAME, Cycle.host_org_id == county.id))
    assert cid is not None
    return int(cid)


async def h(session: AsyncSession, username: str) -> dict[str, str]:
    return auth_headers(await get_user(session, username))


def _locs(r: httpx.Response) -> list[list[str | int]]:
    return [e["loc"] for e in r.json()["errors"]]


NEW_CYCLE: dict[str, Any] = {
    "name": "2013年下半年村党支部书记述职评议",
    "period_start": "2013-07-01",
    "period_end": "2013-12-31",
}


async def new_cycle(session: AsyncSession, **overrides: Any) -> dict[str, Any]:
    county = await get_org(session, "410326")
    return {**NEW_CYCLE, "host_org_id": county.id, **overrides}


async def test_the_demo_cycle_is_set_up_in_preparation(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = await demo_cycle_id(session)
    r = await client.get(f"/api/v1/cycles/{cid}", headers=await h(session, "admin"))
    assert r.status_code == 200, r.text
    cycle = r.json()
    assert cycle["stage"] == "preparation"
    assert cycle["host_org"]["code"] == "410326"
    assert cycle["report_counts"] == {"total": 14, "draft": 0, "submitted": 14, "returned": 0, "accepted": 0}
    assert [
        (g["key"], g["weight"], g["aggregation"], g["trim"], g["expected"], g["member_count"]) for g in cycle["groups"]
    ] == [
        ("leaders", "0.4", "mean", 0, 7, 7),
        ("deputies", "0.3", "trimmed_mean", 1, 24, 24),
        ("members", "0.3", "trimmed_mean", 1, 60, 0),
    ]
    assert cycle["weight_sum"] == "1"
    assert cycle["rubric"]["max_total"] == "100"
    assert cycle["grading"] == {
        "method": "thresholds",
        "thresholds": {"good": "0.9", "fairly_good": "0.8", "average": "0.6"},
        "quotas": None,
        "poor_vote_share": "0.3333",
        "consequence_count": 1,
        "min_ballots_shown": 3,
    }
    assert cycle["opinion_categories"] == ["班子建设", "党员队伍", "服务群众", "发展经济", "作风建设"]
    assert cycle["can_manage"] is True
    gate = cycle["next_gate"]
    assert gate["to"] == "evaluation"
    assert gate["ready"] is False
    assert [b["code"] for b in gate["blockers"]] == ["reports_not_accepted"]
    assert gate["blockers"][0]["params"]["count"] == 14

    rubric = (await client.get(f"/api/v1/rubrics/{cycle['rubric']['id']}", headers=await h(session, "admin"))).json()
    kinds = {i["key"]: (i["source"], i["kind"], i["formula"]) for i in rubric["items"]}
    assert kinds["overall"] == ("ballot", "tier", None)
    assert kinds["petition_rate"] == ("indicator", None, "petition_resolution_rate")


async def test_staff_create_and_change_a_cycle(client: httpx.AsyncClient, session: AsyncSession) -> None:
    clerk = await h(session, "clerk")
    r = await client.post("/api/v1/cycles", json=await new_cycle(session, report_due_date="2014-01-10"), headers=clerk)
    assert r.status_code == 201, r.text
    cycle = r.json()
    assert cycle["stage"] == "preparation"
    assert cycle["rubric"] is None
    assert cycle["groups"] == []
    assert cycle["report_due_date"] == "2014-01-10"
    assert cycle["grading"]["thresholds"] == {"good": "0.9", "fairly_good": "0.8", "average": "0.6"}
    assert len(cycle["opinion_categories"]) == 5
    assert [b["code"] for b in cycle["next_gate"]["blockers"]] == ["no_rubric", "no_groups", "no_reports"]

    rubric_id = (await make_cycle(session)).rubric_id
    patch = {
        "name": "改名",
        "rubric_id": rubric_id,
        "grading": {"method": "quota", "quotas": {"good": "0.3", "fairly_good": "0.4", "average": "0.2"}},
        "opinion_categories": ["班子建设", "作风建设"],
        "report_due_date": None,
    }
    r = await client.patch(f"/api/v1/cycles/{cycle['id']}", json=patch, headers=clerk)
    assert r.status_code == 200, r.text
    changed = r.json()
    assert changed["name"] == "改名"
    assert changed["rubric"]["id"] == rubric_id
    assert changed["report_due_date"] is None
    assert changed["grading"]["method"] == "quota"
    assert changed["grading"]["quotas"] == {"good": "0.3", "fairly_good": "0.4", "average": "0.2"}
    assert changed["grading"]["thresholds"] is None
    assert changed["opinion_categories"] == ["班子建设", "作风建设"]
    actions = (
        (
            await session.execute(
                select(AuditEntry.action)
                .where(AuditEntry.entity_type == "cycle", AuditEntry.entity_id == str(cycle["id"]))
                .order_by(AuditEntry.id)
            )
        )
        .scalars()
        .all()
    )
    assert actions == ["cycle.create", "cycle.update"]


async def test_the_minimum_of_ballots_shown_is_set_with_the_grading(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    clerk = await h(session, "clerk")
    r = await client.post(
        "/api/v1/cycles", json=await new_cycle(session, grading={"min_ballots_shown": 5}), headers=clerk
    )
    assert r.status_code == 201, r.text
    cycle = r.json()
    assert cycle["grading"]["min_ballots_shown"] == 5
    r = await client.patch(f"/api/v1/cycles/{cycle['id']}", json={"grading": {"min_ballots_shown": 1}}, headers=clerk)
    assert r.status_code == 200, r.text
    assert r.json()["grading"]["min_ballots_shown"] == 1
    stored = await session.scalar(select(Cycle.min_ballots_shown).where(Cycle.id == cycle["id"]))
    assert stored == 1
    # Refused whole, naming the field: nothing changes.
    r = await client.patch(f"/api/v1/cycles/{cycle['id']}", json={"grading": {"min_ballots_shown": 0}}, headers=clerk)
    assert r.status_code == 422 and ["body", "grading", "min_ballots_shown"] in _locs(r)
    assert (await client.get(f"/api/v1/cycles/{cycle['id']}", headers=clerk)).json()["grading"][
        "min_ballots_shown"
    ] == 1


@pytest.mark.parametrize(
    ("overrides", "loc"),
    [
        ({"period_end": "2013-06-30"}, ["body", "period_end"]),
        ({"host_org_id": 999999}, ["body", "host_org_id"]),
        ({"rubric_id": 999999}, ["body", "rubric_id"]),
        ({"grading": {"method": "quota"}}, ["body", "grading", "quotas"]),
        (
            {"grading": {"method": "quota", "quotas": {"good": "0.5", "fairly_good": "0.4", "average": "0.2"}}},
            ["body", "grading", "quotas"],
        ),
        (
            {"grading": {"thresholds": {"good": "0.8", "fairly_good": "0.8", "average": "0.6"}}},
            ["body", "grading", "thresholds", "fairly_good"],
        ),
        (
            {"grading": {"quotas": {"good": "0.3", "fairly_good": "0.4", "average": "0.2"}}},
            ["body", "grading", "quotas"],
        ),
        ({"opinion_categories": ["班子建设", "班子建设"]}, ["body", "opinion_categories", 1]),
    ],
)
async def test_cycle_rules_are_400_naming_the_field(
    client: httpx.AsyncClient, session: AsyncSession, overrides: dict[str, Any], loc: list[str | int]
) -> None:
    r = await client.post(
        "/api/v1/cycles", json=await new_cycle(session, **overrides), headers=await h(session, "admin")
    )
    assert r.status_code == 400, r.text
    assert loc in _locs(r)


@pytest.mark.parametrize(
    ("overrides", "loc"),
    [
        ({"period_start": 20130701}, ["body", "period_start"]),
        ({"period_start": "2013-13-01"}, ["body", "period_start"]),
        ({"host_org_id": "1"}, ["body", "host_org_id"]),
        ({"grading": {"poor_vote_share": False}}, ["body", "grading", "poor_vote_share"]),
        ({"grading": {"consequence_count": "1"}}, ["body", "grading", "consequence_count"]),
        ({"grading": {"min_ballots_shown": 0}}, ["body", "grading", "min_ballots_shown"]),
        ({"grading": {"min_ballots_shown": -3}}, ["body", "grading", "min_ballots_shown"]),
        ({"grading": {"min_ballots_shown": 1001}}, ["body", "grading", "min_ballots_shown"]),
        ({"grading": {"min_ballots_shown": "3"}}, ["body", "grading", "min_ballots_shown"]),
        ({"grading": {"min_ballots_shown": True}}, ["body", "grading", "min_ballots_shown"]),
        ({"grading": {"min_ballots_shown": 2.5}}, ["body", "grading", "min_ballots_shown"]),
        ({"stage": "closed"}, ["body", "stage"]),
        ({"name": ""}, ["body", "name"]),
    ],
)
async def test_malformed_cycles_are_422(
    client: httpx.AsyncClient, session: AsyncSession, overrides: dict[str, Any], loc: list[str | int]
) -> None:
    r = await client.post(
        "/api/v1/cycles", json=await new_cycle(session, **overrides), headers=await h(session, "admin")
    )
    assert r.status_code == 422, r.text
    assert loc in _locs(r)


async def test_a_clerk_hosts_only_for_their_own_committee(client: httpx.AsyncClient, session: AsyncSession) -> None:
    xiaodian = await get_org(session, "410326104")
    township_clerk = auth_headers(await make_user(session, role=Role.clerk, org_id=xiaodian.id))
    r = await client.post("/api/v1/cycles", json=await new_cycle(session), headers=township_clerk)
    assert r.status_code == 403
    r = await client.post(
        "/api/v1/cycles", json=await new_cycle(session, host_org_id=xiaodian.id), headers=township_clerk
    )
    assert r.status_code == 201, r.text
    township_cycle = r.json()["id"]
    assert r.json()["can_manage"] is True
    # The county's org department clerk reads it (staff see every cycle) but does not manage it.
    r = await client.get(f"/api/v1/cycles/{township_cycle}", headers=await h(session, "clerk"))
    assert r.status_code == 200
    assert r.json()["can_manage"] is False
    r = await client.patch(f"/api/v1/cycles/{township_cycle}", json={"name": "x"}, headers=await h(session, "clerk"))
    assert r.status_code == 403
    # The township's clerk may not touch the county's demo cycle.
    cid = await demo_cycle_id(session)
    assert (await client.patch(f"/api/v1/cycles/{cid}", json={"name": "x"}, headers=township_clerk)).status_code == 403
    assert (await client.post(f"/api/v1/cycles/{cid}/advance", headers=township_clerk)).status_code == 403
    # Admins manage everything.
    r = await client.patch(f"/api/v1/cycles/{township_cycle}", json={"name": "y"}, headers=await h(session, "admin"))
    assert r.status_code == 200


async def test_who_sees_which_cycles(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = await demo_cycle_id(session)
    other = (await make_cycle(session, reports=[{"org_code": "410326105"}])).cycle_id

    async def listed(headers: dict[str, str]) -> set[int]:
        r = await client.get("/api/v1/cycles", params={"limit": 500}, headers=headers)
        assert r.status_code == 200, r.text
        return {c["id"] for c in r.json()["items"]}

    assert {cid, other} <= await listed(await h(session, "clerk"))
    assert await listed(await h(session, "s410326104")) == {cid}
    assert await listed(await h(session, "s410326105")) == {cid, other}
    assert await listed(await h(session, "s410326104201")) == set()
    assert await listed(await h(session, "leader01")) == {cid}
    assert await listed(await h(session, "deputy24")) == {cid}
    member = auth_headers(await make_user(session, role=Role.member))
    assert await listed(member) == set()
    integration = auth_headers(await make_user(session, role=Role.integration))
    # An integration account calls the sync endpoints only (DESIGN §8): not even the list.
    assert (await client.get("/api/v1/cycles", headers=integration)).status_code == 403

    assert (await client.get(f"/api/v1/cycles/{other}", headers=await h(session, "s410326104"))).status_code == 403
    assert (await client.get(f"/api/v1/cycles/{cid}", headers=await h(session, "s410326104201"))).status_code == 403
    assert (await client.get(f"/api/v1/cycles/{cid}", headers=member)).status_code == 403
    r = await client.get(f"/api/v1/cycles/{cid}", headers=await h(session, "s410326104"))
    assert r.status_code == 200
    assert r.json()["can_manage"] is False
    r = await client.get("/api/v1/cycles", params={"stage": "evaluation"}, headers=await h(session, "admin"))
    assert cid not in {c["id"] for c in r.json()["items"]}
    r = await client.get("/api/v1/cycles", params={"q": "乡镇党委书记"}, headers=await h(session, "admin"))
    assert cid in {c["id"] for c in r.json()["items"]}


async def test_anonymous_not_found_and_forbidden(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = await demo_cycle_id(session)
    anonymous = [
        client.get("/api/v1/cycles"),
        client.post("/api/v1/cycles", json=NEW_CYCLE),
        client.get(f"/api/v1/cycles/{cid}"),
        client.patch(f"/api/v1/cycles/{cid}", json={"name": "x"}),
        client.get(f"/api/v1/cycles/{cid}/gate"),
        client.post(f"/api/v1/cycles/{cid}/advance"),
        client.post(f"/api/v1/cycles/{cid}/revert", json={"reason": "because"}),
        client.get(f"/api/v1/cycles/{cid}/groups"),
        client.put(f"/api/v1/cycles/{cid}/groups", json={"groups": []}),
        client.get(f"/api/v1/cycles/{cid}/members"),
        client.get(f"/api/v1/cycles/{cid}/groups/leaders/members"),
        client.post(f"/api/v1/cycles/{cid}/groups/leaders/members", json={"user_ids": [1]}),
        client.delete(f"/api/v1/cycles/{cid}/groups/leaders/members/1"),
        client.post(f"/api/v1/cycles/{cid}/reports", json={"org_id": 1}),
    ]
    for call in anonymous:
        r = await call
        assert r.status_code == 401, (r.request.method, r.request.url)

    admin = await h(session, "admin")
    for method, path in [
        ("GET", "/api/v1/cycles/999999"),
        ("PATCH", "/api/v1/cycles/999999"),
        ("GET", "/api/v1/cycles/999999/gate"),
        ("POST", "/api/v1/cycles/999999/advance"),
        ("GET", "/api/v1/cycles/999999/groups"),
        ("GET", f"/api/v1/cycles/{cid}/groups/nobody/members"),
        ("DELETE", f"/api/v1/cycles/{cid}/groups/leaders/members/999999"),
    ]:
        body = {"name": "x"} if method == "PATCH" else None
        r = await client.request(method, path, json=body, headers=admin)
        assert r.status_code == 404, (method, path, r.text)
    assert (await client.get("/api/v1/cycles/0", headers=admin)).status_code == 422
    assert (await client.get("/api/v1/cycles/import", headers=admin)).status_code == 405
    r = await client.patch("/api/v1/cycles/import", json={}, headers=admin)
    assert r.status_code == 405
    assert r.headers["allow"] == "POST"
    r = await client.put("/api/v1/cycles/1", headers=admin)
    assert r.headers["allow"] == "GET, PATCH"

    for username in ("s410326104", "leader01", "deputy01"):
        headers = await h(session, username)
        assert (await client.post("/api/v1/cycles", json=await new_cycle(session), headers=headers)).status_code == 403
        assert (await client.patch(f"/api/v1/cycles/{cid}", json={"name": "x"}, headers=headers)).status_code == 403
        assert (
            await client.put(f"/api/v1/cycles/{cid}/groups", json={"groups": []}, headers=headers)
        ).status_code == 403
        assert (await client.get(f"/api/v1/cycles/{cid}/members", headers=headers)).status_code == 403
        r = await client.post(f"/api/v1/cycles/{cid}/reports", json={"org_id": 1}, headers=headers)
        assert r.status_code == 403


async def test_settings_are_fixed_after_preparation(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = (await make_cycle(session)).cycle_id
    await session.execute(update(Cycle).where(Cycle.id == cid).values(stage=CycleStage.evaluation))
    admin = await h(session, "admin")
    r = await client.patch(f"/api/v1/cycles/{cid}", json={"period_end": "2013-07-31"}, headers=admin)
    assert r.status_code == 409
    assert _locs(r) == [["body", "period_end"]]
    r = await client.patch(f"/api/v1/cycles/{cid}", json={"name": "评议中改名"}, headers=admin)
    assert r.status_code == 200
    await session.execute(update(Cycle).where(Cycle.id == cid).values(stage=CycleStage.closed))
    assert (await client.patch(f"/api/v1/cycles/{cid}", json={"name": "z"}, headers=admin)).status_code == 409
    r = await client.patch(f"/api/v1/cycles/{cid}", json={"name": None}, headers=admin)
    assert r.status_code == 409


async def test_null_and_period_rules_on_update(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = (await make_cycle(session)).cycle_id
    admin = await h(session, "admin")
    r = await client.patch(f"/api/v1/cycles/{cid}", json={"name": None}, headers=admin)
    assert r.status_code == 400
    assert _locs(r) == [["body", "name"]]
    r = await client.patch(f"/api/v1/cycles/{cid}", json={"period_end": "2012-12-31"}, headers=admin)
    assert r.status_code == 400
    assert _locs(r) == [["body", "period_end"]]
    r = await client.patch(f"/api/v1/cycles/{cid}", json={"rubric_id": 999999}, headers=admin)
    assert r.status_code == 400
    r = await client.patch(f"/api/v1/cycles/{cid}", json={"rubric_id": None}, headers=admin)
    assert r.status_code == 200
    assert r.json()["rubric"] is None


async def test_the_host_adds_a_reporting_organisation(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = (await make_cycle(session, reports=[{"org_code": "410326101"}])).cycle_id
    clerk = await h(session, "clerk")
    xiaodian = await get_org(session, "410326104")
    r = await client.post(f"/api/v1/cycles/{cid}/reports", json={"org_id": xiaodian.id}, headers=clerk)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "draft"
    assert r.json()["title"] == "小店镇党委书记抓基层党建工作述职报告"
    assert r.json()["position"] == 2
    r = await client.post(f"/api/v1/cycles/{cid}/reports", json={"org_id": xiaodian.id}, headers=clerk)
    assert r.status_code == 409
    village = await get_org(session, "410326104201")
    r = await client.post(f"/api/v1/cycles/{cid}/reports", json={"org_id": village.id}, headers=clerk)
    assert r.status_code == 400
    assert _locs(r) == [["body", "org_id"]]
    assert "not directly under" in r.json()["errors"][0]["msg"]
    r = await client.post(f"/api/v1/cycles/{cid}/reports", json={"org_id": 999999}, headers=clerk)
    assert r.status_code == 400
    await session.execute(update(Cycle).where(Cycle.id == cid).values(stage=CycleStage.evaluation))
    santun = await get_org(session, "410326105")
    r = await client.post(f"/api/v1/cycles/{cid}/reports", json={"org_id": santun.id, "title": "t"}, headers=clerk)
    assert r.status_code == 409


async def test_outsiders_read_nothing_of_a_cycle(client: httpx.AsyncClient, session: AsyncSession) -> None:
    other = (await make_cycle(session, reports=[{"org_code": "410326105"}])).cycle_id
    for username in ("s410326104", "leader01", "deputy01"):
        headers = await h(session, username)
        for path in (f"/api/v1/cycles/{other}", f"/api/v1/cycles/{other}/gate", f"/api/v1/cycles/{other}/groups"):
            r = await client.get(path, headers=headers)
            assert r.status_code == 403, (username, path)
            assert r.json()["detail"] == "You have no part in this cycle"
