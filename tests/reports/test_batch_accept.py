"""Accepting several reports at once: all or none, each audited, scoped as the single acceptance."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from shuping.reports.models import Report, ReportStatus
from tests.cycles.test_cycles import h
from tests.support.builders import auth_headers, get_org, make_cycle, make_user
from tests.support.languages import CHINESE

BATCH = "/api/v1/reports/batch/accept"


async def submitted_cycle(session: AsyncSession, codes: list[str], **cycle: object) -> list[int]:
    """A cycle in preparation whose reports (of `codes`) are all submitted: their ids, in that order."""
    result = await make_cycle(session, reports=[{"org_code": c} for c in codes], **cycle)
    ids = [r.id for r in result.reports]
    await session.execute(
        update(Report).where(Report.id.in_(ids)).values(status=ReportStatus.submitted, body="# 述职报告")
    )
    await session.flush()
    return ids


async def statuses(session: AsyncSession, ids: list[int]) -> list[str]:
    rows = dict((await session.execute(select(Report.id, Report.status).where(Report.id.in_(ids)))).all())
    session.expire_all()
    return [rows[i].value for i in ids]


async def accept_audits(session: AsyncSession, ids: list[int]) -> int:
    return int(
        await session.scalar(
            select(func.count()).where(
                AuditEntry.action == "report.accept", AuditEntry.entity_id.in_([str(i) for i in ids])
            )
        )
        or 0
    )


async def test_the_host_accepts_several_reports_in_one_request(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ids = await submitted_cycle(session, ["410326101", "410326104", "410326105"])
    r = await client.post(BATCH, json={"report_ids": ids}, headers=await h(session, "clerk"))
    assert r.status_code == 200, r.text
    assert [(x["id"], x["status"]) for x in r.json()] == [(i, "accepted") for i in ids]
    assert [x["org"]["name"] for x in r.json()] == ["城关镇", "小店镇", "三屯镇"]
    assert await statuses(session, ids) == ["accepted"] * 3
    # Each acceptance audited as the single one is.
    assert await accept_audits(session, ids) == 3


async def test_one_report_that_may_not_be_accepted_stops_them_all(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ids = await submitted_cycle(session, ["410326101", "410326104", "410326105"])
    await session.execute(update(Report).where(Report.id == ids[1]).values(status=ReportStatus.draft))
    await session.execute(update(Report).where(Report.id == ids[2]).values(status=ReportStatus.accepted))
    await session.flush()
    r = await client.post(BATCH, json={"report_ids": ids}, headers=await h(session, "clerk"))
    assert r.status_code == 409, r.text
    problem = r.json()
    assert problem["code"] == "batch-refused"
    assert problem["refused_ids"] == [ids[1], ids[2]]
    assert [e["loc"] for e in problem["errors"]] == [["body", "report_ids", 1], ["body", "report_ids", 2]]
    assert problem["errors"][0]["msg"] == (
        f"Report {ids[1]}: Only a submitted report can be accepted; this one is draft"
    )
    assert "2 of 3 cannot be done, so nothing was changed" in problem["detail"]
    # The first, which could be accepted, was not.
    assert await statuses(session, ids) == ["submitted", "draft", "accepted"]
    assert await accept_audits(session, ids) == 0

    # The same refusal in Chinese.
    r = await client.post(BATCH, json={"report_ids": ids}, headers={**await h(session, "clerk"), **CHINESE})
    assert r.status_code == 409
    assert r.json()["title"] == "未作任何更改"
    assert r.json()["errors"][0]["msg"].startswith(f"述职报告 {ids[1]}：")
    assert "草稿" in r.json()["errors"][0]["msg"]


async def test_a_township_clerk_cannot_slip_in_another_hosts_report(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    xiaodian = await get_org(session, "410326104")
    clerk = auth_headers(await make_user(session, role=Role.clerk, org_id=xiaodian.id))
    # A village cycle 小店镇 hosts, and the county's cycle.
    own = await submitted_cycle(
        session, ["410326104201", "410326104202"], host_org_code="410326104", name="小店镇村党支部书记述职评议"
    )
    county = await submitted_cycle(session, ["410326105"], name="县级批量测试")
    r = await client.post(BATCH, json={"report_ids": own}, headers=clerk)
    assert r.status_code == 200, r.text
    await session.execute(update(Report).where(Report.id.in_(own)).values(status=ReportStatus.submitted))
    await session.flush()
    r = await client.post(BATCH, json={"report_ids": [*own, county[0]]}, headers=clerk)
    assert r.status_code == 403, r.text
    assert r.json()["refused_ids"] == [county[0]]
    assert await statuses(session, [*own, *county]) == ["submitted"] * 3
    # A secretary reviews nothing, even their own organisation's report.
    r = await client.post(BATCH, json={"report_ids": [own[0]]}, headers=await h(session, "s410326104201"))
    assert r.status_code == 403
    # A report that does not exist is named as such.
    r = await client.post(BATCH, json={"report_ids": [own[0], 2_000_000_000]}, headers=clerk)
    assert r.status_code == 404
    assert r.json()["errors"][0]["loc"] == ["body", "report_ids", 1]


async def test_batch_limits(client: httpx.AsyncClient, session: AsyncSession) -> None:
    clerk = await h(session, "clerk")
    for body, loc in (
        ({"report_ids": []}, ["body", "report_ids"]),
        ({"report_ids": [3, 4, 3]}, ["body", "report_ids"]),
        ({"report_ids": list(range(1, 502))}, ["body", "report_ids"]),
        ({"report_ids": ["1"]}, ["body", "report_ids", 0]),
        ({}, ["body", "report_ids"]),
    ):
        r = await client.post(BATCH, json=body, headers=clerk)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["errors"][0]["loc"] == loc
    r = await client.post(BATCH, json={"report_ids": [3, 4, 3]}, headers={**clerk, **CHINESE})
    assert r.status_code == 422
    assert r.json()["errors"][0]["msg"] == "3 重复出现；每个编号只列一次"
    assert (await client.post(BATCH, json={"report_ids": [1]})).status_code == 401
