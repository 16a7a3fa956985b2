"""Reports: who reads and writes them, their life from draft to accepted, review, deadlines."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from shuping.cycles.models import Cycle, CycleStage
from shuping.reports.models import Report, ReportStatus
from tests.cycles.test_cycles import demo_cycle_id, h
from tests.support.builders import auth_headers, get_org, make_cycle, make_user


async def demo_report(session: AsyncSession, org_code: str) -> int:
    org = await get_org(session, org_code)
    rid = await session.scalar(
        select(Report.id).where(Report.cycle_id == await demo_cycle_id(session), Report.org_id == org.id)
    )
    assert rid is not None
    return int(rid)


async def fresh_report(session: AsyncSession, org_code: str = "410326104", **cycle: Any) -> tuple[int, int]:
    """A draft report of org_code in a new cycle: (cycle id, report id)."""
    result = await make_cycle(session, reports=[{"org_code": org_code}], **cycle)
    return result.cycle_id, result.reports[0].id


async def test_a_secretary_reads_only_their_own_report(client: httpx.AsyncClient, session: AsyncSession) -> None:
    own = await demo_report(session, "410326104")
    other = await demo_report(session, "410326105")
    me = await h(session, "s410326104")
    r = await client.get(f"/api/v1/reports/{own}", headers=me)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["org"]["name"] == "小店镇"
    assert report["status"] == "submitted"
    assert report["body"].startswith("# 小店镇党委书记抓基层党建工作述职报告")
    assert report["can_edit"] is False
    assert report["can_review"] is False
    assert report["cycle_stage"] == "preparation"
    assert report["late"] is False

    r = await client.get(f"/api/v1/reports/{other}", headers=me)
    assert r.status_code == 403
    assert r.json()["detail"] == "A secretary may read only their own organisation's report"
    listed = (await client.get("/api/v1/reports", headers=me)).json()
    assert [x["id"] for x in listed["items"]] == [own]
    # A village secretary has no report here at all.
    assert (await client.get(f"/api/v1/reports/{own}", headers=await h(session, "s410326104201"))).status_code == 403


async def test_a_secretary_cannot_change_another_organisations_report(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    _, other = await fresh_report(session, "410326105")
    me = await h(session, "s410326104")
    calls = [
        client.patch(f"/api/v1/reports/{other}", json={"body": "篡改"}, headers=me),
        client.post(f"/api/v1/reports/{other}/submit", headers=me),
        client.post(f"/api/v1/reports/{other}/accept", headers=me),
        client.post(f"/api/v1/reports/{other}/return", json={"comment": "退回修改"}, headers=me),
        client.post(
            f"/api/v1/reports/{other}/attachments",
            files={"file": ("a.pdf", b"%PDF-1.4", "application/pdf")},
            headers=me,
        ),
        client.get(f"/api/v1/reports/{other}/attachments/1", headers=me),
        client.delete(f"/api/v1/reports/{other}/attachments/1", headers=me),
        client.get(f"/api/v1/reports/{other}/assessment", headers=me),
        client.put(f"/api/v1/reports/{other}/assessment", json={}, headers=me),
        client.delete(f"/api/v1/reports/{other}", headers=me),
    ]
    for call in calls:
        r = await call
        assert r.status_code == 403, (r.request.method, r.request.url, r.text)
    report = await session.get(Report, other)
    assert report is not None and report.body == "" and report.status == ReportStatus.draft


async def test_evaluators_read_accepted_reports_of_their_cycles_only(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    rid = await demo_report(session, "410326104")
    leader = await h(session, "leader01")
    assert (await client.get(f"/api/v1/reports/{rid}", headers=leader)).status_code == 403
    assert (await client.get("/api/v1/reports", headers=leader)).json()["total"] == 0
    r = await client.post(f"/api/v1/reports/{rid}/accept", headers=await h(session, "clerk"))
    assert r.status_code == 200
    r = await client.get(f"/api/v1/reports/{rid}", headers=leader)
    assert r.status_code == 200
    assert r.json()["can_review"] is False
    assert [x["id"] for x in (await client.get("/api/v1/reports", headers=leader)).json()["items"]] == [rid]
    assert (await client.get(f"/api/v1/reports/{rid}", headers=await h(session, "deputy07"))).status_code == 200
    # An evaluator not assigned to the cycle, and a role that never reads reports.
    stranger = auth_headers(await make_user(session, role=Role.deputy))
    assert (await client.get(f"/api/v1/reports/{rid}", headers=stranger)).status_code == 403
    integration = auth_headers(await make_user(session, role=Role.integration))
    assert (await client.get(f"/api/v1/reports/{rid}", headers=integration)).status_code == 403
    # An integration account calls the sync endpoints only: it is refused the list outright (DESIGN §8).
    assert (await client.get("/api/v1/reports", headers=integration)).status_code == 403
    # Evaluators review nothing.
    assert (
        await client.post(f"/api/v1/reports/{rid}/return", json={"comment": "再改改"}, headers=leader)
    ).status_code == 403


async def test_write_submit_return_resubmit_accept(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid, rid = await fresh_report(session)
    me = await h(session, "s410326104")
    clerk = await h(session, "clerk")
    r = await client.get(f"/api/v1/reports/{rid}", headers=me)
    assert r.json()["status"] == "draft"
    assert r.json()["can_edit"] is True

    r = await client.post(f"/api/v1/reports/{rid}/submit", headers=me)
    assert r.status_code == 409
    assert "text is empty" in r.json()["detail"]

    patch = {
        "title": "小店镇述职报告",
        "body": "## 一、工作情况\n\n- 抓班子带队伍",
        "video_url": "https://video.example.cn/xd.mp4",
    }
    r = await client.patch(f"/api/v1/reports/{rid}", json=patch, headers=me)
    assert r.status_code == 200, r.text
    assert r.json()["body"] == patch["body"]
    assert r.json()["has_video"] is True
    assert r.json()["video_url"] == "https://video.example.cn/xd.mp4"

    r = await client.post(f"/api/v1/reports/{rid}/submit", headers=me)
    assert r.status_code == 200
    assert r.json()["status"] == "submitted"
    assert r.json()["submitted_at"] is not None
    assert r.json()["can_edit"] is False
    assert (await client.patch(f"/api/v1/reports/{rid}", json={"body": "x"}, headers=me)).status_code == 409
    assert (await client.post(f"/api/v1/reports/{rid}/submit", headers=me)).status_code == 409

    r = await client.get(f"/api/v1/reports/{rid}", headers=clerk)
    assert r.json()["can_review"] is True
    r = await client.post(f"/api/v1/reports/{rid}/return", json={"comment": "请补充整改措施"}, headers=clerk)
    assert r.status_code == 200
    assert r.json()["status"] == "returned"
    assert r.json()["review_comment"] == "请补充整改措施"
    mine = (await client.get(f"/api/v1/reports/{rid}", headers=me)).json()
    assert mine["review_comment"] == "请补充整改措施"
    assert mine["can_edit"] is True

    r = await client.patch(
        f"/api/v1/reports/{rid}", json={"body": patch["body"] + "\n\n## 二、整改措施", "video_url": None}, headers=me
    )
    assert r.status_code == 200
    assert r.json()["video_url"] is None
    assert (await client.post(f"/api/v1/reports/{rid}/accept", headers=clerk)).status_code == 409
    assert (await client.post(f"/api/v1/reports/{rid}/submit", headers=me)).json()["status"] == "submitted"
    r = await client.post(f"/api/v1/reports/{rid}/accept", headers=clerk)
    assert r.status_code == 200
    assert r.json()["status"] == "accepted"
    assert r.json()["review_comment"] is None
    assert (await client.post(f"/api/v1/reports/{rid}/accept", headers=clerk)).status_code == 409
    # Accepted reports can still go back for revision while the cycle prepares.
    r = await client.post(f"/api/v1/reports/{rid}/return", json={"comment": "数据有误"}, headers=clerk)
    assert r.json()["status"] == "returned"

    actions = (
        (
            await session.execute(
                select(AuditEntry.action)
                .where(AuditEntry.entity_type == "report", AuditEntry.entity_id == str(rid))
                .order_by(AuditEntry.id)
            )
        )
        .scalars()
        .all()
    )
    assert actions == [
        "report.update",
        "report.submit",
        "report.return",
        "report.update",
        "report.submit",
        "report.accept",
        "report.return",
    ]
    body_audit = (
        (
            await session.execute(
                select(AuditEntry.data)
                .where(AuditEntry.action == "report.update", AuditEntry.entity_id == str(rid))
                .order_by(AuditEntry.id)
            )
        )
        .scalars()
        .first()
    )
    assert body_audit == {**patch, "body": len(patch["body"])}
    assert cid


async def test_the_host_fixes_titles_but_does_not_write_reports(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    _, rid = await fresh_report(session)
    clerk = await h(session, "clerk")
    r = await client.patch(f"/api/v1/reports/{rid}", json={"title": "小店镇党委书记述职报告"}, headers=clerk)
    assert r.status_code == 200
    assert r.json()["title"] == "小店镇党委书记述职报告"
    assert (await client.patch(f"/api/v1/reports/{rid}", json={"body": "代写"}, headers=clerk)).status_code == 403
    assert (await client.post(f"/api/v1/reports/{rid}/submit", headers=clerk)).status_code == 403


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"video_url": "javascript:alert(1)"}, ["body", "video_url"]),
        ({"video_url": "ftp://example.cn/v.mp4"}, ["body", "video_url"]),
        ({"video_url": "https://example.cn/" + "v" * 500}, ["body", "video_url"]),
        ({"title": ""}, ["body", "title"]),
        ({"body": "x" * 100_001}, ["body", "body"]),
        ({"status": "accepted"}, ["body", "status"]),
    ],
)
async def test_malformed_report_changes_are_422(
    client: httpx.AsyncClient, session: AsyncSession, body: dict[str, Any], loc: list[str | int]
) -> None:
    _, rid = await fresh_report(session)
    r = await client.patch(f"/api/v1/reports/{rid}", json=body, headers=await h(session, "s410326104"))
    assert r.status_code == 422, r.text
    assert loc in [e["loc"] for e in r.json()["errors"]]


async def test_return_needs_a_comment_and_null_text_is_refused(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    rid = await demo_report(session, "410326104")
    r = await client.post(f"/api/v1/reports/{rid}/return", json={}, headers=await h(session, "clerk"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "comment"]
    _, draft = await fresh_report(session)
    r = await client.patch(f"/api/v1/reports/{draft}", json={"body": None}, headers=await h(session, "s410326104"))
    assert r.status_code == 400
    assert r.json()["errors"] == [{"loc": ["body", "body"], "msg": "body cannot be null"}]


async def test_reports_are_fixed_once_evaluation_starts(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid, rid = await fresh_report(session)
    me = await h(session, "s410326104")
    await client.patch(f"/api/v1/reports/{rid}", json={"body": "正文"}, headers=me)
    await client.post(f"/api/v1/reports/{rid}/submit", headers=me)
    await session.execute(update(Cycle).where(Cycle.id == cid).values(stage=CycleStage.evaluation))
    clerk = await h(session, "clerk")
    assert (await client.post(f"/api/v1/reports/{rid}/accept", headers=clerk)).status_code == 409
    assert (
        await client.post(f"/api/v1/reports/{rid}/return", json={"comment": "晚了"}, headers=clerk)
    ).status_code == 409
    assert (await client.patch(f"/api/v1/reports/{rid}", json={"title": "改"}, headers=clerk)).status_code == 409
    assert (await client.delete(f"/api/v1/reports/{rid}", headers=clerk)).status_code == 409
    r = await client.get(f"/api/v1/reports/{rid}", headers=me)
    assert r.json()["can_edit"] is False


async def test_late_reports_are_flagged(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid, rid = await fresh_report(session, report_due_date="2013-07-10")
    me = await h(session, "s410326104")
    assert (await client.get(f"/api/v1/reports/{rid}", headers=me)).json()["late"] is True
    await client.patch(f"/api/v1/reports/{rid}", json={"body": "正文"}, headers=me)
    r = await client.post(f"/api/v1/reports/{rid}/submit", headers=me)
    assert r.json()["late"] is True
    assert (await client.get("/api/v1/reports", params={"cycle_id": cid}, headers=me)).json()["items"][0][
        "late"
    ] is True
    # The demo reports were in before their due date.
    demo = await demo_report(session, "410326104")
    assert (await client.get(f"/api/v1/reports/{demo}", headers=me)).json()["late"] is False
    _, on_time = await fresh_report(session, "410326105", report_due_date="2099-12-31")
    assert (await client.get(f"/api/v1/reports/{on_time}", headers=await h(session, "clerk"))).json()["late"] is False


async def test_listing_filters(client: httpx.AsyncClient, session: AsyncSession) -> None:
    cid = await demo_cycle_id(session)
    clerk = await h(session, "clerk")
    r = await client.get("/api/v1/reports", params={"cycle_id": cid, "limit": 100}, headers=clerk)
    assert r.json()["total"] == 14
    assert [x["position"] for x in r.json()["items"]] == list(range(1, 15))
    rid = r.json()["items"][0]["id"]
    await client.post(f"/api/v1/reports/{rid}/accept", headers=clerk)
    r = await client.get("/api/v1/reports", params={"cycle_id": cid, "status": ["accepted"]}, headers=clerk)
    assert [x["id"] for x in r.json()["items"]] == [rid]
    r = await client.get(
        "/api/v1/reports", params={"cycle_id": cid, "status": ["accepted", "submitted"]}, headers=clerk
    )
    assert r.json()["total"] == 14
    xiaodian = await get_org(session, "410326104")
    r = await client.get("/api/v1/reports", params={"org_id": xiaodian.id}, headers=clerk)
    assert {x["org"]["code"] for x in r.json()["items"]} == {"410326104"}
    assert (await client.get("/api/v1/reports", params={"status": "done"}, headers=clerk)).status_code == 422
    assert (await client.get("/api/v1/reports")).status_code == 401


async def test_the_host_removes_a_report(client: httpx.AsyncClient, session: AsyncSession) -> None:
    _, rid = await fresh_report(session)
    assert (await client.delete(f"/api/v1/reports/{rid}", headers=await h(session, "leader01"))).status_code == 403
    r = await client.delete(f"/api/v1/reports/{rid}", headers=await h(session, "clerk"))
    assert r.status_code == 204
    assert (await client.get(f"/api/v1/reports/{rid}", headers=await h(session, "clerk"))).status_code == 404
    assert (
        await session.scalar(
            select(AuditEntry.action)
            .where(AuditEntry.entity_type == "report", AuditEntry.entity_id == str(rid))
            .order_by(AuditEntry.id.desc())
        )
    ) == "report.delete"


async def test_anonymous_and_not_found(client: httpx.AsyncClient, session: AsyncSession) -> None:
    rid = await demo_report(session, "410326104")
    for method, path in [
        ("GET", f"/api/v1/reports/{rid}"),
        ("PATCH", f"/api/v1/reports/{rid}"),
        ("DELETE", f"/api/v1/reports/{rid}"),
        ("POST", f"/api/v1/reports/{rid}/submit"),
        ("POST", f"/api/v1/reports/{rid}/accept"),
        ("POST", f"/api/v1/reports/{rid}/return"),
        ("POST", f"/api/v1/reports/{rid}/attachments"),
        ("GET", f"/api/v1/reports/{rid}/attachments/1"),
        ("DELETE", f"/api/v1/reports/{rid}/attachments/1"),
        ("GET", f"/api/v1/reports/{rid}/assessment"),
        ("PUT", f"/api/v1/reports/{rid}/assessment"),
    ]:
        r = await client.request(method, path)
        assert r.status_code == 401, (method, path)
        r = await client.request(method, path.replace(str(rid), "999999"), headers=await h(session, "admin"))
        assert r.status_code in (404, 422), (method, path, r.status_code)
        if method in ("GET", "DELETE", "POST") and "attachments" not in path and "return" not in path:
            assert r.status_code == 404, (method, path)
    assert (await client.get("/api/v1/reports/0", headers=await h(session, "admin"))).status_code == 422
