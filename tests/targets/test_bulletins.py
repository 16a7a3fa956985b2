"""Monthly bulletins (月度通报) on a hand-built programme with known answers: numbering, ranks, lights
against the elapsed pace, month-on-month change against the previous published bulletin, a unit
without a target for a measure, a project moved back; publishing freezes (immutable), withdrawing is
audited; the .docx and the sheet read back; the public board shows published bulletins only; who
may do what.

The programme runs 2013-09-01 … 2013-12-31 (122 days), hosted by the county, its office 县商务局.
Measures: 签约项目数 (signed, weight 1) and 落地项目数 (landed, weight 1). Targets: 小店镇 2 signed,
1 landed; 城关镇 2 signed, 2 landed; 三屯镇 5 signed and no landing target.

Projects: 小店镇 X1 signed 09-15, landed 10-10; X2 signed 10-20. 城关镇 C1 signed 09-20, landed 09-25,
moved back to signed 10-15. 三屯镇 S1 and S2 signed 10-05.

September (as of 09-30, pace 30/122): 城关镇 (1/2 + 1/2)/2 = 0.5; 小店镇 (1/2 + 0)/2 = 0.25; 三屯镇 0.
October (as of 10-31, pace 61/122 = 0.5; red below 0.3): 小店镇 (2/2 + 1/1)/2 = 1 green; 三屯镇 2/5 = 0.4
yellow (landing not counted: no target); 城关镇 (1/2 + 0/2)/2 = 0.25 red (its landing was undone).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import httpx
import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from shuping.orgs.models import OrgKind
from shuping.orgs.service import document_settings
from shuping.targets import bulletins
from tests.support.builders import auth_headers, get_org, get_user, make_org, make_user

API = "/api/v1/targets"
XIAODIAN, CHENGGUAN, SANTUN = "410326104", "410326101", "410326105"


class Programme:
    def __init__(self, client: httpx.AsyncClient, h: dict[str, dict[str, str]], orgs: dict[str, int]) -> None:
        self.client, self.h, self.orgs = client, h, orgs
        self.id = 0

    async def call(self, method: str, path: str, who: str, code: int, body: Any = None) -> Any:
        r = await self.client.request(method, f"{API}{path}", json=body, headers=self.h[who])
        assert r.status_code == code, r.text
        return r.json() if r.content and "json" in r.headers["content-type"] else r

    async def project(self, org: str, moves: list[tuple[str, str, str]]) -> int:
        body = {"org_id": self.orgs[org], "company": "洛阳某有限公司", "negotiating_date": "2013-09-01"}
        project = await self.call("POST", f"/programmes/{self.id}/projects", "clerk", 201, body)
        for to, on, reason in moves:
            await self.call(
                "POST", f"/projects/{project['id']}/stage", "clerk", 200, {"to": to, "on_date": on, "reason": reason}
            )
        return int(project["id"])

    async def bulletin(self, month: str, who: str = "office", code: int = 201) -> Any:
        return await self.call("POST", f"/programmes/{self.id}/bulletins", who, code, {"month": month})


async def _programme(client: httpx.AsyncClient, session: AsyncSession) -> Programme:
    county = await get_org(session, "410326")
    office = await make_org(
        session,
        name="县商务局",
        kind=OrgKind.department,
        parent_id=county.id,
        issuing_organ="汝阳县商务局",
        doc_prefix="汝商务整改",
    )
    office_clerk = await make_user(session, role=Role.clerk, org_id=office.id)
    h = {
        "admin": auth_headers(await get_user(session, "admin")),
        "clerk": auth_headers(await get_user(session, "clerk")),
        "office": auth_headers(office_clerk),
        "xiaodian": auth_headers(await get_user(session, f"s{XIAODIAN}")),
        "chengguan": auth_headers(await get_user(session, f"s{CHENGGUAN}")),
    }
    orgs = {code: (await get_org(session, code)).id for code in (XIAODIAN, CHENGGUAN, SANTUN)}
    p = Programme(client, h, orgs)
    made = await p.call(
        "POST",
        "/programmes",
        "clerk",
        201,
        {
            "name": "2013年招商引资目标责任",
            "host_org_id": county.id,
            "office_org_id": office.id,
            "period_start": "2013-09-01",
            "period_end": "2013-12-31",
        },
    )
    p.id = made["id"]
    for key, name, stage in (("signed", "签约项目数", "signed"), ("landed", "落地项目数", "landed")):
        body = {"key": key, "name": name, "unit": "个", "weight": 1, "stage": stage, "basis": "projects"}
        await p.call("POST", f"/programmes/{p.id}/measures", "clerk", 201, body)
    targets = [(XIAODIAN, "signed", 2), (XIAODIAN, "landed", 1), (CHENGGUAN, "signed", 2), (CHENGGUAN, "landed", 2)]
    targets.append((SANTUN, "signed", 5))
    body = {"targets": [{"org_id": orgs[o], "measure_key": k, "value": v} for o, k, v in targets]}
    await p.call("PUT", f"/programmes/{p.id}/targets", "clerk", 200, body)
    await p.call("PATCH", f"/programmes/{p.id}", "clerk", 200, {"status": "active"})
    await p.project(XIAODIAN, [("signed", "2013-09-15", ""), ("landed", "2013-10-10", "")])
    await p.project(XIAODIAN, [("signed", "2013-10-20", "")])
    await p.project(
        CHENGGUAN,
        [
            ("signed", "2013-09-20", ""),
            ("landed", "2013-09-25", ""),
            ("signed", "2013-10-15", "用地手续未落实，退回签约"),
        ],
    )
    for _ in range(2):
        await p.project(SANTUN, [("signed", "2013-10-05", "")])
    return p


def _units(bulletin: dict[str, Any]) -> list[tuple[str, str | None, int | None, str | None]]:
    return [(u["org"]["name"], u["weighted_completion"], u["rank"], u["light"]) for u in bulletin["units"]]


async def test_bulletins_rank_light_compare_freeze_and_print(client: httpx.AsyncClient, session: AsyncSession) -> None:
    p = await _programme(client, session)

    # September: number 1, as of the month's end; published by the office.
    september = await p.bulletin("2013-09-01")
    assert (september["number"], september["as_of"], september["status"]) == (1, "2013-09-30", "draft")
    assert _units(september) == [
        ("城关镇", "0.5", 1, "green"),
        ("小店镇", "0.25", 2, "green"),
        ("三屯镇", "0", 3, "red"),
    ]
    assert september["previous"] is None  # nothing before the period's first month
    await p.call("POST", f"/bulletins/{september['id']}/publish", "office", 200)

    # October (any day names the month): number 2; ranks, lights, change against September's bulletin.
    october = await p.bulletin("2013-10-17")
    assert (october["number"], october["month"], october["as_of"]) == (2, "2013-10-01", "2013-10-31")
    assert october["title"] == "关于2013年10月份招商引资目标责任完成情况的通报"
    assert (october["organ"], october["doc_number"]) == ("汝阳县商务局", "汝商务通〔2013〕2号")
    assert october["expected_pace"] == "0.5" and october["red_below"] == "0.6"
    assert _units(october) == [
        ("小店镇", "1", 1, "green"),
        ("三屯镇", "0.4", 2, "yellow"),
        ("城关镇", "0.25", 3, "red"),
    ]
    assert october["previous"] == {"month": "2013-09-01", "as_of": "2013-09-30", "number": 1}
    assert [u["change"] for u in october["units"]] == ["0.75", "0.4", "-0.25"]
    assert october["counts"] == {"green": 1, "yellow": 1, "red": 1, "unranked": 0}
    by_name = {u["org"]["name"]: u for u in october["units"]}
    # 三屯镇 has no landing target: no completion for it, not counted; the moved-back landing is undone.
    santun = {m["measure_key"]: m for m in by_name["三屯镇"]["measures"]}
    assert santun["landed"] == {
        "measure_key": "landed",
        "target": None,
        "actual": "0",
        "completion": None,
        "light": None,
    }
    assert [(n, by_name[n]["no_project_landed"]) for n in ("小店镇", "城关镇", "三屯镇")] == [
        ("小店镇", False),
        ("城关镇", True),
        ("三屯镇", True),
    ]
    assert "绿灯1个、黄灯1个、红灯1个" in october["summary"] and "居首的是小店镇" in october["summary"]
    assert "居末的是城关镇" in october["summary"] and "尚无项目落地的单位有三屯镇、城关镇" in october["summary"]

    # The same month twice is refused; a month outside the period names the field.
    await p.bulletin("2013-10-01", code=409)
    r = await p.bulletin("2014-01-01", code=400)
    assert r["errors"][0]["loc"] == ["body", "month"]

    # Published, it is frozen: a project signed later in October changes the live draft, not the bulletin.
    published = await p.call("POST", f"/bulletins/{october['id']}/publish", "office", 200)
    assert published["status"] == "published" and published["published_at"]
    await p.project(CHENGGUAN, [("signed", "2013-10-25", "")])
    again = await p.call("GET", f"/bulletins/{october['id']}", "chengguan", 200)
    assert _units(again) == _units(october)
    await p.call("POST", f"/bulletins/{october['id']}/publish", "office", 409)
    await p.call("DELETE", f"/bulletins/{october['id']}", "office", 409)
    entry = (
        await session.execute(
            select(AuditEntry).where(
                AuditEntry.action == "target_bulletin.publish", AuditEntry.entity_id == str(october["id"])
            )
        )
    ).scalar_one()
    assert [u["rank"] for u in entry.data["ranking"]] == [1, 2, 3]

    # The .docx: masthead (the office's organ), number, title, units in rank order, lights in words.
    r = await p.call("GET", f"/bulletins/{october['id']}/document.docx", "chengguan", 200)
    doc = Document(io.BytesIO(r.content))
    lines = [para.text for para in doc.paragraphs]
    assert lines[0] == "汝阳县商务局" and lines[1] == "汝商务通〔2013〕2号"
    assert lines[2] == "关于2013年10月份招商引资目标责任完成情况的通报"
    assert any("绿灯1个、黄灯1个、红灯1个" in line for line in lines)
    rows = [[cell.text for cell in row.cells] for row in doc.tables[0].rows]
    assert rows[0][:2] == ["排名", "单位"] and rows[0][-3:] == ["综合完成率", "较上月", "亮灯"]
    assert [(row[0], row[1], row[-3], row[-2], row[-1]) for row in rows[1:]] == [
        ("1", "小店镇", "100.0%", "+75.0个百分点", "绿灯"),
        ("2", "三屯镇", "40.0%", "+40.0个百分点", "黄灯"),
        ("3", "城关镇", "25.0%", "-25.0个百分点", "红灯"),
    ]
    assert rows[2][3] == "—"  # 三屯镇 has no landing target
    assert lines[-1].endswith("日") and lines[-2] == "汝阳县商务局"

    # The sheet: the same rows, numbers as numbers.
    r = await p.call("GET", f"/bulletins/{october['id']}/sheet.xlsx", "chengguan", 200)
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "关于2013年10月份招商引资目标责任完成情况的通报"
    header = list(values[2])
    assert header[:3] == ["排名", "单位编码", "单位"] and "综合完成率" in header
    body = [dict(zip(header, row, strict=True)) for row in values[3:]]
    assert [(row["排名"], row["单位"], row["综合完成率"], row["亮灯"]) for row in body] == [
        (1, "小店镇", 1, "绿灯"),
        (2, "三屯镇", 0.4, "黄灯"),
        (3, "城关镇", 0.25, "红灯"),
    ]
    assert body[1]["落地项目数目标（个）"] is None and body[2]["较上期变化"] == -0.25


async def test_the_public_board_shows_published_bulletins_only(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    p = await _programme(client, session)
    september = await p.bulletin("2013-09-01")
    october = await p.bulletin("2013-10-01")
    # Drafts only: the board knows no programme, and naming this one is 404.
    board = (await client.get("/api/v1/public/target-board")).json()
    assert all(b["id"] != p.id for b in board["programmes"])
    assert (await client.get("/api/v1/public/target-board", params={"programme_id": p.id})).status_code == 404

    await p.call("POST", f"/bulletins/{september['id']}/publish", "office", 200)
    board = (await client.get("/api/v1/public/target-board", params={"programme_id": p.id})).json()
    assert board["bulletin"]["number"] == 1 and _units(board["bulletin"])[0][0] == "城关镇"

    await p.call("POST", f"/bulletins/{october['id']}/publish", "office", 200)
    await p.bulletin("2013-11-01")  # a draft never shows
    r = await client.get("/api/v1/public/target-board", params={"programme_id": p.id})
    assert r.status_code == 200 and r.headers["cache-control"] == "public, max-age=60"
    shown = r.json()["bulletin"]
    assert (shown["number"], shown["title"]) == (2, "关于2013年10月份招商引资目标责任完成情况的通报")
    assert [u[0] for u in _units(shown)] == ["小店镇", "三屯镇", "城关镇"]
    assert "may_publish" not in shown and "status" not in shown

    # Withdrawn (with its reason, audited): back to a draft, off the board; September shows again.
    await p.call("POST", f"/bulletins/{october['id']}/withdraw", "office", 422, {})
    withdrawn = await p.call(
        "POST", f"/bulletins/{october['id']}/withdraw", "office", 200, {"reason": "城关镇数据有误"}
    )
    assert withdrawn["status"] == "draft" and withdrawn["published_at"] is None
    entry = (
        await session.execute(select(AuditEntry).where(AuditEntry.action == "target_bulletin.withdraw"))
    ).scalar_one()
    assert entry.data["reason"] == "城关镇数据有误" and entry.data["number"] == 2
    board = (await client.get("/api/v1/public/target-board", params={"programme_id": p.id})).json()
    assert board["bulletin"]["number"] == 1


async def test_only_the_office_publishes_and_units_see_published_bulletins(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    p = await _programme(client, session)
    # The host's clerk manages the programme but is not its office: cannot make or publish bulletins.
    await p.bulletin("2013-09-01", who="clerk", code=403)
    await p.bulletin("2013-09-01", who="chengguan", code=403)
    draft = await p.bulletin("2013-09-01")
    # A unit's secretary sees no draft: not listed, 404 to read, print, publish or delete.
    assert await p.call("GET", f"/programmes/{p.id}/bulletins", "chengguan", 200) == []
    for method, path in (
        ("GET", ""),
        ("GET", "/document.docx"),
        ("GET", "/sheet.xlsx"),
        ("POST", "/publish"),
        ("DELETE", ""),
    ):
        await p.call(method, f"/bulletins/{draft['id']}{path}", "chengguan", 404)
    # The host's clerk sees the draft but may not publish it.
    assert (await p.call("GET", f"/bulletins/{draft['id']}", "clerk", 200))["may_publish"] is False
    await p.call("POST", f"/bulletins/{draft['id']}/publish", "clerk", 403)
    await p.call("POST", f"/bulletins/{draft['id']}/publish", "office", 200)
    # Published: every unit reads it; still only the office withdraws it.
    listed = await p.call("GET", f"/programmes/{p.id}/bulletins", "xiaodian", 200)
    assert [(b["number"], b["status"]) for b in listed] == [(1, "published")]
    read = await p.call("GET", f"/bulletins/{draft['id']}", "xiaodian", 200)
    assert read["may_publish"] is False and read["status"] == "published"
    await p.call("POST", f"/bulletins/{draft['id']}/withdraw", "chengguan", 403, {"reason": "不同意"})
    # A draft is deleted by the office (audited); the next one takes the next number.
    second = await p.bulletin("2013-10-01")
    await p.call("DELETE", f"/bulletins/{second['id']}", "office", 204)
    assert (await p.bulletin("2013-10-01"))["number"] == 2


async def test_a_month_not_over_is_not_published(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    p = await _programme(client, session)
    october = await p.bulletin("2013-10-01")
    monkeypatch.setattr(bulletins, "china_today", lambda: date(2013, 10, 31))
    r = await p.call("POST", f"/bulletins/{october['id']}/publish", "office", 409)
    assert r["code"] == "bulletin-too-early"
    monkeypatch.setattr(bulletins, "china_today", lambda: date(2013, 11, 1))
    await p.call("POST", f"/bulletins/{october['id']}/publish", "office", 200)


async def test_without_an_office_the_host_publishes_and_signs(client: httpx.AsyncClient, session: AsyncSession) -> None:
    county = await get_org(session, "410326")
    clerk = auth_headers(await get_user(session, "clerk"))
    body = {
        "name": "2013年重点项目目标责任",
        "host_org_id": county.id,
        "period_start": "2013-01-01",
        "period_end": "2013-12-31",
    }
    programme = (await client.post(f"{API}/programmes", json=body, headers=clerk)).json()
    assert programme["office"] is None and programme["may_publish"] is True
    r = await client.post(f"{API}/programmes/{programme['id']}/bulletins", json={"month": "2013-03-01"}, headers=clerk)
    assert r.status_code == 201, r.text
    settings = document_settings(county)
    made = r.json()
    assert (made["organ"], made["doc_number"]) == (settings.organ, f"{settings.bulletin_prefix}〔2013〕1号")
    assert made["title"] == "关于2013年3月份重点项目目标责任完成情况的通报"
    # No targets yet: every unit unranked, the summary says so.
    assert made["units"] == [] and made["summary"] == "截至2013年3月31日，尚无单位有目标任务。"
