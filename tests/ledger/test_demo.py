"""The demo: the demo cycle's 400+ opinions in 5 categories, all in the ledger, in a spread of statuses."""

from __future__ import annotations

import time

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.cycles.models import Cycle
from shuping.demo import ledger as demo
from shuping.ledger.models import LedgerItem
from shuping.ledger.statemachine import ItemStatus
from shuping.orgs.models import Organization, OrgKind
from shuping.reports.models import Report, ReportStatus
from shuping.results.models import ResultSet
from tests.ledger.support import ITEMS, opinions_url, publish
from tests.support.builders import auth_headers, get_user
from tests.support.evaluation import make_evaluation_cycle


async def _demo_cycle(session: AsyncSession) -> int:
    """The demo cycle with its ledger: the seeded one, or (before the setup demo exists) one made here."""
    existing = await session.scalar(select(Cycle.id).where(Cycle.name == demo.CYCLE_NAME).order_by(Cycle.id))
    if existing is None:
        ev = await make_evaluation_cycle(session, name=demo.CYCLE_NAME)
        reporting = {r.org_id for r in ev.reports}
        townships = (
            await session.execute(
                select(Organization).where(Organization.kind.in_([OrgKind.township, OrgKind.working_committee]))
            )
        ).scalars()
        for n, org in enumerate(townships):
            if org.id not in reporting:
                session.add(
                    Report(
                        cycle_id=ev.cycle.id,
                        org_id=org.id,
                        position=10 + n,
                        title=org.name,
                        status=ReportStatus.accepted,
                    )
                )
        await session.flush()
        started = time.perf_counter()
        assert await demo.load_ledger(session) == demo.OPINIONS
        assert time.perf_counter() - started < 20
        existing = ev.cycle.id
    assert await demo.load_ledger(session) == 0  # idempotent
    return int(existing)


async def test_demo_has_400_plus_opinions_in_5_categories_all_in_the_ledger(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    cycle_id = await _demo_cycle(session)
    admin = auth_headers(await get_user(session, "admin"))
    opinions = (await client.get(opinions_url(cycle_id), headers=admin)).json()
    assert opinions["total"] >= 400
    assert [c["category"] for c in opinions["by_category"]] == [
        "班子建设",
        "党员队伍",
        "服务群众",
        "发展经济",
        "作风建设",
    ]
    assert len(opinions["by_org"]) == 14
    assert (
        await client.get("/api/v1/ledger/unfiled-opinions", params={"cycle_id": cycle_id}, headers=admin)
    ).json() == []
    stats = (await client.get("/api/v1/ledger/stats", params={"cycle_id": cycle_id}, headers=admin)).json()
    total = stats["total"]
    assert total["total"] >= 400
    for status in ("open", "in_progress", "done", "verified", "rejected"):
        assert total[status] > 0, status
    assert total["overdue"] > 0
    assert sum(r["total"] for r in stats["by_org"]) == total["total"]
    assert len([c for c in stats["by_category"] if c["total"]]) == 5
    items = (await client.get(ITEMS, params={"cycle_id": cycle_id, "overdue": True}, headers=admin)).json()
    assert items["total"] == total["overdue"]
    detail = (await client.get(f"{ITEMS}/{items['items'][0]['id']}", headers=admin)).json()
    assert detail["events"][0]["kind"] == "created" and detail["opinions"]


async def test_the_demo_board_shows_a_few_items_per_township_in_words_of_the_org_department(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    cycle_id = await _demo_cycle(session)
    shown = list(
        (
            await session.execute(
                select(LedgerItem).where(LedgerItem.cycle_id == cycle_id, LedgerItem.public.is_(True))
            )
        ).scalars()
    )
    assert 14 <= len(shown) <= 28 and len({i.org_id for i in shown}) == 14
    assert all(i.public_title and i.public_title != i.title for i in shown)
    assert {i.status for i in shown} == {ItemStatus.verified, ItemStatus.in_progress}
    board = "/api/v1/public/ledger-board"
    if not await session.scalar(select(ResultSet.id).where(ResultSet.cycle_id == cycle_id)):
        assert (await client.get(board, params={"cycle_id": cycle_id})).status_code == 404
        await publish(session, cycle_id)
    body = (await client.get(board, params={"cycle_id": cycle_id})).json()
    listed = {i["title"] for o in body["orgs"] for i in o["items"]}
    assert listed == {i.public_title for i in shown}
    assert body["total"]["total"] >= 400 and not listed & {i.title for i in shown}
