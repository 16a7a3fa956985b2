"""The ledger export as CSV: the Excel export's rows, formula-like text defused, the same scoping."""

from __future__ import annotations

import codecs
import csv
import io
from typing import Any

import httpx
from openpyxl import load_workbook

from shuping.core.csvfile import defuse
from shuping.ledger.importer import EXPORT_HEADER
from tests.ledger.support import ITEMS, Ledger

XLSX_EXPORT = "/api/v1/ledger/items.xlsx"
CSV_EXPORT = "/api/v1/ledger/items.csv"


def _csv_rows(r: httpx.Response) -> list[list[str]]:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))


async def _both(ledger: Ledger, who: str, **params: Any) -> tuple[list[list[str]], list[list[str]]]:
    """The Excel export's rows as CSV would write them, and the CSV export's rows."""
    params = {"cycle_id": ledger.cycle_id, **params}
    xlsx = await ledger.client.get(XLSX_EXPORT, params=params, headers=ledger.h[who])
    assert xlsx.status_code == 200, xlsx.text
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    expected = [[defuse(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return expected, _csv_rows(await ledger.client.get(CSV_EXPORT, params=params, headers=ledger.h[who]))


async def test_the_csv_has_the_excel_export_s_header_and_rows(ledger: Ledger) -> None:
    a = await ledger.item(0, text="班子分工不明确")
    b = await ledger.item(1, text='作风漂浮，"下乡"少')
    for item, measures in ((a, "明确分工, 每月通报"), (b, "第一步\n第二步")):
        r = await ledger.client.patch(f"{ITEMS}/{item['id']}", json={"measures": measures}, headers=ledger.h["clerk"])
        assert r.status_code == 200, r.text
    expected, rows = await _both(ledger, "clerk")
    assert rows == expected and len(rows) == 3
    assert rows[0] == EXPORT_HEADER
    by_title = {row[4]: dict(zip(EXPORT_HEADER, row, strict=True)) for row in rows[1:]}
    assert by_title["班子分工不明确"]["编号"] == str(a["id"])
    assert by_title["班子分工不明确"]["整改措施"] == "明确分工, 每月通报"
    assert by_title['作风漂浮，"下乡"少']["整改措施"] == "第一步\n第二步"
    assert {row["状态"] for row in by_title.values()} == {"待整改"}
    r = await ledger.client.get(CSV_EXPORT, params={"cycle_id": ledger.cycle_id}, headers=ledger.h["clerk"])
    disposition = r.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="download.csv"; ')
    assert disposition.endswith("filename*=UTF-8''%E6%95%B4%E6%94%B9%E5%8F%B0%E8%B4%A6.csv")  # 整改台账.csv
    # The filters are the Excel export's.
    expected, rows = await _both(ledger, "clerk", org_id=ledger.org(1))
    assert rows == expected and [row[4] for row in rows[1:]] == ['作风漂浮，"下乡"少']


async def test_measures_that_look_like_formulas_are_defused_in_the_csv(ledger: Ledger) -> None:
    link = '=HYPERLINK("http://evil.example","点我")'
    measures = {"=1+1 班子分工不明确": link, "作风漂浮": "+1 加强督查", "学习不够": "-每周学习", "台账不全": "@SUM(A1)"}
    for title, measure in measures.items():
        item = await ledger.item(0, text=title)
        r = await ledger.client.patch(f"{ITEMS}/{item['id']}", json={"measures": measure}, headers=ledger.h["owner"])
        assert r.status_code == 200, r.text
    expected, rows = await _both(ledger, "clerk")
    assert rows == expected
    assert {row[4]: row[5] for row in rows[1:]} == {
        "'=1+1 班子分工不明确": "'" + link,
        "作风漂浮": "'+1 加强督查",
        "学习不够": "'-每周学习",
        "台账不全": "'@SUM(A1)",
    }


async def test_a_township_secretary_s_csv_holds_only_their_items(ledger: Ledger) -> None:
    await ledger.item(0, text="城关镇的事项")
    await ledger.item(1, text="小店镇的事项")
    for who, title in (("owner", "城关镇的事项"), ("other", "小店镇的事项")):
        expected, rows = await _both(ledger, who)
        assert rows == expected
        assert [row[4] for row in rows[1:]] == [title], who
    expected, rows = await _both(ledger, "owner", org_id=ledger.org(1))
    assert rows == expected == [EXPORT_HEADER]


async def test_csv_export_refusals(ledger: Ledger) -> None:
    assert (await ledger.client.get(CSV_EXPORT)).status_code == 401
    assert (await ledger.client.get(CSV_EXPORT, headers=ledger.h["deputy"])).status_code == 403
    r = await ledger.client.get(CSV_EXPORT, params={"status": "bogus"}, headers=ledger.h["clerk"])
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["query", "status", 0]
