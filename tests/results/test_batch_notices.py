"""Notices to several flagged units in one request: all or none, each numbered and audited as a single notice."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from shuping.results.models import RectificationNotice
from tests.ledger.test_duplicates import _published_with_comments
from tests.support.builders import auth_headers, get_org, make_user
from tests.support.languages import CHINESE

DEADLINE = (date.today() + timedelta(days=60)).isoformat()


def url(cycle_id: int) -> str:
    return f"/api/v1/cycles/{cycle_id}/notices/batch"


async def notices_of(session: AsyncSession, cycle_id: int) -> int:
    return int(await session.scalar(select(func.count()).where(RectificationNotice.cycle_id == cycle_id)) or 0)


async def test_notices_to_the_flagged_units_at_once_or_not_at_all(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ledger, flagged = await _published_with_comments(client, session)
    admin, cid = ledger.h["admin"], ledger.cycle_id
    calm = next(r.id for r in ledger.ev.reports if r.id != flagged["report_id"])
    body = {"report_ids": [flagged["report_id"], calm], "measures": "限期整改", "deadline_date": DEADLINE}
    r = await client.post(url(cid), json=body, headers=admin)
    assert r.status_code == 409, r.text
    assert r.json()["refused_ids"] == [calm]
    assert r.json()["errors"][0]["loc"] == ["body", "report_ids", 1]
    assert "is not flagged for a rectification notice" in r.json()["errors"][0]["msg"]
    # The flagged unit's notice, which could be issued, was not.
    assert await notices_of(session, cid) == 0
    r = await client.post(url(cid), json=body, headers={**admin, **CHINESE})
    assert r.status_code == 409 and r.json()["title"] == "未作任何更改"
    assert r.json()["errors"][0]["msg"].startswith(f"述职报告 {calm}：")

    r = await client.post(url(cid), json={**body, "report_ids": [flagged["report_id"]]}, headers=admin)
    assert r.status_code == 201, r.text
    [notice] = r.json()
    assert notice["report_id"] == flagged["report_id"] and notice["status"] == "issued"
    assert notice["number"].endswith("1号")
    # Findings drawn from the results, as a single notice's are.
    assert "评议中提出的主要意见建议" in notice["findings"]
    audited = await session.scalar(
        select(func.count()).where(AuditEntry.action == "notice.issue", AuditEntry.entity_id == str(notice["id"]))
    )
    assert audited == 1
    # Once noticed, a unit is refused by name.
    r = await client.post(url(cid), json={**body, "report_ids": [flagged["report_id"]]}, headers=admin)
    assert r.status_code == 409
    assert "already has a notice for this cycle" in r.json()["errors"][0]["msg"]
    assert await notices_of(session, cid) == 1


async def test_only_the_host_issues_notices_and_malformed_batches_are_422(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ledger, flagged = await _published_with_comments(client, session)
    cid = ledger.cycle_id
    body = {"report_ids": [flagged["report_id"]], "measures": "限期整改", "deadline_date": DEADLINE}
    xiaodian = await get_org(session, "410326104")
    township_clerk = auth_headers(await make_user(session, role=Role.clerk, org_id=xiaodian.id))
    for headers in (township_clerk, ledger.h["owner"], ledger.h["leader"]):
        assert (await client.post(url(cid), json=body, headers=headers)).status_code == 403
    assert (await client.post(url(cid), json=body)).status_code == 401
    for bad, loc in (
        ({**body, "report_ids": [5, 5]}, ["body", "report_ids"]),
        ({**body, "report_ids": list(range(1, 502))}, ["body", "report_ids"]),
        ({**body, "measures": ""}, ["body", "measures"]),
        ({**body, "deadline_date": "明天"}, ["body", "deadline_date"]),
    ):
        r = await client.post(url(cid), json=bad, headers=ledger.h["admin"])
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["loc"] == loc
    assert await notices_of(session, cid) == 0
