"""Rubrics: validation with located errors, permissions, versioning once frozen, formulas."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from shuping.cycles.models import Cycle, CycleStage
from shuping.rubrics import formulas
from tests.support.builders import auth_headers, get_org, get_user, make_cycle, make_user

RUBRIC: dict[str, Any] = {
    "name": "测试测评表",
    "items": [
        {"key": "duty", "title": "履行第一责任人职责", "category": "责任落实", "source": "ballot", "kind": "score",
         "max_points": 30},
        {"key": "overall", "title": "总体评价", "source": "ballot", "kind": "tier", "max_points": "60"},
        {"key": "petition_rate", "title": "信访化解率", "source": "indicator", "max_points": 10,
         "formula": "petition_resolution_rate"},
        {"key": "extra", "title": "组织部评分", "source": "indicator", "max_points": "0.5"},
    ],
    "vetoes": [{"key": "major_incident", "title": "发生重大责任事故"}],
}  # fmt: skip


def rubric(**overrides: Any) -> dict[str, Any]:
    body = copy.deepcopy(RUBRIC)
    body.update(overrides)
    return body


async def _headers(session: AsyncSession, username: str = "clerk") -> dict[str, str]:
    return auth_headers(await get_user(session, username))


def _locs(r: httpx.Response) -> list[list[str | int]]:
    return [e["loc"] for e in r.json()["errors"]]


async def test_create_and_read_a_rubric(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = await _headers(session)
    r = await client.post("/api/v1/rubrics", json=rubric(), headers=h)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["version"] == 1
    assert body["previous_id"] is None
    assert body["max_total"] == "100.5"
    assert body["frozen"] is False
    assert body["tier_fractions"] == {"good": "1", "fairly_good": "0.85", "average": "0.7", "poor": "0.5"}
    assert [i["key"] for i in body["items"]] == ["duty", "overall", "petition_rate", "extra"]
    assert body["items"][0]["max_points"] == "30"
    assert body["items"][2]["formula"] == "petition_resolution_rate"
    assert body["items"][3]["formula"] == "manual"
    assert body["items"][0]["formula"] is None
    assert body["vetoes"] == [{"key": "major_incident", "title": "发生重大责任事故", "fact": None}]

    got = await client.get(f"/api/v1/rubrics/{body['id']}", headers=await _headers(session, "s410326104"))
    assert got.status_code == 200
    assert got.json() == body
    listed = await client.get("/api/v1/rubrics", params={"q": "测试测评"}, headers=h)
    assert [x["id"] for x in listed.json()["items"]] == [body["id"]]
    assert listed.json()["items"][0]["item_count"] == 4
    actions = (
        (
            await session.execute(
                select(AuditEntry.action)
                .where(AuditEntry.entity_type == "rubric", AuditEntry.entity_id == str(body["id"]))
                .order_by(AuditEntry.id)
            )
        )
        .scalars()
        .all()
    )
    assert actions == ["rubric.create"]


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        (lambda b: b["items"][0].update(max_points=0), ["body", "items", 0, "max_points"]),
        (lambda b: b["items"][0].update(max_points=-1), ["body", "items", 0, "max_points"]),
        (lambda b: b["items"][0].update(max_points="12abc"), ["body", "items", 0, "max_points"]),
        (lambda b: b["items"][0].update(max_points=False), ["body", "items", 0, "max_points"]),
        (lambda b: b["items"][0].update(max_points="1.234"), ["body", "items", 0, "max_points"]),
        (lambda b: b["items"][0].update(max_points="NaN"), ["body", "items", 0, "max_points"]),
        (lambda b: b["items"][1].update(key="1bad"), ["body", "items", 1, "key"]),
        (lambda b: b["items"][1].update(source="vote"), ["body", "items", 1, "source"]),
        (lambda b: b["items"][1].update(colour="red"), ["body", "items", 1, "colour"]),
        (lambda b: b.pop("items"), ["body", "items"]),
        (lambda b: b.update(tier_fractions={"good": "1.5"}), ["body", "tier_fractions", "good"]),
        (lambda b: b.update(tier_fractions={"poor": 0}), ["body", "tier_fractions", "poor"]),
    ],
)
async def test_malformed_rubrics_are_422_naming_the_field(
    client: httpx.AsyncClient, session: AsyncSession, change: Any, loc: list[str | int]
) -> None:
    body = rubric()
    change(body)
    r = await client.post("/api/v1/rubrics", json=body, headers=await _headers(session))
    assert r.status_code == 422, r.text
    assert loc in _locs(r)


@pytest.mark.parametrize(
    ("change", "loc", "text"),
    [
        (lambda b: b["items"][1].update(key="duty"), ["body", "items", 1, "key"], "Duplicate item key"),
        (lambda b: b["items"][0].pop("kind"), ["body", "items", 0, "kind"], "needs a kind"),
        (lambda b: b["items"][2].update(kind="score"), ["body", "items", 2, "kind"], "no kind"),
        (lambda b: b["items"][0].update(formula="manual"), ["body", "items", 0, "formula"], "Only indicator"),
        (lambda b: b["items"][2].update(formula="magic_rate"), ["body", "items", 2, "formula"], "Unknown formula"),
        (lambda b: b.update(items=[b["items"][2]]), ["body", "items"], "at least one ballot item"),
        (
            lambda b: b.update(tier_fractions={"good": "0.9", "fairly_good": "0.9"}),
            ["body", "tier_fractions", "fairly_good"],
            "strictly descend",
        ),
        (
            lambda b: b["vetoes"].append({"key": "major_incident", "title": "again"}),
            ["body", "vetoes", 1, "key"],
            "Duplicate veto key",
        ),
    ],
)
async def test_rubric_rules_are_400_with_every_error_located(
    client: httpx.AsyncClient, session: AsyncSession, change: Any, loc: list[str | int], text: str
) -> None:
    body = rubric()
    change(body)
    r = await client.post("/api/v1/rubrics", json=body, headers=await _headers(session))
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    errors = r.json()["errors"]
    assert any(e["loc"] == loc and text in e["msg"] for e in errors), errors


async def test_several_broken_rules_are_reported_together(client: httpx.AsyncClient, session: AsyncSession) -> None:
    body = rubric()
    body["items"][1]["key"] = "duty"
    body["items"][3]["formula"] = "nope"
    r = await client.post("/api/v1/rubrics", json=body, headers=await _headers(session))
    assert r.status_code == 400
    assert _locs(r) == [["body", "items", 1, "key"], ["body", "items", 3, "formula"]]


async def test_replacing_an_unfrozen_rubric_changes_it_in_place(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    h = await _headers(session)
    created = (await client.post("/api/v1/rubrics", json=rubric(), headers=h)).json()
    body = rubric(name="改过的测评表")
    body["items"] = [{**body["items"][1], "key": "duty"}, body["items"][0] | {"key": "overall"}]
    r = await client.put(f"/api/v1/rubrics/{created['id']}", json=body, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["id"] == created["id"]
    assert r.json()["version"] == 1
    assert [(i["key"], i["kind"]) for i in r.json()["items"]] == [("duty", "tier"), ("overall", "score")]
    assert r.json()["max_total"] == "90"
    entry = (
        (
            await session.execute(
                select(AuditEntry).where(AuditEntry.action == "rubric.update").order_by(AuditEntry.id.desc())
            )
        )
        .scalars()
        .first()
    )
    assert entry is not None
    assert entry.data["before"]["max_total"] == "100.50"


async def test_a_rubric_in_use_past_preparation_is_frozen_and_edits_make_a_new_version(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    h = await _headers(session)
    result = await make_cycle(session)
    rubric_id = result.rubric_id
    r = await client.get(f"/api/v1/rubrics/{rubric_id}", headers=h)
    assert r.json()["frozen"] is False
    assert r.json()["cycle_count"] == 1

    await session.execute(update(Cycle).where(Cycle.id == result.cycle_id).values(stage=CycleStage.evaluation))
    original = (await client.get(f"/api/v1/rubrics/{rubric_id}", headers=h)).json()
    assert original["frozen"] is True

    r = await client.put(f"/api/v1/rubrics/{rubric_id}", json=rubric(name="第二版"), headers=h)
    assert r.status_code == 200, r.text
    new = r.json()
    assert new["id"] != rubric_id
    assert new["version"] == 2
    assert new["previous_id"] == rubric_id
    assert new["frozen"] is False
    assert new["name"] == "第二版"
    assert (await client.get(f"/api/v1/rubrics/{rubric_id}", headers=h)).json() == original
    cycle = await session.get(Cycle, result.cycle_id)
    assert cycle is not None and cycle.rubric_id == rubric_id
    assert (
        await session.scalar(
            select(AuditEntry.action)
            .where(AuditEntry.entity_type == "rubric", AuditEntry.entity_id == str(new["id"]))
            .order_by(AuditEntry.id)
        )
    ) == "rubric.version"


async def test_rubric_permissions(client: httpx.AsyncClient, session: AsyncSession) -> None:
    clerk = await _headers(session)
    created = (await client.post("/api/v1/rubrics", json=rubric(), headers=clerk)).json()
    for path in ("/api/v1/rubrics", f"/api/v1/rubrics/{created['id']}", "/api/v1/rubrics/formulas"):
        assert (await client.get(path)).status_code == 401
    assert (await client.post("/api/v1/rubrics", json=rubric())).status_code == 401
    assert (await client.put(f"/api/v1/rubrics/{created['id']}", json=rubric())).status_code == 401
    for username in ("s410326104", "leader01", "deputy03"):
        h = await _headers(session, username)
        assert (await client.get(f"/api/v1/rubrics/{created['id']}", headers=h)).status_code == 200
        assert (await client.post("/api/v1/rubrics", json=rubric(), headers=h)).status_code == 403
        assert (await client.put(f"/api/v1/rubrics/{created['id']}", json=rubric(), headers=h)).status_code == 403
    admin = await _headers(session, "admin")
    assert (await client.put(f"/api/v1/rubrics/{created['id']}", json=rubric(), headers=admin)).status_code == 200
    assert (await client.get("/api/v1/rubrics/999999", headers=admin)).status_code == 404
    assert (await client.put("/api/v1/rubrics/999999", json=rubric(), headers=admin)).status_code == 404
    assert (await client.get("/api/v1/rubrics/0", headers=admin)).status_code == 422


async def test_formulas_are_listed_and_pluggable(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = await _headers(session, "s410326104")
    listed = (await client.get("/api/v1/rubrics/formulas", headers=h)).json()
    names = [f["name"] for f in listed]
    assert names[0] == "manual"
    assert {"petition_resolution_rate", "ledger_completion"} <= set(names)
    # The petition capability plugs its computation in (shuping.wiring).
    assert next(f for f in listed if f["name"] == "petition_resolution_rate")["available"] is True

    async def compute(_session: Any, reports: Any, _item: Any) -> dict[int, Decimal | None]:
        return {r.id: Decimal("7.5") for r in reports}

    previous = formulas.get("petition_resolution_rate")
    assert previous is not None
    try:
        formulas.register("petition_resolution_rate", compute)
        listed = (await client.get("/api/v1/rubrics/formulas", headers=h)).json()
        assert next(f for f in listed if f["name"] == "petition_resolution_rate")["available"] is True
        formulas.register("brand_new_rate", compute, "A new one")
        body = rubric()
        body["items"][3]["formula"] = "brand_new_rate"
        r = await client.post("/api/v1/rubrics", json=body, headers=await _headers(session))
        assert r.status_code == 201, r.text
    finally:
        formulas._REGISTRY["petition_resolution_rate"] = previous
        formulas._REGISTRY.pop("brand_new_rate", None)


async def test_only_the_managers_of_the_cycles_using_a_rubric_change_it(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """A clerk of another organisation once rewrote the county's rubric in place."""
    county_clerk = await _headers(session)
    created = (await client.post("/api/v1/rubrics", json=rubric(), headers=county_clerk)).json()
    township_clerk = auth_headers(
        await make_user(session, role=Role.clerk, org_id=(await get_org(session, "410326104")).id)
    )
    # Used by no cycle yet, any clerk may still shape it.
    assert (
        await client.put(f"/api/v1/rubrics/{created['id']}", json=rubric(), headers=township_clerk)
    ).status_code == 200
    cycle_id = (await make_cycle(session)).cycle_id  # hosted by the county
    await session.execute(update(Cycle).where(Cycle.id == cycle_id).values(rubric_id=created["id"]))
    before = (await client.get(f"/api/v1/rubrics/{created['id']}", headers=county_clerk)).json()
    r = await client.put(f"/api/v1/rubrics/{created['id']}", json=rubric(name="改写"), headers=township_clerk)
    assert r.status_code == 403 and r.json()["type"].endswith("/forbidden")
    assert (await client.get(f"/api/v1/rubrics/{created['id']}", headers=county_clerk)).json() == before
    r = await client.put(f"/api/v1/rubrics/{created['id']}", json=rubric(name="改写"), headers=county_clerk)
    assert r.status_code == 200 and r.json()["name"] == "改写"
