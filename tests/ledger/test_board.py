"""The public board shows nothing unpublished: published cycles only, and only the items a clerk marked public."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from shuping.cycles.models import CycleStage
from tests.ledger.support import ITEMS, Ledger, make_ledger, opinions_url, publish
from tests.ledger.test_opinions import _close, _hold_meeting
from tests.support.builders import auth_headers, get_org, make_user

BOARD = "/api/v1/public/ledger-board"
COMMENT = "张书记在村里喝酒误事，群众很有意见"


async def test_the_board_of_an_unpublished_cycle_is_empty(ledger: Ledger, session: AsyncSession) -> None:
    a = await ledger.item(0, category="班子建设", text="班子成员分工不够明确")
    await ledger.item(1, category="作风建设", text="作风漂浮")
    assert (await ledger.show(a["id"], "明确班子成员分工")).status_code == 200

    r = await ledger.client.get(BOARD)
    assert r.status_code == 200
    body = r.json()
    assert (body["cycle"], body["cycles"], body["orgs"], body["total"]["total"]) == (None, [], [], 0)
    # Asked for by id, an unpublished cycle is as unknown as one that does not exist.
    r = await ledger.client.get(BOARD, params={"cycle_id": ledger.cycle_id})
    assert r.status_code == 404 and r.json()["detail"] == f"Cycle {ledger.cycle_id} has no public ledger"
    assert "明确班子成员分工" not in r.text and "班子成员分工不够明确" not in r.text

    await publish(session, ledger.cycle_id)
    body = (await ledger.client.get(BOARD)).json()
    assert body["cycle"]["id"] == ledger.cycle_id and [c["id"] for c in body["cycles"]] == [ledger.cycle_id]
    # Counts cover every item of the published cycle; only the marked one is listed, under its public title.
    assert body["total"]["total"] == 2
    assert [(o["org"]["id"], o["figures"]["total"]) for o in body["orgs"]] == [(ledger.org(0), 1), (ledger.org(1), 1)]
    assert [[i["title"] for i in o["items"]] for o in body["orgs"]] == [["明确班子成员分工"], []]
    assert "班子成员分工不够明确" not in str(body) and "作风漂浮" not in str(body)


async def test_a_harvested_anonymous_comment_never_reaches_the_board(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ledger = await make_ledger(client, session, stage=CycleStage.evaluation)
    mid = await _hold_meeting(ledger, [("deputies", {"comment": COMMENT, "comment_category": "作风建设"})])
    await _close(ledger, mid)
    r = await client.post(f"{opinions_url(ledger.cycle_id)}/from-ballots", headers=ledger.h["clerk"])
    assert r.status_code == 200 and r.json()["created"] == 1
    items = (await client.get(ITEMS, params={"cycle_id": ledger.cycle_id}, headers=ledger.h["clerk"])).json()
    (item,) = items["items"]
    assert item["title"] == COMMENT and (item["public"], item["public_title"]) == (False, None)

    # Published, the cycle is on the board, counted, but the comment is not there.
    await publish(session, ledger.cycle_id)
    r = await client.get(BOARD, params={"cycle_id": ledger.cycle_id})
    assert r.status_code == 200 and r.json()["total"]["total"] == 1
    assert [o["items"] for o in r.json()["orgs"]] == [[]]
    assert COMMENT not in r.text and "张书记" not in r.text

    # A clerk may not put the comment itself up, nor the title taken from it, nor a title quoting it.
    for quoted in (COMMENT, item["title"], f"关于“{COMMENT}”的整改"):
        refused = await ledger.show(item["id"], quoted)
        assert refused.status_code == 400, quoted
        assert refused.json()["errors"][0]["loc"] == ["body", "public_title"]
    r = await client.get(BOARD, params={"cycle_id": ledger.cycle_id})
    assert COMMENT not in r.text and [o["items"] for o in r.json()["orgs"]] == [[]]

    # In the clerk's own words it is shown, and the comment still is not.
    shown = await ledger.show(item["id"], "加强干部作风建设")
    assert shown.status_code == 200 and (shown.json()["public"], shown.json()["public_title"]) == (
        True,
        "加强干部作风建设",
    )
    r = await client.get(BOARD, params={"cycle_id": ledger.cycle_id})
    assert [[i["title"] for i in o["items"]] for o in r.json()["orgs"]] == [["加强干部作风建设"]]
    assert COMMENT not in r.text and "张书记" not in r.text


async def test_marking_public_takes_a_title_and_the_host_clerk(ledger: Ledger, session: AsyncSession) -> None:
    item = await ledger.item(0, category="服务群众", text="便民服务中心窗口人员不足")
    url = f"{ITEMS}/{item['id']}/publicity"
    c = ledger.client
    assert (item["public"], item["public_title"], item["can_publish"]) == (False, None, True)
    owner_view = (await c.get(f"{ITEMS}/{item['id']}", headers=ledger.h["owner"])).json()
    assert (owner_view["public"], owner_view["can_publish"]) == (False, False)

    # The title is required when shown, and not blank.
    for body in ({"public": True}, {"public": True, "public_title": None}, {"public": True, "public_title": "   "}):
        r = await c.put(url, json=body, headers=ledger.h["clerk"])
        assert r.status_code == 400, body
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["errors"][0]["loc"] == ["body", "public_title"]
    for body in (
        {"public": True, "public_title": "长" * 201},
        {"public": "yes", "public_title": "优化窗口服务"},
        {"public_title": "优化窗口服务"},
        {"public": True, "public_title": "优化窗口服务", "title": "x"},
    ):
        assert (await c.put(url, json=body, headers=ledger.h["clerk"])).status_code == 422, body

    # Who: the host's clerks and admins; not a secretary (even the owner), a leader, another organisation's clerk.
    body = {"public": True, "public_title": "优化便民服务窗口"}
    assert (await c.put(url, json=body)).status_code == 401
    for who in ("owner", "other", "leader", "deputy"):
        assert (await c.put(url, json=body, headers=ledger.h[who])).status_code == 403, who
    township_clerk = await make_user(session, role=Role.clerk, org_id=(await get_org(session, "410326104")).id)
    r = await c.put(url, json=body, headers=auth_headers(township_clerk))
    # 城关镇's item is outside a 小店镇 clerk's reach: they do not see it at all (DESIGN §8).
    assert r.status_code == 404 and r.json()["type"].endswith("/not-found")
    assert (await c.put(f"{ITEMS}/999999/publicity", json=body, headers=ledger.h["clerk"])).status_code == 404
    assert (await c.put(f"{ITEMS}/0/publicity", json=body, headers=ledger.h["clerk"])).status_code == 422

    r = await c.put(url, json={**body, "public_title": "  优化便民服务窗口 "}, headers=ledger.h["clerk"])
    assert r.status_code == 200 and (r.json()["public"], r.json()["public_title"]) == (True, "优化便民服务窗口")
    assert r.json()["title"] == "便民服务中心窗口人员不足"  # the item's own title is untouched
    assert (await c.put(url, json=body, headers=ledger.h["admin"])).status_code == 200  # unchanged: no new entry
    r = await c.put(url, json={"public": True, "public_title": "增设便民服务综合窗口"}, headers=ledger.h["admin"])
    assert r.status_code == 200 and r.json()["public_title"] == "增设便民服务综合窗口"
    await publish(session, ledger.cycle_id)
    board = (await c.get(BOARD, params={"cycle_id": ledger.cycle_id})).json()
    assert [i["title"] for o in board["orgs"] for i in o["items"]] == ["增设便民服务综合窗口"]

    # Withdrawn, it leaves the board; the counts stay.
    r = await c.put(url, json={"public": False}, headers=ledger.h["clerk"])
    assert r.status_code == 200 and (r.json()["public"], r.json()["public_title"]) == (False, None)
    board = (await c.get(BOARD, params={"cycle_id": ledger.cycle_id})).json()
    assert [o["items"] for o in board["orgs"]] == [[]] and board["total"]["total"] == 1

    # Each change is in the item's history and the audit log, saying what changed.
    detail = (await c.get(f"{ITEMS}/{item['id']}", headers=ledger.h["clerk"])).json()
    assert [e["note"] for e in detail["events"] if e["kind"] == "updated"] == [
        "public, public_title",
        "public_title",
        "public, public_title",
    ]
    entries = (
        await session.execute(
            select(AuditEntry.data)
            .where(AuditEntry.action == "ledger.item_publicity", AuditEntry.entity_id == str(item["id"]))
            .order_by(AuditEntry.id)
        )
    ).scalars()
    assert [e["changes"] for e in entries] == [
        {"public": {"from": False, "to": True}, "public_title": {"from": None, "to": "优化便民服务窗口"}},
        {"public_title": {"from": "优化便民服务窗口", "to": "增设便民服务综合窗口"}},
        {"public": {"from": True, "to": False}, "public_title": {"from": "增设便民服务综合窗口", "to": None}},
    ]
