"""Figures, reminders and the ledger_completion indicator agree with a count over the items."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.core.calendar import china_today
from shuping.cycles.models import CycleStage
from shuping.ledger import stats
from shuping.ledger.models import LedgerItem
from shuping.ledger.statemachine import ItemStatus
from shuping.orgs.models import Organization, OrgKind
from shuping.rubrics import formulas
from tests.ledger.support import ITEMS, Ledger, make_ledger
from tests.support.evaluation import make_evaluation_cycle

STATS = "/api/v1/ledger/stats"
REMINDERS = "/api/v1/ledger/reminders"


async def _spread(ledger: Ledger, session: AsyncSession) -> list[dict[str, object]]:
    """Seven items over two townships and three categories in every status, one overdue, one due soon."""
    made = [
        await ledger.item(0, category="班子建设", text="事项一"),
        await ledger.item(0, category="班子建设", text="事项二"),
        await ledger.item(0, category="党员队伍", text="事项三"),
        await ledger.item(1, category="党员队伍", text="事项四"),
        await ledger.item(1, category="作风建设", text="事项五"),
        await ledger.item(1, category="作风建设", text="事项六"),
        await ledger.item(1, category="作风建设", text="事项七"),
    ]
    ids = [int(m["id"]) for m in made]  # type: ignore[call-overload]
    await ledger.move(ids[1], "in_progress", "owner")
    for i in (2, 3):
        owner = "owner" if i == 2 else "other"
        await ledger.move(ids[i], "in_progress", owner)
        await ledger.move(ids[i], "done", owner)
    await ledger.move(ids[3], "verified", "clerk")
    await ledger.move(ids[4], "rejected", "clerk", "不属实")
    late = await session.get(LedgerItem, ids[5])
    assert late is not None
    late.start_date = china_today() - timedelta(days=120)
    late.due_date = china_today() - timedelta(days=2)
    soon = await session.get(LedgerItem, ids[6])
    assert soon is not None
    soon.due_date = china_today()
    await session.flush()
    return made


async def test_stats_equal_a_count_over_the_items(ledger: Ledger, session: AsyncSession) -> None:
    await _spread(ledger, session)
    r = await ledger.client.get(STATS, params={"cycle_id": ledger.cycle_id}, headers=ledger.h["clerk"])
    assert r.status_code == 200, r.text
    body = r.json()
    items = (
        await ledger.client.get(ITEMS, params={"cycle_id": ledger.cycle_id, "limit": 500}, headers=ledger.h["clerk"])
    ).json()["items"]
    assert body["total"]["total"] == len(items) == 7
    statuses = Counter(i["status"] for i in items)
    for status in ItemStatus:
        assert body["total"][status.value] == statuses[status.value]
    assert body["total"]["overdue"] == sum(i["overdue"] for i in items) == 1
    assert body["total"]["due_soon"] == sum(i["due_soon"] for i in items) >= 1
    # verified / (total − rejected) = 1 / 6
    assert body["total"]["completion_rate"] == "0.166667"
    for row in body["by_org"]:
        mine = [i for i in items if i["org"]["id"] == row["org"]["id"]]
        assert row["total"] == len(mine)
        assert row["verified"] == sum(i["status"] == "verified" for i in mine)
        assert row["overdue"] == sum(i["overdue"] for i in mine)
    assert len(body["by_org"]) == 14  # every township and the working committee, even with no items
    assert [c["category"] for c in body["by_category"]] == ["班子建设", "党员队伍", "服务群众", "发展经济", "作风建设"]
    by_cat = {c["category"]: c for c in body["by_category"]}
    assert (by_cat["作风建设"]["total"], by_cat["作风建设"]["rejected"], by_cat["服务群众"]["total"]) == (3, 1, 0)
    assert by_cat["党员队伍"]["completion_rate"] == "0.5" and by_cat["服务群众"]["completion_rate"] is None

    own = (await ledger.client.get(STATS, params={"cycle_id": ledger.cycle_id}, headers=ledger.h["owner"])).json()
    assert own["total"]["total"] == 3 and [r["org"]["id"] for r in own["by_org"]] == [ledger.org(0)]
    assert (await ledger.client.get(STATS)).status_code == 401
    assert (await ledger.client.get(STATS, headers=ledger.h["deputy"])).status_code == 403
    assert (await ledger.client.get(STATS, params={"cycle_id": "x"}, headers=ledger.h["clerk"])).status_code == 422


async def test_a_cycle_lists_its_own_hosts_townships_not_another_districts(
    ledger: Ledger, session: AsyncSession
) -> None:
    """Found when the Luolong demo joined the county's: a cycle's figures listed the district's towns with none."""
    district = Organization(code="T-410311", name="洛龙区委", kind=OrgKind.county)
    session.add(district)
    await session.flush()
    session.add(Organization(code="T-410311101", name="安乐镇", kind=OrgKind.township, parent_id=district.id))
    await session.flush()
    body = (await ledger.client.get(STATS, params={"cycle_id": ledger.cycle_id}, headers=ledger.h["clerk"])).json()
    names = [row["org"]["name"] for row in body["by_org"]]
    assert len(names) == 14 and "安乐镇" not in names
    # Without a cycle, every township the reader reaches, the district's included for an administrator.
    everything = (await ledger.client.get(STATS, headers=ledger.h["admin"])).json()
    assert "安乐镇" in [row["org"]["name"] for row in everything["by_org"]]


async def test_reminders_list_overdue_and_due_soon(ledger: Ledger, session: AsyncSession) -> None:
    made = await _spread(ledger, session)
    r = await ledger.client.get(REMINDERS, params={"cycle_id": ledger.cycle_id}, headers=ledger.h["clerk"])
    assert r.status_code == 200
    body = r.json()
    assert [i["id"] for i in body["overdue"]] == [made[5]["id"]]
    assert made[6]["id"] in [i["id"] for i in body["due_soon"]]
    assert all(i["status"] in ("open", "in_progress") for i in body["overdue"] + body["due_soon"])
    assert body["due_soon_days"] == 5
    own = (await ledger.client.get(REMINDERS, params={"cycle_id": ledger.cycle_id}, headers=ledger.h["owner"])).json()
    assert own["overdue"] == []
    assert (await ledger.client.get(REMINDERS)).status_code == 401
    assert (await ledger.client.get(REMINDERS, headers=ledger.h["deputy"])).status_code == 403


async def test_ledger_completion_counts_in_the_next_cycle(client: httpx.AsyncClient, session: AsyncSession) -> None:
    formula = formulas.get("ledger_completion")
    assert formula is not None and formula.available and formula.compute is stats.completion_points
    first = await make_ledger(client, session)
    ids = [int((await first.item(0, text=f"事项{n}"))["id"]) for n in range(4)]
    await first.item(1, text="别处")
    for i in ids[:2]:
        await first.move(i, "in_progress", "owner")
        await first.move(i, "done", "owner")
        await first.move(i, "verified", "clerk")
    await first.move(ids[2], "rejected", "clerk", "重复")
    nxt = await make_evaluation_cycle(
        session, stage=CycleStage.preparation, period_start=date(2013, 7, 1), period_end=date(2013, 12, 31)
    )
    report = nxt.reports[0]
    item = type("Item", (), {"max_points": Decimal("5")})()
    # 2 verified of 3 to do (one rejected) × 5 points.
    points = (await stats.completion_points(session, [report], item))[report.id]  # type: ignore[arg-type]
    assert points is not None and points.quantize(Decimal("0.0001")) == Decimal("3.3333")
    assert (await stats.completion_points(session, [nxt.reports[2]], item))[nxt.reports[2].id] is None  # type: ignore[arg-type]  # nothing to do there
    assert (await stats.completion_points(session, [first.ev.reports[0]], item))[first.ev.reports[0].id] is None  # type: ignore[arg-type]  # no earlier cycle
    assert await stats.previous_completion_rate(session, cycle_id=999_999, org_id=report.org_id) is None
    rows = (await session.execute(select(LedgerItem.status).where(LedgerItem.cycle_id == first.cycle_id))).scalars()
    assert Counter(rows)[ItemStatus.verified] == 2
