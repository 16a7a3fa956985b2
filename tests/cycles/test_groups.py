"""Evaluator groups (weights, aggregation, quorum) and the named evaluators assigned to them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from shuping.cycles.models import Cycle, CycleStage
from tests.cycles.test_cycles import demo_cycle_id, h
from tests.support.builders import get_user, make_cycle, make_user

GROUPS: list[dict[str, Any]] = [
    {"key": "leaders", "name": "上级领导", "weight": "0.5", "aggregation": "mean", "expected": 7, "quorum": 5},
    {"key": "deputies", "name": "两代表一委员", "weight": 0.5, "aggregation": "trimmed_mean", "anonymous": True},
]


def _locs(r: httpx.Response) -> list[list[str | int]]:
    return [e["loc"] for e in r.json()["errors"]]


async def test_set_groups_keeping_members_of_kept_keys(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = await demo_cycle_id(session)
    clerk = await h(session, "clerk")
    r = await client.put(f"/api/v1/cycles/{cid}/groups", json={"groups": GROUPS}, headers=clerk)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["weight_sum"] == "1"
    assert body["weights_ok"] is True
    assert [(g["key"], g["weight"], g["trim"], g["quorum"], g["member_count"]) for g in body["groups"]] == [
        ("leaders", "0.5", 0, 5, 7),
        ("deputies", "0.5", 1, 1, 24),
    ]
    # members group removed; then weights that do not add up are kept but flagged.
    r = await client.put(
        f"/api/v1/cycles/{cid}/groups",
        json={"groups": [GROUPS[0], {**GROUPS[1], "key": "public", "weight": "0.4"}]},
        headers=clerk,
    )
    assert r.status_code == 200
    assert r.json()["weight_sum"] == "0.9"
    assert r.json()["weights_ok"] is False
    assert [g["member_count"] for g in r.json()["groups"]] == [7, 0]
    assert (await client.get(f"/api/v1/cycles/{cid}/groups", headers=await h(session, "s410326104"))).json() == r.json()
    data = (
        (
            await session.execute(
                select(AuditEntry.data).where(AuditEntry.action == "cycle.groups").order_by(AuditEntry.id.desc())
            )
        )
        .scalars()
        .first()
    )
    assert data is not None and data["removed"] == ["deputies"]


@pytest.mark.parametrize(
    ("groups", "loc", "text"),
    [
        ([GROUPS[0], {**GROUPS[1], "key": "leaders"}], ["body", "groups", 1, "key"], "Duplicate group key"),
        ([{**GROUPS[0], "trim": 1}], ["body", "groups", 0, "trim"], "trimmed_mean only"),
        ([{**GROUPS[1], "trim": 0}], ["body", "groups", 0, "trim"], "at least 1"),
        ([{**GROUPS[0], "expected": 3, "quorum": 4}], ["body", "groups", 0, "quorum"], "exceeds the expected"),
    ],
)
async def test_group_rules(
    client: httpx.AsyncClient, session: AsyncSession, groups: list[dict[str, Any]], loc: list[str | int], text: str
) -> None:
    cid = await demo_cycle_id(session)
    r = await client.put(f"/api/v1/cycles/{cid}/groups", json={"groups": groups}, headers=await h(session, "clerk"))
    assert r.status_code == 400, r.text
    assert any(e["loc"] == loc and text in e["msg"] for e in r.json()["errors"]), r.json()


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"weight": "0"}, ["body", "groups", 0, "weight"]),
        ({"weight": "1.5"}, ["body", "groups", 0, "weight"]),
        ({"weight": True}, ["body", "groups", 0, "weight"]),
        ({"weight": "0.4abc"}, ["body", "groups", 0, "weight"]),
        ({"expected": "7"}, ["body", "groups", 0, "expected"]),
        ({"anonymous": "no"}, ["body", "groups", 0, "anonymous"]),
        ({"aggregation": "median"}, ["body", "groups", 0, "aggregation"]),
        ({"key": "Leaders"}, ["body", "groups", 0, "key"]),
        ({"quorum": 0}, ["body", "groups", 0, "quorum"]),
    ],
)
async def test_malformed_groups_are_422(
    client: httpx.AsyncClient, session: AsyncSession, change: dict[str, Any], loc: list[str | int]
) -> None:
    cid = await demo_cycle_id(session)
    groups = [{**GROUPS[0], **change}, GROUPS[1]]
    r = await client.put(f"/api/v1/cycles/{cid}/groups", json={"groups": groups}, headers=await h(session, "clerk"))
    assert r.status_code == 422, r.text
    assert loc in _locs(r)


async def test_groups_are_fixed_after_preparation(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = (await make_cycle(session)).cycle_id
    await session.execute(update(Cycle).where(Cycle.id == cid).values(stage=CycleStage.evaluation))
    r = await client.put(f"/api/v1/cycles/{cid}/groups", json={"groups": GROUPS}, headers=await h(session, "admin"))
    assert r.status_code == 409
    assert "preparation" in r.json()["detail"]


async def test_assign_and_remove_named_evaluators(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = (await make_cycle(session)).cycle_id
    clerk = await h(session, "clerk")
    leaders = [await get_user(session, f"leader0{i}") for i in (1, 2, 3)]
    url = f"/api/v1/cycles/{cid}/groups/leaders/members"
    r = await client.post(url, json={"user_ids": [u.id for u in leaders] + [leaders[0].id]}, headers=clerk)
    assert r.status_code == 200, r.text
    assert [m["username"] for m in r.json()] == ["leader01", "leader02", "leader03"]
    assert {m["group_key"] for m in r.json()} == {"leaders"}
    assert r.json()[0]["org_name"] == "汝阳县委"
    # Adding again is harmless.
    r = await client.post(url, json={"user_ids": [leaders[0].id]}, headers=clerk)
    assert len(r.json()) == 3

    deputy = await get_user(session, "deputy01")
    r = await client.post(
        f"/api/v1/cycles/{cid}/groups/deputies/members", json={"user_ids": [deputy.id]}, headers=clerk
    )
    assert r.status_code == 200
    everyone = (await client.get(f"/api/v1/cycles/{cid}/members", headers=clerk)).json()
    assert [(m["group_key"], m["username"]) for m in everyone] == [
        ("leaders", "leader01"),
        ("leaders", "leader02"),
        ("leaders", "leader03"),
        ("deputies", "deputy01"),
    ]
    cycle = (await client.get(f"/api/v1/cycles/{cid}", headers=clerk)).json()
    assert [g["member_count"] for g in cycle["groups"]] == [3, 1, 0]

    r = await client.delete(f"{url}/{leaders[1].id}", headers=clerk)
    assert r.status_code == 204
    assert [m["username"] for m in (await client.get(url, headers=clerk)).json()] == ["leader01", "leader03"]
    assert (await client.delete(f"{url}/{leaders[1].id}", headers=clerk)).status_code == 404
    actions = (
        await session.execute(
            select(AuditEntry.action, AuditEntry.data)
            .where(AuditEntry.entity_type == "cycle", AuditEntry.entity_id == str(cid))
            .where(AuditEntry.action.like("cycle.member%"))
            .order_by(AuditEntry.id)
        )
    ).all()
    assert [a for a, _ in actions] == ["cycle.members_add", "cycle.members_add", "cycle.member_remove"]
    assert actions[0][1] == {"group": "leaders", "user_ids": [u.id for u in leaders]}


async def test_only_active_evaluators_in_one_group_each(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = (await make_cycle(session)).cycle_id
    clerk = await h(session, "clerk")
    leader = await get_user(session, "leader01")
    secretary = await get_user(session, "s410326104")
    retired = await make_user(session, role=Role.deputy, is_active=False)
    member = await make_user(session, role=Role.member)
    url = f"/api/v1/cycles/{cid}/groups"
    assert (
        await client.post(f"{url}/leaders/members", json={"user_ids": [leader.id]}, headers=clerk)
    ).status_code == 200
    r = await client.post(
        f"{url}/members/members",
        json={"user_ids": [member.id, secretary.id, 999999, retired.id, leader.id]},
        headers=clerk,
    )
    assert r.status_code == 400
    errors = r.json()["errors"]
    assert [e["loc"] for e in errors] == [["body", "user_ids", i] for i in (1, 2, 3, 4)]
    assert "only leaders, deputies and members evaluate" in errors[0]["msg"]
    assert "does not exist" in errors[1]["msg"]
    assert "deactivated" in errors[2]["msg"]
    assert "already in the group 'leaders'" in errors[3]["msg"]
    assert (await client.get(f"{url}/members/members", headers=clerk)).json() == []
    r = await client.post(f"{url}/members/members", json={"user_ids": []}, headers=clerk)
    assert r.status_code == 422
    r = await client.post(f"{url}/members/members", json={"user_ids": ["1"]}, headers=clerk)
    assert r.status_code == 422
    r = await client.post(f"{url}/nobody/members", json={"user_ids": [member.id]}, headers=clerk)
    assert r.status_code == 404


async def test_evaluators_may_change_during_evaluation_but_not_after(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    cid = (await make_cycle(session)).cycle_id
    clerk = await h(session, "clerk")
    leader = await get_user(session, "leader04")
    url = f"/api/v1/cycles/{cid}/groups/leaders/members"
    await session.execute(update(Cycle).where(Cycle.id == cid).values(stage=CycleStage.evaluation))
    assert (await client.post(url, json={"user_ids": [leader.id]}, headers=clerk)).status_code == 200
    await session.execute(update(Cycle).where(Cycle.id == cid).values(stage=CycleStage.assessment))
    assert (await client.post(url, json={"user_ids": [leader.id]}, headers=clerk)).status_code == 409
    assert (await client.delete(f"{url}/{leader.id}", headers=clerk)).status_code == 409


async def test_members_are_managed_by_the_host_only(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = await demo_cycle_id(session)
    leader = await get_user(session, "leader01")
    for username in ("s410326104", "leader01", "deputy01"):
        headers = await h(session, username)
        url = f"/api/v1/cycles/{cid}/groups/leaders/members"
        assert (await client.get(url, headers=headers)).status_code == 403
        assert (await client.post(url, json={"user_ids": [leader.id]}, headers=headers)).status_code == 403
        assert (await client.delete(f"{url}/{leader.id}", headers=headers)).status_code == 403


async def test_candidates_to_assign(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = await demo_cycle_id(session)
    clerk = await h(session, "clerk")
    r = await client.get(f"/api/v1/cycles/{cid}/candidates", params={"limit": 500}, headers=clerk)
    assert r.status_code == 200, r.text
    people = r.json()
    assert {p["role"] for p in people} == {"leader", "deputy"}
    assert len(people) == 31
    assert next(p for p in people if p["username"] == "leader01")["group_key"] == "leaders"
    extra = await make_user(session, role=Role.member, full_name="党员张三")
    r = await client.get(f"/api/v1/cycles/{cid}/candidates", params={"q": "张三"}, headers=clerk)
    assert r.json() == [
        {
            "user_id": extra.id,
            "username": extra.username,
            "full_name": "党员张三",
            "role": "member",
            "org_name": "县委组织部",
            "group_key": None,
        }
    ]
    r = await client.get(f"/api/v1/cycles/{cid}/candidates", params={"role": "deputy", "limit": 5}, headers=clerk)
    assert [p["username"] for p in r.json()] == [f"deputy0{i}" for i in range(1, 6)]
    r = await client.get(f"/api/v1/cycles/{cid}/candidates", params={"role": "secretary"}, headers=clerk)
    assert r.json() == []
    assert (await client.get(f"/api/v1/cycles/{cid}/candidates")).status_code == 401
    assert (
        await client.get(f"/api/v1/cycles/{cid}/candidates", headers=await h(session, "leader01"))
    ).status_code == 403
    assert (await client.get("/api/v1/cycles/999999/candidates", headers=clerk)).status_code == 404
