"""A programme's office and the units' monthly reports (月报) over the API."""

from __future__ import annotations

from datetime import date

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from shuping.targets.models import BulletinStatus, TargetBulletin, TargetMonthlyReport
from tests.support.builders import auth_headers, get_org, get_user, make_user
from tests.support.languages import CHINESE
from tests.targets.test_api import API, CHENGGUAN, XIAODIAN, make_world

OFFICE = "410326-D29"  # stands in for the district's commerce bureau (区商务局)


async def test_the_office_publishes_when_set(client: httpx.AsyncClient, session: AsyncSession) -> None:
    w = await make_world(client, session)
    base = f"{API}/programmes/{w.programme}"
    office = (await get_org(session, OFFICE)).id
    r = await client.get(base, headers=w.h["clerk"])
    assert (r.json()["office"], r.json()["may_manage"], r.json()["may_publish"]) == (None, True, True)
    r = await client.patch(base, json={"office_org_id": office}, headers=w.h["clerk"])
    assert r.status_code == 200, r.text
    assert r.json()["office"]["code"] == OFFICE
    # The host's clerk still manages it, but the office's clerk (and an administrator) publish.
    assert (r.json()["may_manage"], r.json()["may_publish"]) == (True, False)
    office_clerk = auth_headers(await make_user(session, role=Role.clerk, org_id=office))
    r = await client.get(base, headers=office_clerk)
    assert r.json()["may_publish"] is True
    assert (await client.get(base, headers=w.h["admin"])).json()["may_publish"] is True
    assert (await client.get(base, headers=w.h[f"s{XIAODIAN}"])).json()["may_publish"] is False
    # The office is an organisation below the host.
    for headers, msg in (
        (w.h["clerk"], "No organisation {} below the programme's host"),
        ({**w.h["clerk"], **CHINESE}, "方案主办单位下没有编号为 {} 的组织"),
    ):
        r = await client.patch(base, json={"office_org_id": 2_000_000}, headers=headers)
        assert r.status_code == 400, r.text
        assert r.json()["errors"] == [{"loc": ["body", "office_org_id"], "msg": msg.format(2_000_000)}]
    r = await client.patch(base, json={"office_org_id": None}, headers=w.h["clerk"])
    assert r.status_code == 200 and r.json()["office"] is None
    entries = (
        await session.execute(
            select(AuditEntry.data).where(
                AuditEntry.action == "target_programme.update", AuditEntry.entity_id == str(w.programme)
            )
        )
    ).scalars()
    offices = [(d["office_org_id_before"], d["office_org_id"]) for d in entries if "office_org_id" in d]
    assert offices == [(None, office), (office, None)]
    # A programme is made with its office, one below its host (not the host itself, nor another county's).
    body = {
        "name": "重点项目",
        "host_org_id": w.orgs["410326"],
        "period_start": "2013-01-01",
        "period_end": "2013-12-31",
    }
    r = await client.post(f"{API}/programmes", json={**body, "office_org_id": office}, headers=w.h["admin"])
    assert r.status_code == 201 and r.json()["office"]["code"] == OFFICE
    r = await client.post(f"{API}/programmes", json={**body, "office_org_id": w.orgs["410326"]}, headers=w.h["admin"])
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "office_org_id"]
    r = await client.post(
        f"{API}/programmes",
        json={**body, "host_org_id": w.orgs[XIAODIAN], "office_org_id": office},
        headers=w.h["admin"],
    )
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "office_org_id"]


async def test_a_unit_reports_its_month(client: httpx.AsyncClient, session: AsyncSession) -> None:
    w = await make_world(client, session)
    sec, other = f"s{XIAODIAN}", f"s{CHENGGUAN}"
    path = f"{API}/programmes/{w.programme}/monthly-reports"
    p = await w.project(XIAODIAN, sec, contract_amount="600")
    await w.move(p["id"], "signed", "2013-09-10", sec)
    await w.move(p["id"], "landed", "2013-10-15", sec)
    # 小店镇's project is moved back to 签约 before October ends: October's figures see it so.
    await w.move(p["id"], "signed", "2013-10-25", sec, reason="企业资金未到位")

    r = await client.post(
        path, json={"org_id": w.orgs[XIAODIAN], "month": "2013-10", "note": "一个项目暂缓落地"}, headers=w.h[sec]
    )
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["month"], report["as_of"], report["note"], report["locked"]) == (
        "2013-10",
        "2013-10-31",
        "一个项目暂缓落地",
        False,
    )
    figures = {f["measure_key"]: f for f in report["figures"]}
    assert figures["landed"] == {
        "measure_key": "landed",
        "name": "落地项目数",
        "unit": "个",
        "target": "1",
        "actual": "0",
        "completion": "0",
    }
    assert (figures["signed"]["actual"], figures["signed"]["completion"]) == ("1", "0.5")
    assert figures["contract"]["completion"] == "0.6"
    # (30 × 0.5 + 30 × 0.6 + 40 × 0) / 100
    assert report["weighted_completion"] == "0.33"
    assert report["submitted_by_name"]

    # September, before the landing, and the same figures again whatever happens later.
    r = await client.post(path, json={"org_id": w.orgs[XIAODIAN], "month": "2013-09"}, headers=w.h[sec])
    assert r.status_code == 200 and r.json()["weighted_completion"] == "0.33"
    # The host's clerk reports for 城关镇, which has no project: nothing done, its contract measure untargeted.
    r = await client.post(path, json={"org_id": w.orgs[CHENGGUAN], "month": "2013-09"}, headers=w.h["clerk"])
    assert r.status_code == 200
    chengguan = {f["measure_key"]: f for f in r.json()["figures"]}
    assert chengguan["contract"]["target"] is None and chengguan["contract"]["completion"] is None
    assert r.json()["weighted_completion"] == "0"

    # The project lands again; resubmitting October replaces its figures and its note.
    await w.move(p["id"], "landed", "2013-10-28", sec)
    r = await client.post(
        path, json={"org_id": w.orgs[XIAODIAN], "month": "2013-10", "note": "已落地"}, headers=w.h[sec]
    )
    assert r.status_code == 200
    assert (r.json()["id"], r.json()["note"], r.json()["weighted_completion"]) == (report["id"], "已落地", "0.73")
    entry = (
        await session.execute(
            select(AuditEntry).where(
                AuditEntry.action == "target_monthly_report.resubmit", AuditEntry.entity_id == str(report["id"])
            )
        )
    ).scalar_one()
    assert entry.data["before"]["note"] == "一个项目暂缓落地" and entry.data["after"]["note"] == "已落地"
    assert (entry.data["before"]["weighted_completion"], entry.data["after"]["weighted_completion"]) == ("0.33", "0.73")

    # Lists: by month, by unit; who has not reported (未报送).
    r = await client.get(path, headers=w.h["clerk"])
    assert [(x["month"], x["org"]["code"]) for x in r.json()] == [
        ("2013-09", CHENGGUAN),
        ("2013-09", XIAODIAN),
        ("2013-10", XIAODIAN),
    ]
    r = await client.get(path, params={"month": "2013-10"}, headers=w.h["clerk"])
    assert [x["org"]["code"] for x in r.json()] == [XIAODIAN]
    r = await client.get(path, params={"org_id": w.orgs[CHENGGUAN]}, headers=w.h["clerk"])
    assert [x["month"] for x in r.json()] == ["2013-09"]
    r = await client.get(f"{path}/missing", params={"month": "2013-10"}, headers=w.h["clerk"])
    assert [o["code"] for o in r.json()] == [CHENGGUAN]
    r = await client.get(f"{path}/missing", params={"month": "2013-09"}, headers=w.h["clerk"])
    assert r.json() == []
    r = await client.get(f"{API}/monthly-reports/{report['id']}", headers=w.h[sec])
    assert r.status_code == 200 and r.json()["note"] == "已落地"

    # A secretary reads and reports for their own unit only.
    r = await client.get(path, headers=w.h[other])
    assert [x["org"]["code"] for x in r.json()] == [CHENGGUAN]
    r = await client.get(f"{path}/missing", params={"month": "2013-10"}, headers=w.h[other])
    assert [o["code"] for o in r.json()] == [CHENGGUAN]
    assert (await client.get(f"{API}/monthly-reports/{report['id']}", headers=w.h[other])).status_code == 404
    r = await client.post(
        path, json={"org_id": w.orgs[XIAODIAN], "month": "2013-10", "note": "代报"}, headers=w.h[other]
    )
    assert r.status_code == 403
    # The host's leaders (supervisors) read every unit's; deputies none.
    leader = auth_headers(await get_user(session, "leader01"))
    assert len((await client.get(path, headers=leader)).json()) == 3
    r = await client.post(path, json={"org_id": w.orgs[XIAODIAN], "month": "2013-10"}, headers=leader)
    assert r.status_code == 403
    assert (await client.get(path, headers=auth_headers(await get_user(session, "deputy01")))).status_code == 403

    # Once October's bulletin is published, its reports stay as they are.
    session.add(
        TargetBulletin(
            programme_id=w.programme,
            month=date(2013, 10, 1),
            number=1,
            as_of=date(2013, 10, 31),
            status=BulletinStatus.published,
        )
    )
    await session.flush()
    for headers, detail in (
        (w.h[sec], "The bulletin of 2013-10 is published: its reports can no longer be changed"),
        ({**w.h[sec], **CHINESE}, "2013-10 的通报已发布，该月的月报不能再修改"),
    ):
        r = await client.post(path, json={"org_id": w.orgs[XIAODIAN], "month": "2013-10"}, headers=headers)
        assert r.status_code == 409, r.text
        assert (r.json()["code"], r.json()["detail"]) == ("month-published", detail)
    r = await client.get(f"{API}/monthly-reports/{report['id']}", headers=w.h[sec])
    assert (r.json()["locked"], r.json()["note"]) == (True, "已落地")
    # November is still open.
    r = await client.post(path, json={"org_id": w.orgs[XIAODIAN], "month": "2013-11"}, headers=w.h[sec])
    assert r.status_code == 200 and r.json()["locked"] is False


async def test_monthly_reports_refused(client: httpx.AsyncClient, session: AsyncSession) -> None:
    w = await make_world(client, session)
    sec = f"s{XIAODIAN}"
    path = f"{API}/programmes/{w.programme}/monthly-reports"
    for headers, msg in (
        (w.h[sec], "2013-08 is outside the programme's period, 2013-09-01 to 2013-12-31"),
        ({**w.h[sec], **CHINESE}, "2013-08 不在方案期限（2013-09-01 至 2013-12-31）内"),
    ):
        r = await client.post(path, json={"org_id": w.orgs[XIAODIAN], "month": "2013-08"}, headers=headers)
        assert r.status_code == 422, r.text
        assert r.json()["code"] == "month-outside-period"
        assert r.json()["errors"] == [{"loc": ["body", "month"], "msg": msg}]
    # A month not yet begun is not reported (a programme running into the future).
    r = await client.patch(f"{API}/programmes/{w.programme}", json={"period_end": "2099-12-31"}, headers=w.h["clerk"])
    assert r.status_code == 200, r.text
    for headers, msg in (
        (w.h[sec], "2099-01 has not begun: a month is reported once it has"),
        ({**w.h[sec], **CHINESE}, "2099-01 尚未开始：月份开始后才能报送"),
    ):
        r = await client.post(path, json={"org_id": w.orgs[XIAODIAN], "month": "2099-01"}, headers=headers)
        assert r.status_code == 422 and r.json()["code"] == "month-not-begun"
        assert r.json()["errors"] == [{"loc": ["body", "month"], "msg": msg}]
    await client.patch(f"{API}/programmes/{w.programme}", json={"period_end": "2013-12-31"}, headers=w.h["clerk"])
    r = await client.get(f"{path}/missing", params={"month": "2014-01"}, headers=w.h[sec])
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["query", "month"]
    r = await client.get(path, params={"month": "2014-01"}, headers=w.h[sec])
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["query", "month"]
    r = await client.post(path, json={"org_id": w.orgs[XIAODIAN], "month": "2013-13"}, headers=w.h[sec])
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "month"]
    r = await client.post(path, json={"org_id": 2_000_000, "month": "2013-10"}, headers=w.h["clerk"])
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "org_id"]
    r = await client.post(
        path, json={"org_id": w.orgs[XIAODIAN], "month": "2013-10", "note": "x" * 4001}, headers=w.h[sec]
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "note"]
    assert (await client.get(f"{API}/monthly-reports/2000000", headers=w.h["admin"])).status_code == 404
    assert (await client.get(f"{API}/programmes/2000000/monthly-reports", headers=w.h["admin"])).status_code == 404
    # A closed programme, and a draft, take no reports.
    r = await client.patch(f"{API}/programmes/{w.programme}", json={"status": "closed"}, headers=w.h["clerk"])
    r = await client.post(path, json={"org_id": w.orgs[XIAODIAN], "month": "2013-10"}, headers=w.h[sec])
    assert r.status_code == 409 and r.json()["code"] == "programme-closed"
    r = await client.patch(f"{API}/programmes/{w.programme}", json={"status": "draft"}, headers=w.h["clerk"])
    r = await client.post(path, json={"org_id": w.orgs[XIAODIAN], "month": "2013-10"}, headers={**w.h[sec], **CHINESE})
    assert r.status_code == 409 and "草稿" in r.json()["detail"]
    assert (await session.execute(select(TargetMonthlyReport))).scalars().all() == []
