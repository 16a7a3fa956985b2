"""Ledger items over the API: steps and who may take them, history and audit, edits, notes, evidence, merging."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.config import get_settings
from shuping.core.calendar import china_today
from shuping.ledger.models import LedgerItem
from tests.ledger.support import ITEMS, Ledger

PDF = b"%PDF-1.4\n% evidence\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx() -> bytes:
    out = io.BytesIO()
    Document().save(out)
    return out.getvalue()


async def _audit_actions(session: AsyncSession, item_id: int) -> list[str]:
    stmt = (
        select(AuditEntry.action)
        .where(AuditEntry.entity_type == "ledger_item", AuditEntry.entity_id == str(item_id))
        .order_by(AuditEntry.id)
    )
    return list((await session.execute(stmt)).scalars())


async def test_an_item_goes_from_open_to_verified_with_history_and_audit(ledger: Ledger, session: AsyncSession) -> None:
    item = await ledger.item()
    iid = item["id"]
    assert item["allowed_transitions"] == ["in_progress", "rejected"]
    owner_view = (await ledger.client.get(f"{ITEMS}/{iid}", headers=ledger.h["owner"])).json()
    assert owner_view["allowed_transitions"] == ["in_progress"]

    r = await ledger.move(iid, "in_progress", "owner", "制定整改方案")
    assert r.status_code == 200 and r.json()["status"] == "in_progress"
    assert r.json()["allowed_transitions"] == ["done"]
    r = await ledger.move(iid, "done", "clerk")
    assert r.status_code == 403 and "owner organisation" in r.json()["detail"]
    r = await ledger.move(iid, "done", "owner", "已整改")
    assert r.status_code == 200 and r.json()["done_date"] == china_today().isoformat()
    # A secretary cannot verify their own item.
    r = await ledger.move(iid, "verified", "owner")
    assert r.status_code == 403 and "organisation department" in r.json()["detail"]
    r = await ledger.move(iid, "in_progress", "clerk")
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "note"]
    r = await ledger.move(iid, "in_progress", "clerk", "佐证材料不全，请补充")
    assert r.status_code == 200 and (r.json()["status_reason"], r.json()["done_date"]) == ("佐证材料不全，请补充", None)
    await ledger.move(iid, "done", "owner", "已补充")
    r = await ledger.move(iid, "verified", "clerk", "整改到位")
    assert r.status_code == 200 and r.json()["verified_date"] == china_today().isoformat()
    assert r.json()["allowed_transitions"] == [] and r.json()["overdue"] is False

    detail = (await ledger.client.get(f"{ITEMS}/{iid}", headers=ledger.h["admin"])).json()
    steps = [(e["from_status"], e["to_status"], e["action"]) for e in detail["events"] if e["kind"] == "status"]
    assert steps == [
        ("open", "in_progress", "start"),
        ("in_progress", "done", "complete"),
        ("done", "in_progress", "send_back"),
        ("in_progress", "done", "complete"),
        ("done", "verified", "verify"),
    ]
    # Every change is in the audit log.
    assert await _audit_actions(session, iid) == ["ledger.item_create"] + ["ledger.status"] * 5


async def test_an_illegal_step_is_refused_naming_the_allowed_ones(ledger: Ledger) -> None:
    item = await ledger.item()
    r = await ledger.move(item["id"], "verified", "clerk")
    assert r.status_code == 409
    body = r.json()
    assert body["type"].endswith("/illegal-transition")
    assert body["current"] == "open" and body["allowed"] == ["in_progress", "rejected"]
    assert "in_progress, rejected" in body["detail"]
    r = await ledger.move(item["id"], "open", "clerk")
    assert r.status_code == 409 and r.json()["allowed"] == ["in_progress", "rejected"]


async def test_reject_needs_a_reason_and_reopen_clears_it(ledger: Ledger, session: AsyncSession) -> None:
    iid = (await ledger.item())["id"]
    assert (await ledger.move(iid, "rejected", "clerk", "   ")).status_code == 400
    assert (await ledger.move(iid, "rejected", "owner", "不想改")).status_code == 403
    r = await ledger.move(iid, "rejected", "clerk", "不属于本乡镇职责")
    assert r.status_code == 200 and r.json()["status_reason"] == "不属于本乡镇职责"
    assert r.json()["working_days_left"] is None
    r = await ledger.move(iid, "open", "admin", "重新交办")
    assert r.status_code == 200 and r.json()["status_reason"] is None
    assert (await _audit_actions(session, iid)).count("ledger.status") == 2


async def test_secretaries_see_and_act_on_their_own_items_only(ledger: Ledger) -> None:
    mine = await ledger.item(0)
    theirs = await ledger.item(1)
    c = ledger.client
    assert (await c.get(f"{ITEMS}/{theirs['id']}", headers=ledger.h["owner"])).status_code == 404
    assert (await ledger.move(theirs["id"], "in_progress", "owner")).status_code == 404
    r = await c.post(
        f"{ITEMS}/{theirs['id']}/notes", json={"note_date": "2013-08-01", "text": "x"}, headers=ledger.h["owner"]
    )
    assert r.status_code == 404
    listed = (await c.get(ITEMS, params={"cycle_id": ledger.cycle_id}, headers=ledger.h["owner"])).json()
    assert [i["id"] for i in listed["items"]] == [mine["id"]]
    everything = (await c.get(ITEMS, params={"cycle_id": ledger.cycle_id}, headers=ledger.h["leader"])).json()
    assert everything["total"] == 2
    # Leaders read but do not act.
    assert (await ledger.move(mine["id"], "in_progress", "leader")).status_code == 403
    assert (await c.get(ITEMS, headers=ledger.h["deputy"])).status_code == 403
    assert (await c.get(ITEMS)).status_code == 401
    assert (await c.get(f"{ITEMS}/{mine['id']}")).status_code == 401
    assert (await c.get(f"{ITEMS}/999999", headers=ledger.h["clerk"])).status_code == 404
    assert (await c.get(f"{ITEMS}/0", headers=ledger.h["clerk"])).status_code == 422
    r = await c.post(f"{ITEMS}/{mine['id']}/transitions", json={"to": "finished"}, headers=ledger.h["owner"])
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "to"]
    assert (await c.post(f"{ITEMS}/{mine['id']}/transitions", json={"to": "done"})).status_code == 401


async def test_list_filters(ledger: Ledger, session: AsyncSession) -> None:
    a = await ledger.item(0, category="班子建设", text="班子分工不明确")
    b = await ledger.item(1, category="作风建设", text="作风漂浮")
    await ledger.move(b["id"], "in_progress", "other")
    c = ledger.client

    async def ids(**params: object) -> list[int]:
        r = await c.get(ITEMS, params={"cycle_id": ledger.cycle_id, **params}, headers=ledger.h["clerk"])
        assert r.status_code == 200, r.text
        return [i["id"] for i in r.json()["items"]]

    assert await ids(category="作风建设") == [b["id"]]
    assert await ids(org_id=ledger.org(0)) == [a["id"]]
    assert await ids(status="in_progress") == [b["id"]]
    assert sorted(await ids(status=["open", "in_progress"])) == sorted([a["id"], b["id"]])
    assert await ids(q="作风") == [b["id"]]
    assert await ids(overdue=True) == []
    r = await c.patch(f"{ITEMS}/{a['id']}", json={"due_date": china_today().isoformat()}, headers=ledger.h["clerk"])
    assert r.status_code == 200
    assert await ids(due_soon=True) == [a["id"]]
    # Overdue once the deadline has passed (the due day itself is in time).
    stored = await session.get(LedgerItem, a["id"])
    assert stored is not None
    stored.start_date = china_today() - timedelta(days=100)
    stored.due_date = china_today() - timedelta(days=1)
    await session.flush()
    assert await ids(overdue=True) == [a["id"]]
    assert await ids(overdue=False) == [b["id"]]
    row = (await c.get(f"{ITEMS}/{a['id']}", headers=ledger.h["clerk"])).json()
    assert row["overdue"] is True and row["working_days_left"] < 0
    mine = (await c.get(ITEMS, params={"mine": True, "cycle_id": ledger.cycle_id}, headers=ledger.h["owner"])).json()
    assert [i["id"] for i in mine["items"]] == [a["id"]]
    assert (await c.get(ITEMS, params={"status": "nope"}, headers=ledger.h["clerk"])).status_code == 422
    paged = (await c.get(ITEMS, params={"cycle_id": ledger.cycle_id, "limit": 1}, headers=ledger.h["clerk"])).json()
    assert (paged["total"], len(paged["items"]), paged["limit"]) == (2, 1, 1)


async def test_editing_an_item(ledger: Ledger, session: AsyncSession) -> None:
    item = await ledger.item()
    url = f"{ITEMS}/{item['id']}"
    c = ledger.client
    r = await c.patch(url, json={"measures": "每月召开一次党建例会"}, headers=ledger.h["owner"])
    assert r.status_code == 200 and r.json()["measures"] == "每月召开一次党建例会"
    r = await c.patch(url, json={"title": "改个标题"}, headers=ledger.h["owner"])
    assert r.status_code == 403 and "title" in r.json()["detail"]
    assert (await c.patch(url, json={"measures": "x"}, headers=ledger.h["leader"])).status_code == 403
    assert (await c.patch(url, json={"measures": "x"})).status_code == 401
    assert (await c.patch(f"{ITEMS}/999999", json={"measures": "x"}, headers=ledger.h["clerk"])).status_code == 404
    due = (china_today() + timedelta(days=30)).isoformat()
    r = await c.patch(
        url, json={"title": "班子分工", "category": "作风建设", "due_date": due}, headers=ledger.h["clerk"]
    )
    assert r.status_code == 200
    assert (r.json()["title"], r.json()["category"], r.json()["due_date"]) == ("班子分工", "作风建设", due)
    assert 18 <= r.json()["due_days"] <= 23
    r = await c.patch(url, json={"category": "不存在"}, headers=ledger.h["clerk"])
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "category"]
    r = await c.patch(url, json={"due_date": "2000-01-01"}, headers=ledger.h["clerk"])
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "due_date"]
    r = await c.patch(url, json={"title": None}, headers=ledger.h["clerk"])
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "title"]
    other_secretary = (await c.get(f"{ITEMS}/{item['id']}", headers=ledger.h["clerk"])).json()["owner"]["id"]
    r = await c.patch(url, json={"owner_user_id": other_secretary + 100_000}, headers=ledger.h["clerk"])
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "owner_user_id"]
    r = await c.patch(url, json={"due_date": 20130101}, headers=ledger.h["clerk"])
    assert r.status_code == 422
    detail = (await c.get(url, headers=ledger.h["clerk"])).json()
    assert [e["note"] for e in detail["events"] if e["kind"] == "updated"] == ["measures", "category, due_date, title"]
    assert (await _audit_actions(session, item["id"])).count("ledger.item_update") == 2


async def test_progress_notes(ledger: Ledger, session: AsyncSession) -> None:
    item = await ledger.item()
    url = f"{ITEMS}/{item['id']}/notes"
    c = ledger.client
    today = china_today().isoformat()
    r = await c.post(url, json={"note_date": today, "text": "召开专题会议"}, headers=ledger.h["owner"])
    assert r.status_code == 201 and r.json()["note_date"] == today
    r = await c.post(url, json={"note_date": "2013-08-01", "text": "走访群众"}, headers=ledger.h["clerk"])
    assert r.status_code == 201
    notes = (await c.get(url, headers=ledger.h["leader"])).json()
    assert [n["text"] for n in notes] == ["走访群众", "召开专题会议"]
    future = (china_today() + timedelta(days=3)).isoformat()
    r = await c.post(url, json={"note_date": future, "text": "未来"}, headers=ledger.h["owner"])
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "note_date"]
    r = await c.post(url, json={"note_date": today, "text": ""}, headers=ledger.h["owner"])
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "text"]
    assert (await c.post(url, json={"note_date": today, "text": "x"}, headers=ledger.h["leader"])).status_code == 403
    assert (await c.post(url, json={"note_date": today, "text": "x"})).status_code == 401
    assert (await c.get(f"{ITEMS}/999999/notes", headers=ledger.h["clerk"])).status_code == 404
    assert (await _audit_actions(session, item["id"])).count("ledger.note") == 2


async def test_evidence_upload_download_and_removal(
    ledger: Ledger, session: AsyncSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "var_dir", tmp_path)
    item = await ledger.item()
    url = f"{ITEMS}/{item['id']}/evidence"
    c = ledger.client
    r = await c.post(url, files={"file": ("会议记录.pdf", PDF, "application/pdf")}, headers=ledger.h["owner"])
    assert r.status_code == 201, r.text
    pdf = r.json()
    assert (pdf["filename"], pdf["size_bytes"], pdf["content_type"]) == ("会议记录.pdf", len(PDF), "application/pdf")
    r = await c.post(url, files={"file": ("方案.docx", _docx(), "application/octet-stream")}, headers=ledger.h["clerk"])
    assert r.status_code == 201, r.text
    got = await c.get(f"{url}/{pdf['id']}", headers=ledger.h["leader"])
    assert got.status_code == 200 and got.content == PDF
    r = await c.post(url, files={"file": ("照片.png", PDF, "image/png")}, headers=ledger.h["owner"])
    assert r.status_code == 415 and r.json()["errors"][0]["loc"] == ["body", "file"]
    r = await c.post(url, files={"file": ("脚本.exe", b"MZ", "application/octet-stream")}, headers=ledger.h["owner"])
    assert r.status_code == 415
    r = await c.post(url, files={"file": ("空.pdf", b"", "application/pdf")}, headers=ledger.h["owner"])
    assert r.status_code == 400
    monkeypatch.setattr(get_settings(), "ledger_evidence_max_mb", 1)
    big = b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024 + 1)
    r = await c.post(url, files={"file": ("大图.png", big, "image/png")}, headers=ledger.h["owner"])
    assert r.status_code == 413
    r = await c.post(url, files={"file": ("照片.png", PNG, "image/png")}, headers=ledger.h["leader"])
    assert r.status_code == 403
    assert (await c.post(url, files={"file": ("照片.png", PNG, "image/png")})).status_code == 401
    assert (await c.post(url, headers=ledger.h["owner"])).status_code == 422
    assert (await c.get(f"{url}/999999", headers=ledger.h["owner"])).status_code == 404
    stored = list((tmp_path / "ledger" / str(item["id"])).iterdir())
    assert len(stored) == 2  # refused uploads leave nothing behind
    r = await c.delete(f"{url}/{pdf['id']}", headers=ledger.h["owner"])
    assert r.status_code == 204
    detail = (await c.get(f"{ITEMS}/{item['id']}", headers=ledger.h["owner"])).json()
    assert [e["filename"] for e in detail["evidence"]] == ["方案.docx"]
    assert [e["kind"] for e in detail["events"]][-3:] == ["evidence_added", "evidence_added", "evidence_removed"]
    actions = await _audit_actions(session, item["id"])
    assert actions.count("ledger.evidence_add") == 2 and actions.count("ledger.evidence_remove") == 1


async def test_merging_similar_items_keeps_every_source(ledger: Ledger, session: AsyncSession) -> None:
    a = await ledger.item(text="发展党员偏少")
    b = await ledger.item(text="年轻党员发展慢")
    c_item = await ledger.item(text="党员老化")
    await ledger.client.post(
        f"{ITEMS}/{b['id']}/notes", json={"note_date": "2013-08-01", "text": "已摸底"}, headers=ledger.h["owner"]
    )
    other = await ledger.item(1, text="别的乡镇")
    url = f"{ITEMS}/{a['id']}/merge"
    c = ledger.client
    assert (await c.post(url, json={"item_ids": [b["id"]]}, headers=ledger.h["owner"])).status_code == 403
    assert (await c.post(url, json={"item_ids": [b["id"]]})).status_code == 401
    r = await c.post(url, json={"item_ids": [other["id"]]}, headers=ledger.h["clerk"])
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "item_ids", 0]
    r = await c.post(url, json={"item_ids": [a["id"]]}, headers=ledger.h["clerk"])
    assert r.status_code == 400
    r = await c.post(url, json={"item_ids": [999_999]}, headers=ledger.h["clerk"])
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "item_ids", 0]
    assert (await c.post(url, json={"item_ids": []}, headers=ledger.h["clerk"])).status_code == 422
    r = await c.post(url, json={"item_ids": [b["id"], c_item["id"]]}, headers=ledger.h["clerk"])
    assert r.status_code == 200, r.text
    assert r.json()["opinion_count"] == 3
    detail = (await c.get(f"{ITEMS}/{a['id']}", headers=ledger.h["clerk"])).json()
    assert {o["text"] for o in detail["opinions"]} == {"发展党员偏少", "年轻党员发展慢", "党员老化"}
    assert [n["text"] for n in detail["notes"]] == ["已摸底"]
    assert detail["events"][-1]["kind"] == "merged"
    assert (await c.get(f"{ITEMS}/{b['id']}", headers=ledger.h["clerk"])).status_code == 404
    assert (await c.get("/api/v1/ledger/unfiled-opinions", headers=ledger.h["clerk"])).json() == []
    assert "ledger.merge" in await _audit_actions(session, a["id"])
