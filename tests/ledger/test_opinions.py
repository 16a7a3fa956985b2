"""Opinions over the API: clerk entry, counts, joining an item, the harvest of ballot comments, anonymity."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.cycles.models import CycleStage
from shuping.ledger.models import LedgerItemOpinion, Opinion
from shuping.meetings.models import Ballot
from tests.ledger.support import ITEMS, Ledger, make_ledger, opinions_url
from tests.support.builders import auth_headers, get_user

UNFILED = "/api/v1/ledger/unfiled-opinions"


async def test_a_clerk_enters_an_opinion_and_it_lands_in_the_ledger(ledger: Ledger, session: AsyncSession) -> None:
    opinion = await ledger.opinion(text="  村级活动场所利用率不高 ", category="服务群众")
    assert opinion["text"] == "村级活动场所利用率不高"
    assert (opinion["source"], opinion["anonymous"], opinion["category"]) == ("clerk", False, "服务群众")
    item = (await ledger.client.get(f"{ITEMS}/{opinion['item_id']}", headers=ledger.h["clerk"])).json()
    assert item["status"] == "open" and item["org"]["id"] == ledger.org(0)
    assert item["title"] == "村级活动场所利用率不高" and item["category"] == "服务群众"
    assert [o["id"] for o in item["opinions"]] == [opinion["id"]]
    assert item["owner"]["full_name"]  # the township's secretary answers for it
    assert item["due_days"] == 60 and item["due_date"] > item["start_date"]
    assert [e["kind"] for e in item["events"]] == ["created"]
    actions = (
        await session.execute(select(AuditEntry.action).where(AuditEntry.entity_type.in_(["opinion", "ledger_item"])))
    ).scalars()
    assert {"opinion.create", "ledger.item_create"} <= set(actions)
    assert (await ledger.client.get(UNFILED, headers=ledger.h["clerk"])).json() == []


async def test_an_opinion_may_join_an_existing_item(ledger: Ledger) -> None:
    first = await ledger.opinion(text="发展年轻党员偏少", category="党员队伍")
    second = await ledger.opinion(text="党员队伍老化，后继乏人", category="党员队伍", item_id=first["item_id"])
    assert second["item_id"] == first["item_id"]
    item = (await ledger.client.get(f"{ITEMS}/{first['item_id']}", headers=ledger.h["clerk"])).json()
    assert item["opinion_count"] == 2
    assert [e["kind"] for e in item["events"]] == ["created", "opinion_added"]
    other_org = await ledger.client.post(
        opinions_url(ledger.cycle_id),
        json={"org_id": ledger.org(1), "category": "党员队伍", "text": "另一个乡镇", "item_id": first["item_id"]},
        headers=ledger.h["clerk"],
    )
    assert other_org.status_code == 400 and other_org.json()["errors"][0]["loc"] == ["body", "item_id"]


async def test_the_opinion_list_counts_by_category_and_organisation(ledger: Ledger) -> None:
    await ledger.opinion(0, category="班子建设", text="意见一")
    await ledger.opinion(0, category="作风建设", text="意见二")
    await ledger.opinion(1, category="作风建设", text="意见三")
    r = await ledger.client.get(opinions_url(ledger.cycle_id), headers=ledger.h["leader"])
    body = r.json()
    assert r.status_code == 200 and body["total"] == 3
    assert [(c["category"], c["count"]) for c in body["by_category"]] == [("班子建设", 1), ("作风建设", 2)]
    assert {c["org"]["id"]: c["count"] for c in body["by_org"]} == {ledger.org(0): 2, ledger.org(1): 1}
    assert all(o["item_id"] is not None for o in body["items"])
    filtered = await ledger.client.get(
        opinions_url(ledger.cycle_id),
        params={"category": "作风建设", "org_id": ledger.org(1)},
        headers=ledger.h["clerk"],
    )
    assert [o["text"] for o in filtered.json()["items"]] == ["意见三"]
    # A secretary sees the opinions about their own organisation only.
    own = (await ledger.client.get(opinions_url(ledger.cycle_id), headers=ledger.h["owner"])).json()
    assert own["total"] == 2 and {o["org"]["id"] for o in own["items"]} == {ledger.org(0)}


async def test_opinion_endpoints_refuse_what_they_should(ledger: Ledger, session: AsyncSession) -> None:
    url = opinions_url(ledger.cycle_id)
    body = {"org_id": ledger.org(0), "category": "班子建设", "text": "意见"}
    c = ledger.client
    assert (await c.get(url)).status_code == 401
    assert (await c.post(url, json=body)).status_code == 401
    assert (await c.post(f"{url}/from-ballots")).status_code == 401
    assert (await c.get(url, headers=ledger.h["deputy"])).status_code == 403
    for who in ("owner", "leader"):
        assert (await c.post(url, json=body, headers=ledger.h[who])).status_code == 403
        assert (await c.post(f"{url}/from-ballots", headers=ledger.h[who])).status_code == 403
    stranger = auth_headers(await get_user(session, "s410326102"))  # reports in no such cycle
    assert (await c.get(url, headers=stranger)).status_code == 403
    assert (await c.get(opinions_url(999_999), headers=ledger.h["clerk"])).status_code == 404
    assert (await c.post(opinions_url(999_999), json=body, headers=ledger.h["clerk"])).status_code == 404
    r = await c.post(url, json={**body, "text": None}, headers=ledger.h["clerk"])
    assert r.status_code == 422 and ["body", "text"] in [e["loc"] for e in r.json()["errors"]]
    r = await c.post(url, json={**body, "surprise": 1}, headers=ledger.h["clerk"])
    assert r.status_code == 422
    r = await c.post(url, json={**body, "org_id": "1"}, headers=ledger.h["clerk"])
    assert r.status_code == 422  # ids are taken strictly
    r = await c.post(url, json={**body, "category": "不存在"}, headers=ledger.h["clerk"])
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "category"]
    r = await c.post(url, json={**body, "org_id": ledger.org(0) + 100_000}, headers=ledger.h["clerk"])
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "org_id"]
    village = await get_user(session, "s410326101201")
    r = await c.post(url, json={**body, "org_id": village.org_id}, headers=ledger.h["clerk"])
    assert r.status_code == 400 and "does not report" in r.json()["detail"]
    r = await c.post(url, json={**body, "source": "meeting"}, headers=ledger.h["clerk"])
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "meeting_id"]
    r = await c.post(url, json={**body, "source": "ballot"}, headers=ledger.h["clerk"])
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "source"]
    r = await c.post(url, json={**body, "text": "有\x00空字符"}, headers=ledger.h["clerk"])
    assert r.status_code == 422


async def test_no_opinions_while_the_cycle_is_in_preparation(client: httpx.AsyncClient, session: AsyncSession) -> None:
    early = await make_ledger(client, session, stage=CycleStage.preparation)
    r = await client.post(
        opinions_url(early.cycle_id),
        json={"org_id": early.org(0), "category": "班子建设", "text": "意见"},
        headers=early.h["clerk"],
    )
    assert r.status_code == 409 and r.json()["type"].endswith("/invalid-state")


# --- ballot comments -------------------------------------------------------------------------


async def _hold_meeting(ledger: Ledger, ballots: list[tuple[str, dict[str, Any]]]) -> int:
    """Hold a meeting on the first report: each ballot (a token's group or "named") with its extras."""
    c, admin = ledger.client, ledger.h["admin"]
    report = ledger.ev.reports[0].id
    r = await c.post(
        f"/api/v1/cycles/{ledger.cycle_id}/meetings",
        headers=admin,
        json={
            "title": "述职评议大会",
            "direction": "upward",
            "report_ids": [report],
            "starts_at": "2013-07-10T01:00:00Z",
        },
    )
    assert r.status_code == 201, r.text
    mid = r.json()["id"]
    for step, body in (
        ("/start", None),
        ("/speaker", {"report_id": report}),
        (f"/reports/{report}/voting", {"open": True}),
    ):
        assert (await c.post(f"/api/v1/meetings/{mid}{step}", json=body, headers=admin)).status_code == 200
    for who, extra in ballots:
        if who == "named":
            headers = ledger.h["leader"]
        else:
            r = await c.post(f"/api/v1/meetings/{mid}/tokens", json={"group_key": who, "count": 1}, headers=admin)
            headers = {"X-Ballot-Token": r.json()["tokens"][0]}
        body = {"report_id": report, "items": {"duty": 25, "overall": "good"}, **extra}
        r = await c.post(
            f"/api/v1/meetings/{mid}/ballots", json=body, headers={**headers, "Idempotency-Key": uuid.uuid4().hex}
        )
        assert r.status_code == 201, r.text
    return int(mid)


async def _close(ledger: Ledger, mid: int) -> None:
    report = ledger.ev.reports[0].id
    r = await ledger.client.post(
        f"/api/v1/meetings/{mid}/reports/{report}/voting", json={"open": False}, headers=ledger.h["admin"]
    )
    assert r.status_code == 200, r.text


async def test_a_ballot_comment_becomes_an_opinion_in_the_ledger(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ledger = await make_ledger(client, session, stage=CycleStage.evaluation)
    mid = await _hold_meeting(
        ledger,
        [
            ("deputies", {"comment": "村集体经济薄弱，建议盘活闲置资产", "comment_category": "发展经济"}),
            ("members", {"comment": "干部作风有待转变"}),
            ("members", {}),
            ("named", {"comment": "党员教育形式单一", "comment_category": "党员队伍"}),
        ],
    )
    harvest = f"{opinions_url(ledger.cycle_id)}/from-ballots"
    # Voting still open: a named evaluator may still change their comment, so nothing is taken yet.
    r = await client.post(harvest, headers=ledger.h["clerk"])
    assert r.status_code == 200 and r.json() == {"created": 0, "existing": 0, "pending": 3, "opinion_ids": []}
    await _close(ledger, mid)
    r = await client.post(harvest, headers=ledger.h["clerk"])
    assert r.status_code == 200 and (r.json()["created"], r.json()["pending"]) == (3, 0)
    again = await client.post(harvest, headers=ledger.h["clerk"])
    assert again.json() == {"created": 0, "existing": 3, "pending": 0, "opinion_ids": []}

    listed = (await client.get(opinions_url(ledger.cycle_id), headers=ledger.h["clerk"])).json()
    by_text = {o["text"]: o for o in listed["items"]}
    assert set(by_text) == {"村集体经济薄弱，建议盘活闲置资产", "干部作风有待转变", "党员教育形式单一"}
    economy = by_text["村集体经济薄弱，建议盘活闲置资产"]
    assert (economy["source"], economy["category"], economy["anonymous"]) == ("ballot", "发展经济", True)
    assert economy["org"]["id"] == ledger.org(0) and economy["meeting_id"] == mid
    assert by_text["干部作风有待转变"]["category"] is None
    assert by_text["党员教育形式单一"]["anonymous"] is False
    assert [c["category"] for c in listed["by_category"]] == ["党员队伍", "发展经济", None]
    items = (await client.get(ITEMS, params={"cycle_id": ledger.cycle_id}, headers=ledger.h["clerk"])).json()
    assert items["total"] == 3 and {i["title"] for i in items["items"]} == set(by_text)
    assert (await client.get(UNFILED, params={"cycle_id": ledger.cycle_id}, headers=ledger.h["clerk"])).json() == []

    # Anonymous ballots stay anonymous: their opinions name no one.
    stored = (await session.execute(select(Opinion, Ballot.source).join(Ballot, Ballot.id == Opinion.ballot_id))).all()
    assert len(stored) == 3
    for opinion, source in stored:
        if source == "named":
            assert opinion.author_id == (await get_user(session, "leader01")).id
        else:
            assert opinion.author_id is None
    detail = (await client.get(f"{ITEMS}/{economy['item_id']}", headers=ledger.h["clerk"])).json()
    assert "author" not in str(detail["opinions"]) and detail["opinions"][0]["anonymous"] is True


async def test_every_opinion_is_in_exactly_one_item(ledger: Ledger, session: AsyncSession) -> None:
    first = await ledger.opinion(text="意见甲")
    await ledger.opinion(text="意见乙", item_id=first["item_id"])
    await ledger.opinion(1, text="意见丙")
    opinions = await session.scalar(
        select(func.count()).select_from(Opinion).where(Opinion.cycle_id == ledger.cycle_id)
    )
    links = await session.scalar(
        select(func.count(func.distinct(LedgerItemOpinion.opinion_id)))
        .join(Opinion, Opinion.id == LedgerItemOpinion.opinion_id)
        .where(Opinion.cycle_id == ledger.cycle_id)
    )
    assert opinions == links == 3
    # Should one ever slip out, the check names it.
    stray = Opinion(cycle_id=ledger.cycle_id, org_id=ledger.org(0), category="班子建设", text="游离", source="clerk")
    session.add(stray)
    await session.flush()
    r = await ledger.client.get(UNFILED, headers=ledger.h["admin"])
    assert [o["id"] for o in r.json()] == [stray.id]
    assert (await ledger.client.get(UNFILED)).status_code == 401
    assert (await ledger.client.get(UNFILED, headers=ledger.h["owner"])).status_code == 403
    assert (await ledger.client.get(UNFILED, params={"cycle_id": 0}, headers=ledger.h["admin"])).status_code == 422
