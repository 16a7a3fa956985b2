"""The case export as CSV: the Excel export's rows, formula-like text defused, the same scoping."""

from __future__ import annotations

import codecs
import csv
import io
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import Role
from shuping.config import get_settings
from shuping.core.csvfile import defuse
from shuping.petitions.importer import EXPORT_HEADER
from tests.petitions.support import SECRET, WEBHOOK_URL, signed, sunshine_case
from tests.support.builders import auth_headers, get_org, get_user, make_case, make_user

EXPORT = "/api/v1/petitions/cases/export"


def _csv_rows(r: httpx.Response) -> list[list[str]]:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"), newline="")))


def _xlsx_rows(r: httpx.Response) -> list[list[Any]]:
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def _both(client: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> tuple[list[Any], list[Any]]:
    """The Excel export's rows as CSV would write them, and the CSV export's rows."""
    xlsx = _xlsx_rows(await client.get(EXPORT, params=params, headers=headers))
    rows = _csv_rows(await client.get(EXPORT, params={**params, "format": "csv"}, headers=headers))
    return [[defuse(v) for v in row] for row in xlsx], rows


async def test_the_csv_has_the_excel_export_s_header_and_rows(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = auth_headers(await get_user(session, "clerk"))
    first = await make_case(session, name="欧阳修文", phone="13955556666", summary="CSV导出测试 一")
    await make_case(session, summary='CSV导出测试, 带逗号和"引号"\n第二行', note="备注")
    expected, rows = await _both(client, h, q="CSV导出测试")
    assert rows == expected and len(rows) == 3
    assert rows[0] == EXPORT_HEADER
    assert first.external_id in {row[0] for row in rows[1:]}
    text = " ".join(" ".join(row) for row in rows)
    assert "欧***" in text and "139****6666" in text and "欧阳修文" not in text and "13955556666" not in text
    r = await client.get(EXPORT, params={"q": "CSV导出测试", "format": "csv"}, headers=h)
    disposition = r.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="export.csv"; ')
    assert disposition.endswith("filename*=UTF-8''%E4%BF%A1%E8%AE%BF%E6%A1%88%E4%BB%B6.csv")  # 信访案件.csv
    # Without a format, and with format=xlsx, the export is the workbook it always was.
    for params in ({}, {"format": "xlsx"}):
        r = await client.get(EXPORT, params={"q": "CSV导出测试", **params}, headers=h)
        assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
        assert 'filename="export.xlsx"' in r.headers["content-disposition"]


async def test_pushed_fields_that_look_like_formulas_are_defused_in_the_csv(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "sunshine_secret", SECRET)
    monkeypatch.setattr(get_settings(), "sunshine_secret_previous", None)
    link = '=HYPERLINK("http://evil.example","点我")'
    cases = [
        sunshine_case(external_id="YG-CSVFML-1", category="=1+1", summary=link, note="@SUM(A1)"),
        sunshine_case(external_id="YG-CSVFML-2", category="+城乡建设", summary="-2+3 反映排水", note="a=1 不是公式"),
    ]
    body, headers = signed({"cases": cases})
    r = await client.post(WEBHOOK_URL, content=body, headers=headers)
    assert r.status_code == 200, r.text
    assert [c["result"] for c in r.json()["results"]] == ["created", "created"]
    h = auth_headers(await get_user(session, "admin"))
    expected, rows = await _both(client, h, q="YG-CSVFML-")
    assert rows == expected
    cells = {row[0]: dict(zip(EXPORT_HEADER, row, strict=True)) for row in rows[1:]}
    first, second = cells["YG-CSVFML-1"], cells["YG-CSVFML-2"]
    assert (first["类别"], first["摘要"], first["备注"]) == ("'=1+1", "'" + link, "'@SUM(A1)")
    assert (second["类别"], second["摘要"], second["备注"]) == ("'+城乡建设", "'-2+3 反映排水", "a=1 不是公式")
    # The workbook keeps the text as it came, as text.
    xlsx = _xlsx_rows(await client.get(EXPORT, params={"q": "YG-CSVFML-1"}, headers=h))
    assert xlsx[1][3:5] == ["=1+1", link]


async def test_a_township_clerk_s_csv_holds_what_their_workbook_holds(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    xiaodian, chengguan = await get_org(session, "410326104"), await get_org(session, "410326101")
    clerk = auth_headers(await make_user(session, role=Role.clerk, org_id=xiaodian.id))
    own = await make_case(session, org=xiaodian, summary="CSV范围测试")
    theirs = await make_case(session, org=chengguan, summary="CSV范围测试")
    expected, rows = await _both(client, clerk)
    assert rows == expected
    numbers = {row[0] for row in rows[1:]}
    assert own.external_id in numbers and theirs.external_id not in numbers
    county = auth_headers(await get_user(session, "clerk"))
    everything = _csv_rows(await client.get(EXPORT, params={"format": "csv"}, headers=county))
    assert theirs.external_id in {row[0] for row in everything[1:]} and len(everything) > len(rows)


async def test_csv_export_refusals(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = auth_headers(await get_user(session, "clerk"))
    for bad in ("xls", "CSV", ""):
        r = await client.get(EXPORT, params={"format": bad}, headers=h)
        assert r.status_code == 422, (bad, r.text)
        assert r.json()["errors"][0]["loc"] == ["query", "format"]
    assert (await client.get(EXPORT, params={"format": "csv"})).status_code == 401
    secretary = auth_headers(await get_user(session, "s410326104"))
    assert (await client.get(EXPORT, params={"format": "csv"}, headers=secretary)).status_code == 403
