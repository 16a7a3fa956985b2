"""Several ledger items moved in one step (all or none, each audited, scoped as the single step) and
duplicate suggestions (same organisation, near-identical titles) offered for merging."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from shuping.ledger.duplicates import SIMILAR, similar_groups
from tests.ledger.support import ITEMS, Ledger
from tests.support.builders import auth_headers, get_org, make_user
from tests.support.languages import CHINESE

BATCH = f"{ITEMS}/batch/transitions"
DUPLICATES = "/api/v1/ledger/duplicates"


async def done_items(ledger: Ledger, n: int, i: int = 0) -> list[int]:
    """n items of the cycle's i-th township, each started and completed by its secretary."""
    ids = []
    for k in range(n):
        item = await ledger.item(i, text=f"第{k + 1}个问题：村级活动场所利用率不高")
        for to in ("in_progress", "done"):
            r = await ledger.move(item["id"], to, "owner" if i == 0 else "other")
            assert r.status_code == 200, r.text
        ids.append(item["id"])
    return ids


async def statuses(ledger: Ledger, ids: list[int]) -> list[str]:
    out = []
    for item_id in ids:
        r = await ledger.client.get(f"{ITEMS}/{item_id}", headers=ledger.h["admin"])
        out.append(r.json()["status"])
    return out


async def audits(session: AsyncSession, ids: list[int], action: str = "ledger.status") -> int:
    stmt = select(func.count()).where(AuditEntry.action == action, AuditEntry.entity_id.in_([str(i) for i in ids]))
    return int(await session.scalar(stmt) or 0)


async def test_three_items_are_verified_in_one_request(ledger: Ledger, session: AsyncSession) -> None:
    ids = await done_items(ledger, 3)
    before = await audits(session, ids)
    r = await ledger.client.post(BATCH, json={"item_ids": ids, "to": "verified"}, headers=ledger.h["clerk"])
    assert r.status_code == 200, r.text
    assert [(x["id"], x["status"]) for x in r.json()] == [(i, "verified") for i in ids]
    assert all(x["verified_date"] is not None for x in r.json())
    assert await statuses(ledger, ids) == ["verified"] * 3
    # Each step audited and written into the item's history as the single step writes it.
    assert await audits(session, ids) == before + 3
    detail = (await ledger.client.get(f"{ITEMS}/{ids[1]}", headers=ledger.h["clerk"])).json()
    assert detail["events"][-1]["action"] == "verify"


async def test_one_item_that_may_not_move_stops_them_all(ledger: Ledger, session: AsyncSession) -> None:
    ids = await done_items(ledger, 2)
    still_open = (await ledger.item(0, text="党员教育培训形式单一"))["id"]
    ids.insert(1, still_open)
    before = await audits(session, ids)
    r = await ledger.client.post(BATCH, json={"item_ids": ids, "to": "verified"}, headers=ledger.h["clerk"])
    assert r.status_code == 409, r.text
    problem = r.json()
    assert problem["code"] == "batch-refused"
    assert problem["refused_ids"] == [still_open]
    assert problem["errors"] == [
        {
            "loc": ["body", "item_ids", 1],
            "msg": f"Ledger item {still_open}: An item that is open cannot become verified; "
            "allowed: in_progress, rejected",
        }
    ]
    assert problem["detail"].startswith("1 of 3 cannot be done, so nothing was changed: ")
    assert await statuses(ledger, ids) == ["done", "open", "done"]
    assert await audits(session, ids) == before

    r = await ledger.client.post(
        BATCH, json={"item_ids": ids, "to": "verified"}, headers={**ledger.h["clerk"], **CHINESE}
    )
    assert r.status_code == 409
    assert r.json()["title"] == "未作任何更改"
    assert r.json()["detail"].startswith("3 项中有 1 项无法办理，因此未作任何更改：台账事项")
    assert r.json()["errors"][0]["msg"].startswith(f"台账事项 {still_open}：")
    assert "待整改" in r.json()["errors"][0]["msg"]


async def test_every_refused_item_is_named_with_its_reason(ledger: Ledger) -> None:
    ids = await done_items(ledger, 3)
    # Refusing needs a reason: every item says so, and nothing moves.
    r = await ledger.client.post(BATCH, json={"item_ids": ids, "to": "rejected"}, headers=ledger.h["clerk"])
    assert r.status_code == 400, r.text
    assert [e["loc"] for e in r.json()["errors"]] == [["body", "item_ids", n] for n in range(3)]
    assert "3 of 3 cannot be done" in r.json()["detail"] and "and 2 more" in r.json()["detail"]
    r = await ledger.client.post(
        BATCH, json={"item_ids": ids, "to": "rejected", "note": "已在上级统一部署中解决"}, headers=ledger.h["clerk"]
    )
    assert r.status_code == 200, r.text
    assert {x["status_reason"] for x in r.json()} == {"已在上级统一部署中解决"}


async def test_a_secretary_moves_their_own_items_only(ledger: Ledger) -> None:
    own = [(await ledger.item(0, text=f"本镇问题{k}"))["id"] for k in range(2)]
    foreign = (await ledger.item(1, text="他镇问题"))["id"]
    r = await ledger.client.post(BATCH, json={"item_ids": own, "to": "in_progress"}, headers=ledger.h["owner"])
    assert r.status_code == 200, r.text
    # Another township's item is out of the secretary's sight: as the single step, "does not exist".
    r = await ledger.client.post(BATCH, json={"item_ids": [foreign, *own], "to": "done"}, headers=ledger.h["owner"])
    assert r.status_code == 404, r.text
    assert r.json()["refused_ids"] == [foreign]
    assert r.json()["errors"][0]["msg"] == f"Ledger item {foreign}: Ledger item {foreign} does not exist"
    assert await statuses(ledger, [*own, foreign]) == ["in_progress", "in_progress", "open"]
    # Verifying is the org department's: the owner is refused on each item (403), none moves.
    await ledger.client.post(BATCH, json={"item_ids": own, "to": "done"}, headers=ledger.h["owner"])
    r = await ledger.client.post(BATCH, json={"item_ids": own, "to": "verified"}, headers=ledger.h["owner"])
    assert r.status_code == 403
    assert r.json()["refused_ids"] == own


async def test_a_township_clerk_cannot_move_the_county_cycles_items(ledger: Ledger, session: AsyncSession) -> None:
    ids = await done_items(ledger, 2, i=1)  # 小店镇's items of the county's cycle
    xiaodian = await get_org(session, "410326104")
    clerk = auth_headers(await make_user(session, role=Role.clerk, org_id=xiaodian.id))
    r = await ledger.client.post(BATCH, json={"item_ids": ids, "to": "verified"}, headers=clerk)
    # The township's clerk reads its items but does not run the county's cycle.
    assert r.status_code == 403, r.text
    assert r.json()["refused_ids"] == ids
    assert await statuses(ledger, ids) == ["done", "done"]
    # A leader reads the ledger and moves nothing; a deputy does not even read it.
    assert (
        await ledger.client.post(BATCH, json={"item_ids": ids, "to": "verified"}, headers=ledger.h["leader"])
    ).status_code == 403
    assert (
        await ledger.client.post(BATCH, json={"item_ids": ids, "to": "verified"}, headers=ledger.h["deputy"])
    ).status_code == 403
    assert (await ledger.client.post(BATCH, json={"item_ids": ids, "to": "verified"})).status_code == 401


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"item_ids": [], "to": "verified"}, ["body", "item_ids"]),
        ({"item_ids": [7, 8, 7], "to": "verified"}, ["body", "item_ids"]),
        ({"item_ids": list(range(1, 502)), "to": "verified"}, ["body", "item_ids"]),
        ({"item_ids": [0], "to": "verified"}, ["body", "item_ids", 0]),
        ({"item_ids": [1], "to": "finished"}, ["body", "to"]),
        ({"item_ids": [1]}, ["body", "to"]),
        ({"item_ids": [1], "to": "verified", "extra": 1}, ["body", "extra"]),
    ],
)
async def test_malformed_batches_are_422_naming_the_field(ledger: Ledger, body: dict[str, Any], loc: list[Any]) -> None:
    r = await ledger.client.post(BATCH, json=body, headers=ledger.h["clerk"])
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["loc"] == loc


async def test_500_ids_are_taken(ledger: Ledger) -> None:
    # The limit is 500: that many pass validation (and, not existing, are each named as missing).
    r = await ledger.client.post(
        BATCH, json={"item_ids": list(range(1_000_000, 1_000_500)), "to": "verified"}, headers=ledger.h["clerk"]
    )
    assert r.status_code == 404, r.text
    assert len(r.json()["refused_ids"]) == 500
    assert "and 499 more" in r.json()["detail"]


# --- duplicate suggestions -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("班子成员分工不够明确，抓党建合力不足", "班子成员分工不够明确。抓党建合力不足！", True),  # punctuation only
        ("小店镇班子成员分工不够明确，抓党建合力不足", "班子成员分工不够明确，抓党建合力不足", True),  # 0.92
        ("村级活动场所利用率不高", "村级活动场所使用率不高", True),  # one character in eleven: 0.91
        ("对困难群众帮扶措施不够精准", "困难群众帮扶要精准", False),  # 0.73: worded apart
        ("班子成员分工不够明确，抓党建合力不足", "班子成员分工要更明确，议事规则要落实到位", False),
        ("发展年轻党员力度不够", "流动党员管理要跟上", False),
    ],
)
def test_similar_titles(a: str, b: str, same: bool) -> None:
    groups = similar_groups([(1, 9, a), (2, 9, b)], float(SIMILAR))
    assert (groups == [] and not same) or (same and [g.item_ids for g in groups] == [(1, 2)])


def test_groups_are_per_organisation_and_join_through_a_member() -> None:
    entries = [
        (1, 1, "班子成员分工不够明确，抓党建合力不足"),
        (2, 1, "小店镇班子成员分工不够明确，抓党建合力不足"),
        (3, 1, "小店镇班子成员分工不够明确，抓党建合力不足。"),
        (4, 1, "村级活动场所利用率不高"),
        (5, 2, "班子成员分工不够明确，抓党建合力不足"),  # the same words, another organisation
        (6, 1, "！！"),  # nothing left once normalised: never matched
        (7, 1, "？"),
    ]
    groups = similar_groups(entries, float(SIMILAR))
    assert [(g.org_id, g.item_ids) for g in groups] == [(1, (1, 2, 3))]
    assert 0.85 <= groups[0].similarity < 1


async def test_duplicate_suggestions_offer_each_group_once_for_merging(ledger: Ledger) -> None:
    c, clerk = ledger.client, ledger.h["clerk"]
    first = await ledger.item(0, text="班子成员分工不够明确，抓党建合力不足")
    second = await ledger.item(0, text="城关镇班子成员分工不够明确，抓党建合力不足")
    # The second holds two opinions: it is the one to keep.
    await ledger.opinion(0, text="再次反映：分工不明", item_id=second["id"])
    third = await ledger.item(0, text="班子成员分工不够明确。抓党建合力不足！")
    await ledger.item(0, text="村级活动场所利用率不高")
    await ledger.item(1, text="班子成员分工不够明确，抓党建合力不足")  # another township's
    finished = await ledger.item(0, text="班子成员分工不够明确,抓党建合力不足")
    for to in ("in_progress", "done"):
        await ledger.move(finished["id"], to, "owner")
    r = await c.get(DUPLICATES, params={"cycle_id": ledger.cycle_id}, headers=clerk)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["threshold"] == "0.85"
    assert len(body["groups"]) == 1
    group = body["groups"][0]
    assert group["org"]["id"] == ledger.org(0)
    # Only items still being worked on: the finished one is no candidate.
    assert [i["id"] for i in group["items"]] == [first["id"], second["id"], third["id"]]
    assert group["target_id"] == second["id"]
    assert 0.85 <= float(group["similarity"]) <= 1

    # One click: the group merges into its target, and the suggestion is gone.
    others = [i["id"] for i in group["items"] if i["id"] != group["target_id"]]
    r = await c.post(f"{ITEMS}/{group['target_id']}/merge", json={"item_ids": others}, headers=clerk)
    assert r.status_code == 200, r.text
    assert r.json()["opinion_count"] == 4
    r = await c.get(DUPLICATES, params={"cycle_id": ledger.cycle_id}, headers=clerk)
    assert r.json()["groups"] == []


async def test_duplicate_suggestions_are_for_those_who_merge(ledger: Ledger, session: AsyncSession) -> None:
    params = {"cycle_id": ledger.cycle_id}
    for who in ("owner", "leader", "deputy"):
        assert (await ledger.client.get(DUPLICATES, params=params, headers=ledger.h[who])).status_code == 403
    xiaodian = await get_org(session, "410326104")
    clerk = auth_headers(await make_user(session, role=Role.clerk, org_id=xiaodian.id))
    r = await ledger.client.get(DUPLICATES, params=params, headers={**clerk, **CHINESE})
    assert r.status_code == 403
    assert r.json()["detail"] == "只有管理员和主办单位的工作人员可以管理本评议周期的整改台账"
    assert (
        await ledger.client.get(DUPLICATES, params={"cycle_id": 2_000_000}, headers=ledger.h["clerk"])
    ).status_code == 404
    r = await ledger.client.get(DUPLICATES, headers=ledger.h["clerk"])
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["query", "cycle_id"]
