"""Cases over the API: lifecycle, clocks, appointments, exports, and who may do what."""

from __future__ import annotations

import io
from datetime import timedelta

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.auth.models import Role
from shuping.core.calendar import china_today
from shuping.petitions import repository
from tests.support.builders import auth_headers, get_org, get_user, make_case, make_user

CASES = "/api/v1/petitions/cases"


async def _staff(session: AsyncSession) -> dict[str, str]:
    return auth_headers(await get_user(session, "clerk"))


async def test_full_lifecycle_with_history_and_audit(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = await _staff(session)
    xiaodian = await get_org(session, "410326104")
    bureau = await get_org(session, "410326-D29")
    r = await client.post(
        CASES,
        json={
            "external_id": "MAN-0001",
            "org_id": xiaodian.id,
            "category": "城乡建设",
            "summary": "反映小区排水不畅",
            "petitioner_name": "王小明",
            "petitioner_phone": "13800001111",
            "received_date": china_today().isoformat(),
        },
        headers=h,
    )
    assert r.status_code == 201, r.text
    case = r.json()
    assert (case["status"], case["stage"], case["petitioner_name"], case["petitioner_phone"]) == (
        "accepted",
        "acceptance",
        "王**",
        "138****1111",
    )
    assert case["allowed_transitions"] == ["in_progress"]
    cid = case["id"]

    async def move(to: str, **extra: object) -> httpx.Response:
        return await client.post(f"{CASES}/{cid}/transitions", json={"to_status": to, **extra}, headers=h)

    r = await move("resolved")
    assert r.status_code == 409
    assert r.json()["allowed"] == ["in_progress"] and "in_progress" in r.json()["detail"]
    r = await move("in_progress", note="受理")
    assert r.json()["stage"] == "handling"
    handling_due = r.json()["due_date"]
    r = await move("assigned")
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "holder_org_id"]
    r = await move("assigned", holder_org_id=bureau.id)
    assert r.status_code == 200
    assert r.json()["holder"]["id"] == bureau.id and r.json()["owner"]["id"] == xiaodian.id  # 交办 keeps the owner
    assert r.json()["due_date"] == handling_due
    ext = await client.post(f"{CASES}/{cid}/extension", json={"reason": "案情复杂，需要调查"}, headers=h)
    assert ext.status_code == 200 and ext.json()["extended"] is True
    assert ext.json()["due_date"] > handling_due
    again = await client.post(f"{CASES}/{cid}/extension", json={"reason": "再延一次"}, headers=h)
    assert again.status_code == 409 and again.json()["type"].endswith("/already-extended")
    assert (await move("resolved")).json()["resolved_date"] == china_today().isoformat()
    assert (await move("closed")).json()["stage"] == "done"
    r = await move("in_progress", note="信访人申请复查")
    assert (r.json()["stage"], r.json()["reopen_count"], r.json()["resolved_date"]) == ("review", 1, None)
    assert r.json()["holder"]["id"] == xiaodian.id
    r = await move("transferred", holder_org_id=bureau.id)
    assert r.json()["owner"]["id"] == bureau.id  # 转办 moves ownership
    await move("resolved")
    r = await move("in_progress")
    assert r.json()["stage"] == "re_review"

    detail = (await client.get(f"{CASES}/{cid}", headers=h)).json()
    kinds = [(e["kind"], e["from_status"], e["to_status"]) for e in detail["events"]]
    assert kinds[0] == ("created", None, "accepted")
    assert ("extended", None, None) in kinds
    assert [k for k in kinds if k[0] == "status"][-1] == ("status", "resolved", "in_progress")
    staff = await get_user(session, "clerk")
    assert {e["actor_name"] for e in detail["events"]} == {staff.full_name}  # a person by name, not by login
    actions = (
        (
            await session.execute(
                select(AuditEntry.action)
                .where(AuditEntry.entity_type == "petition_case", AuditEntry.entity_id == str(cid))
                .order_by(AuditEntry.id)
            )
        )
        .scalars()
        .all()
    )
    assert actions.count("petition.status") == 8 and "petition.create" in actions and "petition.extend" in actions


async def test_overdue_flags_and_filters(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = await _staff(session)
    town = await get_org(session, "410326203")
    old = await make_case(session, org=town, received=china_today() - timedelta(days=60), summary="逾期未受理")
    fresh = await make_case(session, org=town, summary="刚受理")
    page = (await client.get(CASES, params={"org_id": town.id, "overdue": True, "limit": 500}, headers=h)).json()
    ids = {c["id"] for c in page["items"]}
    assert old.id in ids and fresh.id not in ids
    assert all(c["overdue"] for c in page["items"])
    assert page["items"][[c["id"] for c in page["items"]].index(old.id)]["stage"] == "acceptance"
    page = (await client.get(CASES, params={"org_id": town.id, "overdue": False, "limit": 500}, headers=h)).json()
    assert fresh.id in {c["id"] for c in page["items"]} and old.id not in {c["id"] for c in page["items"]}
    r = await client.post(f"{CASES}/{old.id}/transitions", json={"to_status": "in_progress"}, headers=h)
    detail = (await client.get(f"{CASES}/{old.id}", headers=h)).json()
    assert detail["events"][-1]["late"] is True  # the acceptance stage closed past its due date
    assert r.json()["overdue"] is False
    found = (await client.get(CASES, params={"q": "刚受理"}, headers=h)).json()
    assert [c["id"] for c in found["items"]] == [fresh.id]
    filtered = (await client.get(CASES, params={"status": ["assigned", "transferred"], "limit": 1}, headers=h)).json()
    assert filtered["total"] == 136


async def test_create_case_rules(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = await _staff(session)
    village = await get_org(session, "410326104201")
    base = {"external_id": "MAN-X", "category": "x", "summary": "x", "received_date": "2027-01-04"}
    assert (await client.post(CASES, json=base, headers=h)).status_code == 400
    r = await client.post(CASES, json={**base, "org_id": village.id}, headers=h)
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "org_id"]
    r = await client.post(CASES, json={**base, "external_id": "YGXF-DEMO-0001", "org_id": 2}, headers=h)
    assert r.status_code == 400
    r = await client.post(CASES, json={**base, "org_id": True}, headers=h)
    assert r.status_code == 422
    r = await client.post(CASES, json={**base, "org_id": 2, "summary": "a\x00b"}, headers=h)
    assert r.status_code == 422
    assert (await client.get(f"{CASES}/99999999", headers=h)).status_code == 404


async def test_appointments_refuse_overlapping_slots(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = await _staff(session)
    case = await make_case(session)
    other = await make_case(session)
    leader = await get_user(session, "leader03")
    slot = {"leader_id": leader.id, "starts_at": "2030-05-06T09:00:00+08:00", "ends_at": "2030-05-06T09:30:00+08:00"}
    r = await client.post(f"{CASES}/{case.id}/appointments", json={**slot, "location": "小店镇视频接访室"}, headers=h)
    assert r.status_code == 201, r.text
    appt = r.json()
    assert appt["leader_name"] == leader.full_name and appt["case_external_id"] == case.external_id
    overlap = {**slot, "starts_at": "2030-05-06T09:15:00+08:00", "ends_at": "2030-05-06T10:00:00+08:00"}
    r = await client.post(f"{CASES}/{other.id}/appointments", json=overlap, headers=h)
    assert r.status_code == 409 and r.json()["type"].endswith("/slot-taken")
    touching = {**slot, "starts_at": "2030-05-06T09:30:00+08:00", "ends_at": "2030-05-06T10:00:00+08:00"}
    assert (await client.post(f"{CASES}/{other.id}/appointments", json=touching, headers=h)).status_code == 201
    another_leader = {**overlap, "leader_id": (await get_user(session, "leader04")).id}
    assert (await client.post(f"{CASES}/{other.id}/appointments", json=another_leader, headers=h)).status_code == 201
    not_leader = {**slot, "leader_id": (await get_user(session, "clerk")).id}
    assert (await client.post(f"{CASES}/{other.id}/appointments", json=not_leader, headers=h)).status_code == 400
    backwards = {**slot, "ends_at": "2030-05-06T08:00:00+08:00"}
    assert (await client.post(f"{CASES}/{other.id}/appointments", json=backwards, headers=h)).status_code == 400
    naive = {**slot, "starts_at": "2030-05-06T09:00:00"}
    assert (await client.post(f"{CASES}/{other.id}/appointments", json=naive, headers=h)).status_code == 422

    r = await client.patch(
        f"/api/v1/petitions/appointments/{appt['id']}", json={"status": "held", "outcome": "当面答复"}, headers=h
    )
    assert r.status_code == 200 and r.json()["status"] == "held"
    r = await client.patch(f"/api/v1/petitions/appointments/{appt['id']}", json={"status": "cancelled"}, headers=h)
    assert r.status_code == 409
    detail = (await client.get(f"{CASES}/{case.id}", headers=h)).json()
    assert [e["kind"] for e in detail["events"]][-2:] == ["appointment_booked", "appointment_outcome"]
    assert "当面答复" in detail["events"][-1]["note"]
    assert detail["appointments"][0]["outcome"] == "当面答复"
    leaders = (await client.get("/api/v1/petitions/leaders", headers=h)).json()
    assert [x["id"] for x in leaders][2] == leader.id and len(leaders) == 7
    mine = (await client.get("/api/v1/petitions/appointments", params={"leader_id": leader.id}, headers=h)).json()
    assert mine["total"] >= 2
    leader_view = (await client.get("/api/v1/petitions/appointments", headers=auth_headers(leader))).json()
    assert {a["leader_id"] for a in leader_view["items"]} == {leader.id}


async def test_export_is_masked(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = await _staff(session)
    case = await make_case(session, name="欧阳修文", phone="13955556666", summary="导出测试\x02")
    r = await client.get(f"{CASES}/export", params={"q": "导出测试"}, headers=h)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    rows = [[str(c or "") for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "案件编号" and rows[1][0] == case.external_id
    text = " ".join(" ".join(row) for row in rows)
    assert "欧***" in text and "139****6666" in text
    assert "欧阳修文" not in text and "13955556666" not in text
    everything = await client.get(f"{CASES}/export", headers=h)
    assert len(load_workbook(io.BytesIO(everything.content)).active["A"]) >= 347  # type: ignore[index]


# ---------------------------------------------------------------- permissions


async def test_anonymous_gets_401_everywhere(client: httpx.AsyncClient) -> None:
    for method, url in [
        ("GET", CASES),
        ("POST", CASES),
        ("GET", f"{CASES}/1"),
        ("GET", f"{CASES}/export"),
        ("POST", f"{CASES}/1/transitions"),
        ("POST", f"{CASES}/1/extension"),
        ("POST", f"{CASES}/1/appointments"),
        ("GET", "/api/v1/petitions/appointments"),
        ("PATCH", "/api/v1/petitions/appointments/1"),
        ("GET", "/api/v1/petitions/stats"),
        ("POST", "/api/v1/petitions/stats/snapshots"),
        ("GET", "/api/v1/petitions/stats/snapshots/1"),
        ("POST", "/api/v1/petitions/imports"),
        ("GET", "/api/v1/petitions/imports/1/errors"),
        ("GET", "/api/v1/petitions/sync/runs"),
        ("POST", "/api/v1/petitions/sync/pull"),
    ]:
        r = await client.request(method, url, json={})
        assert r.status_code == 401, (method, url, r.status_code)


async def test_a_secretary_sees_only_their_townships_cases(client: httpx.AsyncClient, session: AsyncSession) -> None:
    secretary = await get_user(session, "s410326104")  # 小店镇
    h = auth_headers(secretary)
    own = await make_case(session, org=await get_org(session, "410326104"))
    other = await make_case(session, org=await get_org(session, "410326105"))
    page = (await client.get(CASES, params={"limit": 500}, headers=h)).json()
    assert page["total"] > 0
    assert all(c["org"]["id"] == secretary.org_id for c in page["items"])
    assert own.id in {c["id"] for c in page["items"]} and other.id not in {c["id"] for c in page["items"]}
    assert (await client.get(f"{CASES}/{own.id}", headers=h)).status_code == 200
    assert (await client.get(f"{CASES}/{other.id}", headers=h)).status_code == 404
    r = await client.post(f"{CASES}/{own.id}/transitions", json={"to_status": "in_progress"}, headers=h)
    assert r.status_code == 403
    assert (await client.get(f"{CASES}/export", headers=h)).status_code == 403
    stats = (await client.get("/api/v1/petitions/stats", headers=h)).json()
    assert [row["org"]["id"] for row in stats["rows"]] == [secretary.org_id]
    assert stats["total"]["accepted"] == stats["rows"][0]["accepted"]


@pytest.mark.parametrize("role", [Role.deputy, Role.member, Role.integration])
async def test_roles_without_case_access(client: httpx.AsyncClient, session: AsyncSession, role: Role) -> None:
    user = await make_user(session, role=role, org_id=(await get_org(session, "410326104")).id)
    h = auth_headers(user)
    case = await make_case(session)
    for method, url in [
        ("GET", CASES),
        ("GET", f"{CASES}/{case.id}"),
        ("GET", "/api/v1/petitions/stats"),
        ("GET", "/api/v1/petitions/appointments"),
        ("POST", f"{CASES}/{case.id}/transitions"),
    ]:
        assert (await client.request(method, url, json={"to_status": "in_progress"}, headers=h)).status_code == 403
    sync_runs = await client.get("/api/v1/petitions/sync/runs", headers=h)
    assert sync_runs.status_code == (200 if role == Role.integration else 403)


@pytest.mark.parametrize("username", ["leader01", "s410326104"])
async def test_readers_cannot_manage(client: httpx.AsyncClient, session: AsyncSession, username: str) -> None:
    h = auth_headers(await get_user(session, username))
    case = await make_case(session)
    assert (await client.get(f"{CASES}/{case.id}", headers=h)).status_code == 200
    for method, url, body in [
        ("POST", CASES, {}),
        ("POST", f"{CASES}/{case.id}/transitions", {"to_status": "in_progress"}),
        ("POST", f"{CASES}/{case.id}/extension", {"reason": "理由充分"}),
        ("POST", "/api/v1/petitions/stats/snapshots", {"cycle_id": 1}),
        ("GET", "/api/v1/petitions/sync/runs", None),
        ("POST", "/api/v1/petitions/sync/pull", None),
    ]:
        r = await client.request(method, url, json=body, headers=h)
        assert r.status_code == 403, (url, r.status_code)
    assert repository.is_overdue(case, china_today()) is False


async def test_a_township_clerk_works_on_their_own_township_only(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    """A clerk of 小店镇 once acted as the organisation department: read, moved and reopened other
    townships' cases (changing their resolution rate), imported and froze figures. Now they reach
    their township and its villages only (DESIGN §8)."""
    xiaodian, chengguan = await get_org(session, "410326104"), await get_org(session, "410326101")
    clerk = auth_headers(await make_user(session, role=Role.clerk, org_id=xiaodian.id))
    own = await make_case(session)
    theirs = await make_case(session, org=chengguan)
    listed = (await client.get(CASES, params={"limit": 200}, headers=clerk)).json()
    assert listed["total"] > 0 and {c["org"]["code"] for c in listed["items"]} == {"410326104"}
    assert (await client.get(f"{CASES}/{own.id}", headers=clerk)).status_code == 200
    assert (await client.get(f"{CASES}/{theirs.id}", headers=clerk)).status_code == 404
    for action, body in (
        ("transitions", {"to_status": "in_progress"}),
        ("extension", {"reason": "情况复杂"}),
        ("appointments", {"leader_id": 1, "starts_at": "2030-01-07T01:00:00Z", "ends_at": "2030-01-07T02:00:00Z"}),
    ):
        r = await client.post(f"{CASES}/{theirs.id}/{action}", json=body, headers=clerk)
        assert r.status_code == 404, (action, r.text)
    body = {
        "external_id": "XD-1",
        "org_id": chengguan.id,
        "category": "劳动社保",
        "summary": "代录",
        "received_date": "2026-12-01",
    }
    r = await client.post(CASES, json=body, headers=clerk)
    assert r.status_code == 403 and "城关镇" in r.json()["detail"]
    assert (await client.post(CASES, json={**body, "org_id": xiaodian.id}, headers=clerk)).status_code == 201
    stats = (await client.get("/api/v1/petitions/stats", headers=clerk)).json()
    assert [row["org"]["code"] for row in stats["rows"]] == ["410326104"]
    export = await client.get(f"{CASES}/export", headers=clerk)
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True))
    assert rows and {row[1] for row in rows} == {"410326104"}
    # County-wide work stays with the organisation department.
    assert (await client.get("/api/v1/petitions/sync/runs", headers=clerk)).status_code == 403
    upload = {"file": ("cases.csv", b"external_id\n", "text/csv")}
    assert (await client.post("/api/v1/petitions/imports", files=upload, headers=clerk)).status_code == 403
    assert (await client.get(f"{CASES}/{theirs.id}")).status_code == 401
