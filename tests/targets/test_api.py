"""Target programmes over the API: set-up, the pipeline, completion, refusals and who may do what."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from tests.support.builders import auth_headers, get_org, get_user, make_user
from tests.support.languages import CHINESE

API = "/api/v1/targets"
XIAODIAN, SANTUN, CHENGGUAN = "410326104", "410326105", "410326101"


class World:
    def __init__(self, client: httpx.AsyncClient, h: dict[str, dict[str, str]], orgs: dict[str, int]) -> None:
        self.client, self.h, self.orgs = client, h, orgs
        self.programme = 0

    async def post(self, path: str, body: dict[str, Any], who: str = "clerk", code: int = 201) -> Any:
        r = await self.client.post(f"{API}{path}", json=body, headers=self.h[who])
        assert r.status_code == code, r.text
        return r.json()

    async def project(self, org: str, who: str = "clerk", **extra: Any) -> dict[str, Any]:
        body = {"org_id": self.orgs[org], "company": "洛阳某轴承有限公司", "negotiating_date": "2013-09-01", **extra}
        result: dict[str, Any] = await self.post(f"/programmes/{self.programme}/projects", body, who)
        return result

    async def move(self, project: int, to: str, on: str, who: str = "clerk", code: int = 200, **extra: Any) -> Any:
        return await self.post(f"/projects/{project}/stage", {"to": to, "on_date": on, **extra}, who, code)


async def make_world(client: httpx.AsyncClient, session: AsyncSession) -> World:
    h = {
        name: auth_headers(await get_user(session, name))
        for name in ("admin", "clerk", f"s{XIAODIAN}", f"s{CHENGGUAN}")
    }
    orgs = {code: (await get_org(session, code)).id for code in ("410326", XIAODIAN, SANTUN, CHENGGUAN)}
    w = World(client, h, orgs)
    programme = await w.post(
        "/programmes",
        {
            "name": "2013年招商引资目标责任",
            "host_org_id": orgs["410326"],
            "period_start": "2013-09-01",
            "period_end": "2013-12-31",
        },
    )
    assert programme["status"] == "draft" and programme["may_manage"] is True
    w.programme = programme["id"]
    for key, name, unit, weight, stage, basis in (
        ("signed", "签约项目数", "个", 30, "signed", "projects"),
        ("contract", "合同金额", "万元", 30, "signed", "contract_amount"),
        ("landed", "落地项目数", "个", 40, "landed", "projects"),
    ):
        await w.post(
            f"/programmes/{w.programme}/measures",
            {"key": key, "name": name, "unit": unit, "weight": weight, "stage": stage, "basis": basis},
        )
    targets = [
        (XIAODIAN, "signed", 2),
        (XIAODIAN, "contract", "1000"),
        (XIAODIAN, "landed", 1),
        (CHENGGUAN, "signed", 2),
        (CHENGGUAN, "landed", 1),
    ]
    r = await client.put(
        f"{API}/programmes/{w.programme}/targets",
        json={"targets": [{"org_id": orgs[o], "measure_key": k, "value": v} for o, k, v in targets]},
        headers=h["clerk"],
    )
    assert r.status_code == 200, r.text
    assert len(r.json()) == 5
    r = await client.patch(f"{API}/programmes/{w.programme}", json={"status": "active"}, headers=h["clerk"])
    assert r.status_code == 200 and r.json()["status"] == "active"
    return w


async def test_a_programme_from_set_up_to_completion(client: httpx.AsyncClient, session: AsyncSession) -> None:
    w = await make_world(client, session)
    team = await w.post(
        f"/programmes/{w.programme}/teams",
        {
            "name": "轴承产业链招商攻坚小组",
            "leader_name": "王副区长",
            "industries": ["轴承", "装备制造"],
            "member_org_ids": [w.orgs[XIAODIAN], w.orgs[CHENGGUAN]],
        },
    )
    assert [m["code"] for m in team["members"]] == [XIAODIAN, CHENGGUAN]
    sec = f"s{XIAODIAN}"
    p1 = await w.project(
        XIAODIAN, sec, contract_amount="600", team_id=team["id"], origin_region="长三角", ranking="china_500"
    )
    p2 = await w.project(CHENGGUAN, f"s{CHENGGUAN}", contract_amount=200)
    await w.move(p1["id"], "signed", "2013-09-10", sec)
    moved = await w.move(p1["id"], "landed", "2013-10-15", sec)
    assert (moved["stage"], moved["signed_date"], moved["landed_date"]) == ("landed", "2013-09-10", "2013-10-15")
    await w.move(p2["id"], "landed", "2013-10-20", f"s{CHENGGUAN}")  # signed and landed the same day

    r = await client.get(f"{API}/programmes/{w.programme}/completion", params={"as_of": "2013-10-31"}, headers=w.h[sec])
    assert r.status_code == 200, r.text
    c = r.json()
    assert (c["expected_pace"], c["previous_as_of"]) == ("0.5", "2013-09-30")
    units = {u["org"]["code"]: u for u in c["units"]}
    # 小店镇: 签约 1/2, 合同 600/1000, 落地 1/1 → (15 + 18 + 40) / 100; 城关镇: (30×0.5 + 40×1) / 70.
    assert units[XIAODIAN]["weighted_completion"] == "0.73"
    assert units[CHENGGUAN]["weighted_completion"] == "0.785714"
    assert [u["org"]["code"] for u in c["units"]] == [CHENGGUAN, XIAODIAN]
    assert (units[CHENGGUAN]["rank"], units[XIAODIAN]["rank"]) == (1, 2)
    # At the end of September the project was signed, not landed: (15 + 18) / 100.
    assert units[XIAODIAN]["previous_weighted_completion"] == "0.33"
    assert units[XIAODIAN]["light"] == "green" and units[XIAODIAN]["change"] == "0.4"
    contract = {m["measure_key"]: m for m in units[CHENGGUAN]["measures"]}["contract"]
    assert (contract["target"], contract["completion"], contract["actual"]) == (None, None, "200")

    # 小店镇's project moves back to 签约 in November, with a reason; its veto fact turns true.
    r = await client.post(
        f"{API}/projects/{p1['id']}/stage", json={"to": "signed", "on_date": "2013-11-05"}, headers=w.h[sec]
    )
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "reason"]
    back = await w.move(p1["id"], "signed", "2013-11-05", sec, reason="企业资金链断裂，暂缓落地")
    assert back["landed_date"] is None and back["history"][-1]["reason"] == "企业资金链断裂，暂缓落地"
    assert [h["to_stage"] for h in back["history"]] == ["negotiating", "signed", "landed", "signed"]
    r = await client.get(
        f"{API}/programmes/{w.programme}/completion", params={"as_of": "2013-11-30"}, headers=w.h["clerk"]
    )
    units = {u["org"]["code"]: u for u in r.json()["units"]}
    assert units[XIAODIAN]["no_project_landed"] is True and units[XIAODIAN]["landed_projects"] == 0
    assert units[XIAODIAN]["weighted_completion"] == "0.33"
    assert units[XIAODIAN]["change"] == "-0.4"
    assert units[CHENGGUAN]["no_project_landed"] is False

    actions = set((await session.execute(select(AuditEntry.action).where(AuditEntry.action.like("target%")))).scalars())
    assert {"target_programme.create", "target.put", "target_project.stage", "target_team.create"} <= actions


async def test_stage_moves_refused(client: httpx.AsyncClient, session: AsyncSession) -> None:
    w = await make_world(client, session)
    p = await w.project(XIAODIAN)
    r = await w.move(p["id"], "negotiating", "2013-09-02", code=409)
    assert r["code"] == "illegal-stage-move"
    await w.move(p["id"], "signed", "2013-09-10")
    r = await w.move(p["id"], "landed", "2013-09-09", code=409)
    assert "2013-09-10" in r["detail"]
    r = await client.post(
        f"{API}/projects/{p['id']}/stage", json={"to": "built", "on_date": "2013-09-12"}, headers=w.h["clerk"]
    )
    assert r.status_code == 422
    r = await client.patch(f"{API}/programmes/{w.programme}", json={"status": "closed"}, headers=w.h["clerk"])
    assert r.status_code == 200
    r = await w.move(p["id"], "landed", "2013-09-20", code=409)
    assert r["code"] == "programme-closed"
    r = await client.patch(f"{API}/projects/{p['id']}", json={"company": "另一家"}, headers=w.h["clerk"])
    assert r.status_code == 409
    r = await client.delete(f"{API}/programmes/{w.programme}", headers=w.h["clerk"])
    assert r.status_code == 409 and r.json()["code"] == "programme-in-use"


async def test_bad_input_names_the_field(client: httpx.AsyncClient, session: AsyncSession) -> None:
    w = await make_world(client, session)
    path = f"{API}/programmes/{w.programme}/measures"
    body = {
        "key": "started",
        "name": "开工项目数",
        "unit": "个",
        "weight": True,
        "stage": "started",
        "basis": "projects",
    }
    for headers, msg in (
        (w.h["clerk"], "Value error, expected a number, not true or false"),
        ({**w.h["clerk"], **CHINESE}, "应为数字，不能是“是/否”"),
    ):
        r = await client.post(path, json=body, headers=headers)
        assert r.status_code == 422, r.text
        assert r.json()["errors"] == [{"loc": ["body", "weight"], "msg": msg}]
    r = await client.post(path, json={**body, "weight": 10, "key": "signed"}, headers=w.h["clerk"])
    assert r.status_code == 409 and r.json()["code"] == "measure-key-taken"
    r = await client.put(
        f"{API}/programmes/{w.programme}/targets",
        json={"targets": [{"org_id": w.orgs[XIAODIAN], "measure_key": "nope", "value": 1}]},
        headers={**w.h["clerk"], **CHINESE},
    )
    assert r.status_code == 400 and r.json()["errors"] == [
        {"loc": ["body", "targets", 0, "measure_key"], "msg": "方案没有指标“nope”"}
    ]
    r = await client.post(
        f"{API}/programmes",
        json={
            "name": "倒置",
            "host_org_id": w.orgs["410326"],
            "period_start": "2013-12-31",
            "period_end": "2013-09-01",
        },
        headers=w.h["clerk"],
    )
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "period_end"]
    # Nothing was changed by the refusals.
    r = await client.get(f"{API}/programmes/{w.programme}/targets", headers=w.h["clerk"])
    assert len(r.json()) == 5


async def test_not_found(client: httpx.AsyncClient, session: AsyncSession) -> None:
    w = await make_world(client, session)
    for path in ("/programmes/2000000", "/programmes/2000000/completion", "/projects/2000000"):
        assert (await client.get(f"{API}{path}", headers=w.h["admin"])).status_code == 404
    other = await w.post(
        "/programmes",
        {"name": "重点项目", "host_org_id": w.orgs["410326"], "period_start": "2013-01-01", "period_end": "2013-12-31"},
    )
    measure = (await client.get(f"{API}/programmes/{w.programme}/measures", headers=w.h["clerk"])).json()[0]
    r = await client.patch(
        f"{API}/programmes/{other['id']}/measures/{measure['id']}", json={"name": "x"}, headers=w.h["clerk"]
    )
    assert r.status_code == 404


async def test_a_unit_sees_and_edits_its_own_projects_only(client: httpx.AsyncClient, session: AsyncSession) -> None:
    w = await make_world(client, session)
    mine = await w.project(XIAODIAN, f"s{XIAODIAN}")
    theirs = await w.project(CHENGGUAN, f"s{CHENGGUAN}")
    other = w.h[f"s{CHENGGUAN}"]
    listed = (await client.get(f"{API}/programmes/{w.programme}/projects", headers=other)).json()
    assert [p["id"] for p in listed] == [theirs["id"]]
    assert (await client.get(f"{API}/projects/{mine['id']}", headers=other)).status_code == 404
    r = await client.patch(f"{API}/projects/{mine['id']}", json={"company": "冒名"}, headers=other)
    assert r.status_code == 404
    r = await client.post(
        f"{API}/projects/{mine['id']}/stage", json={"to": "signed", "on_date": "2013-09-02"}, headers=other
    )
    assert r.status_code == 404
    r = await client.post(
        f"{API}/programmes/{w.programme}/projects",
        json={"org_id": w.orgs[XIAODIAN], "company": "代报", "negotiating_date": "2013-09-01"},
        headers=other,
    )
    assert r.status_code == 403
    # A secretary reads the programme and its completion but does not manage it.
    r = await client.get(f"{API}/programmes/{w.programme}", headers=other)
    assert r.status_code == 200 and r.json()["may_manage"] is False
    r = await client.patch(f"{API}/programmes/{w.programme}", json={"name": "改名"}, headers=other)
    assert r.status_code == 403
    # A township's clerk reaches its own township's projects, not the programme.
    clerk = auth_headers(await make_user(session, role=Role.clerk, org_id=w.orgs[XIAODIAN]))
    listed = (await client.get(f"{API}/programmes/{w.programme}/projects", headers=clerk)).json()
    assert [p["id"] for p in listed] == [mine["id"]]
    r = await client.put(f"{API}/programmes/{w.programme}/targets", json={"targets": []}, headers=clerk)
    assert r.status_code == 403
    # The host's clerk sees every unit's.
    listed = (await client.get(f"{API}/programmes/{w.programme}/projects", headers=w.h["clerk"])).json()
    assert {p["id"] for p in listed} == {mine["id"], theirs["id"]}
    leader = auth_headers(await get_user(session, "leader01"))
    assert (await client.get(f"{API}/programmes/{w.programme}/projects", headers=leader)).status_code == 403


async def test_set_up_changes(client: httpx.AsyncClient, session: AsyncSession) -> None:
    w = await make_world(client, session)
    base = f"{API}/programmes/{w.programme}"
    h = w.h["clerk"]
    team = await w.post(
        f"/programmes/{w.programme}/teams", {"name": "新材料产业链招商攻坚小组", "industries": ["新材料"]}
    )
    r = await client.patch(
        f"{base}/teams/{team['id']}",
        json={"leader_name": "李副区长", "member_org_ids": [w.orgs[SANTUN]], "industries": ["新材料", "新材料"]},
        headers=h,
    )
    assert r.status_code == 200, r.text
    assert (r.json()["leader_name"], r.json()["industries"], [m["code"] for m in r.json()["members"]]) == (
        "李副区长",
        ["新材料"],
        [SANTUN],
    )
    r = await client.patch(f"{base}/teams/{team['id']}", json={"member_org_ids": [2_000_000]}, headers=h)
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "member_org_ids", 0]
    assert (await client.delete(f"{base}/teams/{team['id']}", headers=h)).status_code == 204
    assert (await client.get(f"{base}/teams", headers=h)).json() == []

    measures = {m["key"]: m for m in (await client.get(f"{base}/measures", headers=h)).json()}
    r = await client.patch(f"{base}/measures/{measures['landed']['id']}", json={"weight": "50.5"}, headers=h)
    assert r.status_code == 200 and r.json()["weight"] == "50.5"
    r = await client.patch(f"{base}/measures/{measures['landed']['id']}", json={"stage": None}, headers=h)
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "stage"]
    # Removing a measure removes its targets; a new table replaces the old one whole.
    assert (await client.delete(f"{base}/measures/{measures['contract']['id']}", headers=h)).status_code == 204
    targets = (await client.get(f"{base}/targets", headers=h)).json()
    assert sorted((t["org"]["code"], t["measure_key"]) for t in targets) == [
        (CHENGGUAN, "landed"),
        (CHENGGUAN, "signed"),
        (XIAODIAN, "landed"),
        (XIAODIAN, "signed"),
    ]
    r = await client.put(
        f"{base}/targets",
        json={"targets": [{"org_id": w.orgs[SANTUN], "measure_key": "signed", "value": 3}]},
        headers=h,
    )
    assert r.status_code == 200 and [(t["org"]["code"], t["value"]) for t in r.json()] == [(SANTUN, "3")]
    # A draft programme without projects can be deleted, with everything in it.
    other = await w.post(
        "/programmes",
        {"name": "重点项目", "host_org_id": w.orgs["410326"], "period_start": "2013-01-01", "period_end": "2013-12-31"},
    )
    assert (await client.delete(f"{API}/programmes/{other['id']}", headers=h)).status_code == 204
    assert (await client.get(f"{API}/programmes/{other['id']}", headers=h)).status_code == 404
