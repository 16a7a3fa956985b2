"""Paper import, Excel export, the follow-up report and the public board."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import httpx
from docx import Document
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.core.xlsx import Workbook as XlsxWriter
from shuping.cycles.models import CycleStage
from shuping.ledger.importer import EXPORT_HEADER
from shuping.ledger.models import LedgerItem, Opinion
from tests.ledger.support import ITEMS, Ledger, make_ledger, opinions_url, publish
from tests.ledger.test_opinions import _close, _hold_meeting
from tests.support.workbooks import formula_like_cells

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOARD = "/api/v1/public/ledger-board"


def _sheet(rows: list[list[Any]], header: list[str] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header or ["乡镇（单位）", "类别", "意见建议", "整改措施", "整改时限（工作日）"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def _upload(ledger: Ledger, content: bytes, *, dry_run: bool, who: str = "clerk") -> httpx.Response:
    return await ledger.client.post(
        f"{opinions_url(ledger.cycle_id)}/imports",
        params={"dry_run": dry_run},
        files={"file": ("paper.xlsx", content, XLSX)},
        headers=ledger.h[who],
    )


async def _count(session: AsyncSession, ledger: Ledger) -> int:
    stmt = select(func.count()).select_from(Opinion).where(Opinion.cycle_id == ledger.cycle_id)
    return int(await session.scalar(stmt) or 0)


async def test_paper_import_dry_run_then_apply(ledger: Ledger, session: AsyncSession) -> None:
    content = _sheet(
        [
            ["410326101", "班子建设", "班子成员分工不明确", "明确分工", 30],
            ["小店镇", "作风建设", "干部深入基层不够", None, None],
        ]
    )
    r = await _upload(ledger, content, dry_run=True)
    assert r.status_code == 200, r.text
    assert (r.json()["dry_run"], r.json()["applied"], r.json()["rows"], r.json()["created"]) == (True, False, 2, 2)
    assert await _count(session, ledger) == 0
    r = await _upload(ledger, content, dry_run=False)
    assert r.json()["applied"] is True and r.json()["created"] == 2
    assert await _count(session, ledger) == 2
    items = (await ledger.client.get(ITEMS, params={"cycle_id": ledger.cycle_id}, headers=ledger.h["clerk"])).json()
    by_title = {i["title"]: i for i in items["items"]}
    assert by_title["班子成员分工不明确"]["measures"] == "明确分工" and by_title["班子成员分工不明确"]["due_days"] == 30
    assert by_title["干部深入基层不够"]["org"]["id"] == ledger.org(1)
    opinions = (await ledger.client.get(opinions_url(ledger.cycle_id), headers=ledger.h["clerk"])).json()["items"]
    assert {o["source"] for o in opinions} == {"paper"} and all(o["anonymous"] for o in opinions)
    assert await session.scalar(select(func.count()).where(AuditEntry.action == "opinion.import")) == 1
    # The same sheet again would duplicate every opinion: refused row by row, nothing applied.
    again = await _upload(ledger, content, dry_run=False)
    assert again.json()["applied"] is False and len(again.json()["errors"]) == 2
    assert await _count(session, ledger) == 2


async def test_one_bad_row_applies_nothing_and_the_error_sheet_names_it(ledger: Ledger, session: AsyncSession) -> None:
    content = _sheet(
        [
            ["410326101", "班子建设", "好的一行", None, None],
            ["不存在乡", "班子建设", "坏的机构", None, None],
            ["410326101", "不存在类", "坏的类别", None, "abc"],
            ["410326101", "班子建设", "好的一行", None, None],
        ]
    )
    r = await _upload(ledger, content, dry_run=False)
    body = r.json()
    assert r.status_code == 200 and body["applied"] is False and body["created"] == 0
    problems = {(e["row"], e["column"]) for e in body["errors"]}
    assert problems == {(3, "org"), (4, "category"), (4, "due_days"), (5, "text")}
    assert await _count(session, ledger) == 0
    sheet = await ledger.client.get(
        f"{opinions_url(ledger.cycle_id)}/imports/{body['import_id']}/errors", headers=ledger.h["clerk"]
    )
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith(XLSX)
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][0] == "行号" and [r[0] for r in rows[1:]] == [3, 4, 5]
    assert "不存在乡" in rows[1] and "category" in str(rows[2][-1])
    missing = await ledger.client.get(
        f"{opinions_url(ledger.cycle_id)}/imports/999999/errors", headers=ledger.h["clerk"]
    )
    assert missing.status_code == 404


async def test_import_refusals(ledger: Ledger) -> None:
    url = f"{opinions_url(ledger.cycle_id)}/imports"
    assert (await ledger.client.post(url, files={"file": ("a.xlsx", b"x", XLSX)})).status_code == 401
    r = await _upload(ledger, _sheet([]), dry_run=True, who="owner")
    assert r.status_code == 403
    r = await _upload(ledger, b"not a workbook", dry_run=True)
    assert r.status_code == 400 and r.json()["type"].endswith("/unreadable-file")
    r = await _upload(ledger, _sheet([["x"]], header=["随便"]), dry_run=True)
    assert r.status_code == 400 and "Missing columns" in r.json()["detail"]
    r = await _upload(ledger, _sheet([]), dry_run=True)
    assert r.status_code == 200 and r.json()["errors"][0]["message"] == "the sheet has no opinions"
    assert (await ledger.client.post(url, headers=ledger.h["clerk"])).status_code == 422
    template = await ledger.client.get(f"{url}/template", headers=ledger.h["clerk"])
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    assert [c.value for c in book.worksheets[0][1]] == [
        "乡镇（单位）",
        "类别",
        "意见建议",
        "整改措施",
        "整改时限（工作日）",
    ]
    assert "班子建设" in [r[0] for r in book.worksheets[1].iter_rows(values_only=True)]
    assert (await ledger.client.get(f"{url}/template", headers=ledger.h["owner"])).status_code == 403


async def test_a_csv_saved_by_chinese_excel_imports_like_the_workbook(ledger: Ledger) -> None:
    header = "乡镇（单位）,类别,意见建议,整改措施,整改时限（工作日）"
    text = f"{header}\r\n410326101,班子建设,班子成员分工不明确,明确分工,30\r\n"
    for encoding in ("gbk", "utf-8-sig"):
        r = await ledger.client.post(
            f"{opinions_url(ledger.cycle_id)}/imports",
            params={"dry_run": True},
            files={"file": ("意见建议.csv", text.encode(encoding), "text/csv")},
            headers=ledger.h["clerk"],
        )
        assert r.status_code == 200, r.text
        assert (r.json()["rows"], r.json()["created"], r.json()["errors"]) == (1, 1, [])


async def test_export_has_chinese_headers_and_the_items(ledger: Ledger) -> None:
    await ledger.item(0, text="班子分工不明确")
    await ledger.item(1, text="作风漂浮")
    r = await ledger.client.get(
        "/api/v1/ledger/items.xlsx", params={"cycle_id": ledger.cycle_id}, headers=ledger.h["clerk"]
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith(XLSX)
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert list(rows[0]) == EXPORT_HEADER and rows[0][:3] == ("编号", "评议周期", "乡镇（单位）")
    assert {row[4] for row in rows[1:]} == {"班子分工不明确", "作风漂浮"}
    assert {row[7] for row in rows[1:]} == {"待整改"}
    own = await ledger.client.get(
        "/api/v1/ledger/items.xlsx", params={"cycle_id": ledger.cycle_id}, headers=ledger.h["owner"]
    )
    assert len(list(load_workbook(io.BytesIO(own.content)).active.iter_rows())) == 2  # type: ignore[union-attr]
    assert (await ledger.client.get("/api/v1/ledger/items.xlsx")).status_code == 401


async def test_followup_report_as_a_page_and_a_word_document(ledger: Ledger) -> None:
    a = await ledger.item(0, category="班子建设", text="班子分工不明确")
    await ledger.item(0, category="作风建设", text="作风漂浮")
    await ledger.move(a["id"], "in_progress", "owner")
    await ledger.client.post(
        f"{ITEMS}/{a['id']}/notes", json={"note_date": "2013-09-01", "text": "已调整分工"}, headers=ledger.h["owner"]
    )
    params = {"cycle_id": ledger.cycle_id, "org_id": ledger.org(0)}
    r = await ledger.client.get("/api/v1/ledger/followup", params=params, headers=ledger.h["owner"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["figures"]["total"] == 2 and body["figures"]["in_progress"] == 1
    assert [i["title"] for i in body["items"]] == ["班子分工不明确", "作风漂浮"]
    assert body["items"][0]["latest_note"] == "已调整分工"
    doc = await ledger.client.get("/api/v1/ledger/followup.docx", params=params, headers=ledger.h["clerk"])
    assert doc.status_code == 200 and doc.content[:2] == b"PK"
    text = "\n".join(p.text for p in Document(io.BytesIO(doc.content)).paragraphs)
    assert "城关镇述职评议意见建议整改落实情况专题汇报" in text and "共有整改事项 2 项" in text
    cells = [c.text for t in Document(io.BytesIO(doc.content)).tables for row in t.rows for c in row.cells]
    assert "班子分工不明确" in cells and "整改中" in cells
    other = {"cycle_id": ledger.cycle_id, "org_id": ledger.org(1)}
    assert (
        await ledger.client.get("/api/v1/ledger/followup", params=other, headers=ledger.h["owner"])
    ).status_code == 403
    assert (await ledger.client.get("/api/v1/ledger/followup", params=params)).status_code == 401
    missing = {"cycle_id": 999_999, "org_id": ledger.org(0)}
    assert (
        await ledger.client.get("/api/v1/ledger/followup", params=missing, headers=ledger.h["clerk"])
    ).status_code == 404
    r = await ledger.client.get("/api/v1/ledger/followup", params={"cycle_id": 1}, headers=ledger.h["clerk"])
    assert r.status_code == 422 and ["query", "org_id"] in [e["loc"] for e in r.json()["errors"]]


async def test_the_public_board_needs_no_login_and_names_no_one(ledger: Ledger, session: AsyncSession) -> None:
    a = await ledger.item(0, category="班子建设", text="班子分工不明确，张三反映")
    await ledger.client.patch(f"{ITEMS}/{a['id']}", json={"title": "班子分工不明确"}, headers=ledger.h["clerk"])
    b = await ledger.item(1, category="作风建设", text="作风漂浮")
    await ledger.move(a["id"], "in_progress", "owner", "秘密备注")
    # The board shows a cycle once its results are published, and the items marked public.
    await publish(session, ledger.cycle_id)
    assert (await ledger.show(a["id"], "班子分工不明确")).status_code == 200
    assert (await ledger.show(b["id"], "改进工作作风")).status_code == 200
    r = await ledger.client.get(BOARD, params={"cycle_id": ledger.cycle_id})
    assert r.status_code == 200 and r.headers["cache-control"] == "public, max-age=60"
    body = r.json()
    assert body["cycle"]["id"] == ledger.cycle_id and body["total"]["total"] == 2
    assert [o["org"]["id"] for o in body["orgs"]] == [ledger.org(0), ledger.org(1)]
    first = body["orgs"][0]["items"][0]
    assert set(first) == {"id", "title", "category", "measures", "status", "due_date", "overdue"}
    text = r.text
    owner = (await ledger.client.get(f"{ITEMS}/{a['id']}", headers=ledger.h["clerk"])).json()["owner"]["full_name"]
    for secret in (owner, "张三", "秘密备注", "clerk", "admin"):
        assert secret not in text
    assert (await ledger.client.get(BOARD, params={"cycle_id": 999_999})).status_code == 404
    assert (await ledger.client.get(BOARD, params={"cycle_id": "x"})).status_code == 422
    latest = await ledger.client.get(BOARD)
    assert latest.status_code == 200 and latest.json()["cycles"]


def test_import_template_drops_control_characters_from_names() -> None:
    """Names typed elsewhere may hold control characters; the template still opens."""
    import io

    from openpyxl import load_workbook

    from shuping.ledger import importer

    data = importer.template(["班子\x01建设"], [("410326104", "小店\x02镇")])
    book = load_workbook(io.BytesIO(data))
    values = [c.value for row in book["说明"].iter_rows() for c in row if c.value]
    assert "班子建设" in values and "小店镇" in values


async def test_the_followup_document_drops_control_characters(ledger: Ledger, session: AsyncSession) -> None:
    """Found by the contract run: a cycle named with a control character made the .docx a 500."""
    ledger.ev.cycle.name = "2013年\x01上半年"
    await session.flush()
    await ledger.item(0, category="班子建设", text="班子分工不明确")
    # The API refuses control characters now (core.hardening); rows stored before, or by hand, may still hold one.
    await session.execute(update(Opinion).where(Opinion.text == "班子分工不明确").values(text="班子分工\x02不明确"))
    await session.execute(
        update(LedgerItem).where(LedgerItem.title == "班子分工不明确").values(title="班子分工\x02不明确")
    )
    params = {"cycle_id": ledger.cycle_id, "org_id": ledger.org(0)}
    doc = await ledger.client.get("/api/v1/ledger/followup.docx", params=params, headers=ledger.h["clerk"])
    assert doc.status_code == 200, doc.text
    document = Document(io.BytesIO(doc.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "（2013年上半年）" in text and "班子建设" in text
    assert "班子分工不明确" in [c.text for t in document.tables for row in t.rows for c in row.cells]


LINK = '=HYPERLINK("http://evil.example","点我")'


async def test_a_secretary_s_measures_that_look_like_a_formula_are_exported_as_text(ledger: Ledger) -> None:
    item = await ledger.item(0, text="=1+1 班子分工不明确")
    r = await ledger.client.patch(f"{ITEMS}/{item['id']}", json={"measures": LINK}, headers=ledger.h["owner"])
    assert r.status_code == 200, r.text
    r = await ledger.client.get(
        "/api/v1/ledger/items.xlsx", params={"cycle_id": ledger.cycle_id}, headers=ledger.h["clerk"]
    )
    assert r.status_code == 200
    assert formula_like_cells(r.content) == {"整改台账!E2": "=1+1 班子分工不明确", "整改台账!F2": LINK}
    assert "<f>" not in zipfile.ZipFile(io.BytesIO(r.content)).read("xl/worksheets/sheet1.xml").decode()


async def test_an_anonymous_ballot_comment_that_looks_like_a_formula_is_exported_as_text(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    ledger = await make_ledger(client, session, stage=CycleStage.evaluation)
    comment = '=HYPERLINK("http://evil.example","村里喝酒误事")'
    mid = await _hold_meeting(ledger, [("deputies", {"comment": comment, "comment_category": "作风建设"})])
    await _close(ledger, mid)
    r = await client.post(f"{opinions_url(ledger.cycle_id)}/from-ballots", headers=ledger.h["clerk"])
    assert r.status_code == 200 and r.json()["created"] == 1
    r = await client.get("/api/v1/ledger/items.xlsx", params={"cycle_id": ledger.cycle_id}, headers=ledger.h["clerk"])
    assert r.status_code == 200
    assert formula_like_cells(r.content) == {"整改台账!E2": comment}


async def test_the_error_sheet_echoes_an_uploaded_formula_as_text(ledger: Ledger) -> None:
    upload = io.BytesIO()
    with XlsxWriter(upload) as book:
        sheet = book.sheet("意见建议")
        sheet.row(["乡镇（单位）", "类别", "意见建议", "整改措施", "整改时限（工作日）"])
        sheet.row(["不存在乡", "班子建设", "=1+1", LINK, None])
    r = await _upload(ledger, upload.getvalue(), dry_run=True)
    assert r.status_code == 200 and {e["row"] for e in r.json()["errors"]} == {2}
    sheet = await ledger.client.get(
        f"{opinions_url(ledger.cycle_id)}/imports/{r.json()['import_id']}/errors", headers=ledger.h["clerk"]
    )
    assert sheet.status_code == 200
    assert formula_like_cells(sheet.content) == {"错误!D2": "=1+1", "错误!E2": LINK}


def test_the_import_template_writes_names_that_look_like_formulas_as_text() -> None:
    from shuping.ledger import importer

    data = importer.template(["=1+1"], [("+410326104", LINK)])
    assert formula_like_cells(data) == {
        "意见建议!A2": LINK,
        "意见建议!B2": "=1+1",
        "说明!A2": "=1+1",
        "说明!A5": "+410326104",
        "说明!B5": LINK,
    }
