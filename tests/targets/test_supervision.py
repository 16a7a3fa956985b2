"""Supervision (督查) over the API: rounds, findings at units, and each finding's rectification-ledger item."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.ledger.models import LedgerItem
from shuping.ledger.supervision import FINDING_CATEGORY
from tests.support.builders import auth_headers, get_user, make_cycle
from tests.support.languages import CHINESE
from tests.targets.test_api import API, CHENGGUAN, XIAODIAN, World, make_world

LEDGER = "/api/v1/ledger"
ROUND = {
    "body": "congress",
    "title": "区人大常委会招商引资专题督查",
    "started_on": "2013-10-20",
    "ended_on": "2013-10-25",
}


def finding(w: World, org: str = XIAODIAN, **extra: Any) -> dict[str, Any]:
    return {
        "org_id": w.orgs[org],
        "visited_on": "2013-10-21",
        "finding": "签约项目开工率低，项目跟踪服务不到位",
        "deadline": "2013-11-30",
        **extra,
    }


async def year_cycle(session: AsyncSession) -> int:
    """The county's 2013 cycle, whose ledger takes the programme's findings (it ends in its period)."""
    made = await make_cycle(
        session, name="2013年度乡镇党委书记述职评议", period_start="2013-01-01", period_end="2013-12-31"
    )
    return int(made.cycle_id)


async def test_findings_become_ledger_items(client: httpx.AsyncClient, session: AsyncSession) -> None:
    w = await make_world(client, session)
    leader = auth_headers(await get_user(session, "leader01"))
    sec, other = w.h[f"s{XIAODIAN}"], w.h[f"s{CHENGGUAN}"]
    rounds = f"{API}/programmes/{w.programme}/supervision-rounds"

    # The host's leader records a round; without the host's cycle for the period, no finding can be filed.
    r = await client.post(rounds, json=ROUND, headers=leader)
    assert r.status_code == 201, r.text
    round_ = r.json()
    assert (round_["body"], round_["findings"], round_["may_supervise"]) == ("congress", [], True)
    path = f"{API}/supervision-rounds/{round_['id']}/findings"
    for headers, detail in (
        (leader, "No open cycle of 汝阳县委 covers 2013-12-31, where the findings' ledger items go:"
            " create the host's cycle for that period first"),
        ({**leader, **CHINESE}, "汝阳县委没有覆盖 2013-12-31 的未结束评议周期，督查发现的问题无处列入整改台账："
            "请先为主办单位建立该时期的评议周期"),
    ):  # fmt: skip
        r = await client.post(path, json=finding(w), headers=headers)
        assert r.status_code == 409, r.text
        assert (r.json()["code"], r.json()["detail"]) == ("no-ledger-cycle", detail)

    cycle_id = await year_cycle(session)
    r = await client.post(path, json=finding(w), headers=leader)
    assert r.status_code == 201, r.text
    mine = r.json()
    assert mine["org"]["code"] == XIAODIAN and mine["deadline"] == "2013-11-30"
    assert mine["item"]["cycle_id"] == cycle_id
    assert (mine["item"]["status"], mine["item"]["due_date"]) == ("open", "2013-11-30")
    # The host's clerk (a programme manager) records one at 城关镇.
    r = await client.post(path, json=finding(w, CHENGGUAN, finding="招商台账不完整"), headers=w.h["clerk"])
    assert r.status_code == 201, r.text
    theirs = r.json()

    item = await session.get(LedgerItem, mine["item"]["id"], populate_existing=True)
    assert item is not None
    assert (item.org_id, item.category, item.title, str(item.start_date)) == (
        w.orgs[XIAODIAN],
        FINDING_CATEGORY,
        "签约项目开工率低，项目跟踪服务不到位",
        "2013-10-21",
    )
    # The unit's secretary sees the finding and its ledger item; another township's sees neither.
    r = await client.get(f"{LEDGER}/items/{mine['item']['id']}", headers=sec)
    assert r.status_code == 200 and r.json()["category"] == FINDING_CATEGORY
    source = r.json()["finding"]
    assert (source["id"], source["round_title"], source["body"], source["programme_name"]) == (
        mine["id"],
        ROUND["title"],
        "congress",
        "2013年招商引资目标责任",
    )
    assert (await client.get(f"{LEDGER}/items/{mine['item']['id']}", headers=other)).status_code == 404
    r = await client.get(rounds, headers=sec)
    assert [f["id"] for f in r.json()[0]["findings"]] == [mine["id"]]
    assert r.json()[0]["may_supervise"] is False
    r = await client.get(f"{API}/programmes/{w.programme}/findings", headers=other)
    assert [f["id"] for f in r.json()] == [theirs["id"]]
    assert (await client.get(f"{API}/findings/{mine['id']}", headers=other)).status_code == 404
    assert (await client.get(f"{API}/findings/{mine['id']}", headers=sec)).status_code == 200
    r = await client.get(f"{API}/supervision-rounds/{round_['id']}", headers=leader)
    assert [f["org"]["code"] for f in r.json()["findings"]] == [XIAODIAN, CHENGGUAN]
    r = await client.get(
        f"{API}/programmes/{w.programme}/findings", params={"org_id": w.orgs[CHENGGUAN]}, headers=leader
    )
    assert [f["id"] for f in r.json()] == [theirs["id"]]

    # Secretaries do not record supervision, nor change findings; deputies see none of it.
    assert (await client.post(rounds, json=ROUND, headers=sec)).status_code == 403
    assert (await client.post(path, json=finding(w), headers=sec)).status_code == 403
    assert (
        await client.patch(f"{API}/findings/{mine['id']}", json={"deadline": "2013-12-31"}, headers=sec)
    ).status_code == 403
    deputy = auth_headers(await get_user(session, "deputy01"))
    assert (await client.get(rounds, headers=deputy)).status_code == 403

    # A finding changes its item while the item has not moved on.
    r = await client.patch(f"{API}/findings/{mine['id']}", json={"deadline": "2013-12-15"}, headers=leader)
    assert r.status_code == 200, r.text
    assert (r.json()["deadline"], r.json()["item"]["due_date"]) == ("2013-12-15", "2013-12-15")
    # The unit starts work on it: the finding can no longer be changed or deleted.
    r = await client.post(f"{LEDGER}/items/{mine['item']['id']}/transitions", json={"to": "in_progress"}, headers=sec)
    assert r.status_code == 200, r.text
    for headers, part in ((leader, "has moved on (in_progress)"), ({**leader, **CHINESE}, "已在整改中推进")):
        r = await client.patch(f"{API}/findings/{mine['id']}", json={"finding": "改写"}, headers=headers)
        assert r.status_code == 409 and r.json()["code"] == "finding-in-progress"
        assert part in r.json()["detail"]
    assert (await client.delete(f"{API}/findings/{mine['id']}", headers=leader)).status_code == 409
    assert (await client.delete(f"{API}/supervision-rounds/{round_['id']}", headers=leader)).status_code == 409
    # 城关镇's finding, untouched, goes with its item.
    assert (await client.delete(f"{API}/findings/{theirs['id']}", headers=w.h["clerk"])).status_code == 204
    assert await session.get(LedgerItem, theirs["item"]["id"], populate_existing=True) is None
    r = await client.get(f"{API}/supervision-rounds/{round_['id']}", headers=leader)
    assert [f["id"] for f in r.json()["findings"]] == [mine["id"]]

    actions = set(
        (
            await session.execute(select(AuditEntry.action).where(AuditEntry.action.like("target_supervision%")))
        ).scalars()
    )
    assert actions == {
        "target_supervision.round_create",
        "target_supervision.finding_create",
        "target_supervision.finding_update",
        "target_supervision.finding_delete",
    }


async def test_supervision_refused(client: httpx.AsyncClient, session: AsyncSession) -> None:
    w = await make_world(client, session)
    await year_cycle(session)
    leader = auth_headers(await get_user(session, "leader01"))
    rounds = f"{API}/programmes/{w.programme}/supervision-rounds"
    r = await client.post(rounds, json={**ROUND, "ended_on": "2013-10-01"}, headers=leader)
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "ended_on"]
    r = await client.post(rounds, json={**ROUND, "body": "court"}, headers=leader)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "body"]
    round_ = (await client.post(rounds, json=ROUND, headers=leader)).json()
    path = f"{API}/supervision-rounds/{round_['id']}/findings"
    for headers, msg in (
        (leader, "The deadline is before the visit"),
        ({**leader, **CHINESE}, "整改期限早于督查日期"),
    ):
        r = await client.post(path, json=finding(w, deadline="2013-10-01"), headers=headers)
        assert r.status_code == 400, r.text
        assert r.json()["errors"] == [{"loc": ["body", "deadline"], "msg": msg}]
    r = await client.post(path, json=finding(w, visited_on="2013-11-02"), headers={**leader, **CHINESE})
    assert r.status_code == 400 and r.json()["errors"] == [
        {"loc": ["body", "visited_on"], "msg": "督查日期不在本轮督查期间（2013-10-20 至 2013-10-25）内"}
    ]
    r = await client.post(path, json={**finding(w), "org_id": 2_000_000}, headers=leader)
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "org_id"]
    r = await client.post(path, json={**finding(w), "finding": ""}, headers=leader)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "finding"]
    # Unknown rounds and findings are 404.
    assert (await client.get(f"{API}/supervision-rounds/2000000", headers=leader)).status_code == 404
    assert (await client.get(f"{API}/findings/2000000", headers=leader)).status_code == 404
    # A round is changed, and deleted with its untouched findings and their items.
    r = await client.patch(
        f"{API}/supervision-rounds/{round_['id']}", json={"summary": "走访五个乡镇", "body": "office"}, headers=leader
    )
    assert r.status_code == 200 and (r.json()["summary"], r.json()["body"]) == ("走访五个乡镇", "office")
    r = await client.patch(f"{API}/supervision-rounds/{round_['id']}", json={"title": None}, headers=leader)
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "title"]
    made = (await client.post(path, json=finding(w), headers=leader)).json()
    twin = (await client.post(path, json=finding(w, finding="项目跟踪服务不到位"), headers=leader)).json()
    # Each finding keeps an item of its own: the ledger does not merge one away.
    for headers, msg in (
        (w.h["clerk"], f"Item {twin['item']['id']} puts right a supervision finding: it does not merge into another"),
        ({**w.h["clerk"], **CHINESE}, f"事项 {twin['item']['id']} 用于整改督查发现的问题，不能并入其他事项"),
    ):
        r = await client.post(
            f"{LEDGER}/items/{made['item']['id']}/merge", json={"item_ids": [twin["item"]["id"]]}, headers=headers
        )
        assert r.status_code == 400, r.text
        assert r.json()["errors"] == [{"loc": ["body", "item_ids", 0], "msg": msg}]
    assert (await client.delete(f"{API}/supervision-rounds/{round_['id']}", headers=leader)).status_code == 204
    assert await session.get(LedgerItem, twin["item"]["id"], populate_existing=True) is None
    assert await session.get(LedgerItem, made["item"]["id"], populate_existing=True) is None
    assert (await client.get(f"{API}/findings/{made['id']}", headers=leader)).status_code == 404
    # A closed programme takes no more supervision, nor one still a draft.
    await client.patch(f"{API}/programmes/{w.programme}", json={"status": "closed"}, headers=w.h["clerk"])
    r = await client.post(rounds, json=ROUND, headers=leader)
    assert r.status_code == 409 and r.json()["code"] == "programme-closed"
    await client.patch(f"{API}/programmes/{w.programme}", json={"status": "draft"}, headers=w.h["clerk"])
    r = await client.post(rounds, json=ROUND, headers={**leader, **CHINESE})
    assert r.status_code == 409 and r.json()["detail"] == "2013年招商引资目标责任仍是草稿：启用后才能督查"
