"""Excel/CSV import: dry run, row errors, all or nothing, re-import updates by case number."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.config import get_settings
from shuping.petitions.importer import COLUMNS
from shuping.petitions.models import PetitionCase
from tests.petitions.support import SECRET, WEBHOOK_URL, signed, sunshine_case
from tests.support.builders import auth_headers, get_user
from tests.support.workbooks import formula_like_cells

IMPORTS = "/api/v1/petitions/imports"
HEADER = [zh for _, zh in COLUMNS]


def _row(number: str, **overrides: Any) -> list[Any]:
    values = {
        "external_id": number,
        "org_code": "410326105",
        "department_code": "410326-D12",
        "category": "涉法涉诉",
        "summary": "对调解结果有异议",
        "petitioner_name": "赵六",
        "petitioner_phone": "13700001234",
        "received_at": "2026-09-01",
        "status": "受理",
        "updated_at": "",
        "note": "",
        "satisfaction": "",
    }
    values.update(overrides)
    return [values[f] for f, _ in COLUMNS]


def _xlsx(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows: list[list[Any]], encoding: str = "utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f for f, _ in COLUMNS])  # English headers work too
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


async def _upload(
    client: httpx.AsyncClient, h: dict[str, str], content: bytes, name: str, *, dry_run: bool
) -> httpx.Response:
    return await client.post(
        IMPORTS, params={"dry_run": str(dry_run).lower()}, files={"file": (name, content)}, headers=h
    )


async def _count(session: AsyncSession, prefix: str) -> int:
    stmt = select(func.count()).select_from(PetitionCase).where(PetitionCase.external_id.like(f"{prefix}%"))
    return int(await session.scalar(stmt) or 0)


async def test_dry_run_then_apply_then_reimport(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = auth_headers(await get_user(session, "clerk"))
    import datetime as dt

    rows = [
        _row("IMP-001"),
        _row("IMP-002", status="已化解", received_at=dt.datetime(2026, 8, 3, 9, 30)),
        _row("IMP-003", org_code="", status="转办"),
    ]
    content = _xlsx(rows)
    r = await _upload(client, h, content, "cases.xlsx", dry_run=True)
    assert r.status_code == 200, r.text
    assert r.json() | {"run_id": 0} == {
        "run_id": 0,
        "dry_run": True,
        "applied": False,
        "rows": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "stale": 0,
        "errors": [],
    }
    assert await _count(session, "IMP-") == 0

    r = await _upload(client, h, content, "cases.xlsx", dry_run=False)
    assert r.json()["applied"] is True and r.json()["created"] == 3
    assert await _count(session, "IMP-") == 3
    case = (await session.execute(select(PetitionCase).where(PetitionCase.external_id == "IMP-002"))).scalar_one()
    assert case.status == "resolved" and case.petitioner_name == "赵*" and str(case.received_date) == "2026-08-03"

    rows[0] = _row("IMP-001", summary="补充了新的情况", status="办理中")
    r = await _upload(client, h, _xlsx(rows), "again.xlsx", dry_run=False)
    assert (r.json()["created"], r.json()["updated"], r.json()["unchanged"]) == (0, 1, 2)
    assert await _count(session, "IMP-") == 3


async def test_any_row_error_applies_nothing(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = auth_headers(await get_user(session, "clerk"))
    rows = [
        _row("BAD-001"),
        _row("BAD-002", status="不知道"),
        _row("BAD-003", received_at="某天"),
        _row("BAD-004", org_code="000000"),
        _row("BAD-001", summary="重复"),
        _row("", summary=""),
    ]
    r = await _upload(client, h, _csv(rows), "bad.csv", dry_run=False)
    assert r.status_code == 200
    body = r.json()
    assert body["applied"] is False and body["rows"] == 6
    by_row: dict[int, list[str]] = {}
    for e in body["errors"]:
        by_row.setdefault(e["row"], []).append(f"{e['column']}: {e['message']}")
    assert sorted(by_row) == [3, 4, 5, 6, 7]
    assert any(m.startswith("status") for m in by_row[3])
    assert any(m.startswith("received_at") for m in by_row[4])
    assert "000000" in by_row[5][0]
    assert "row 2" in by_row[6][0]
    assert await _count(session, "BAD-") == 0

    sheet = await client.get(f"{IMPORTS}/{body['run_id']}/errors", headers=h)
    assert sheet.status_code == 200
    ws = load_workbook(io.BytesIO(sheet.content)).active
    assert ws is not None
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0][0] == "行号 row" and values[0][-1] == "错误 error"
    assert [v[0] for v in values[1:]] == [3, 4, 5, 6, 7]
    assert values[1][1] == "BAD-002" and "status" in str(values[1][-1])
    runs = (await client.get("/api/v1/petitions/sync/runs", params={"kind": "import"}, headers=h)).json()
    assert runs["items"][0]["status"] == "failed" and runs["items"][0]["failed"] == 5


async def test_gb18030_csv_and_unreadable_files(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = auth_headers(await get_user(session, "admin"))
    r = await _upload(client, h, _csv([_row("GBK-001")], encoding="gb18030"), "gbk.csv", dry_run=True)
    assert r.json()["created"] == 1 and r.json()["errors"] == []
    for content, name in [
        (b"\x00\x01garbage", "x.xlsx"),
        (b"PK\x03\x04broken", "x.xlsx"),
        (b"", "x.csv"),
        (b"a,b\n1,2\n", "x.csv"),
        (b"whatever", "x.pdf"),
    ]:
        r = await _upload(client, h, content, name, dry_run=True)
        assert r.status_code == 400, (name, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    r = await _upload(client, h, _xlsx([_row("X")], header=["编号"]), "x.xlsx", dry_run=True)
    assert r.status_code == 400 and "案件编号" in r.json()["detail"]


async def test_import_permissions(client: httpx.AsyncClient, session: AsyncSession) -> None:
    for username in ("leader01", "s410326104"):
        h = auth_headers(await get_user(session, username))
        r = await _upload(client, h, _csv([_row("P-1")]), "p.csv", dry_run=True)
        assert r.status_code == 403
        assert (await client.get(f"{IMPORTS}/1/errors", headers=h)).status_code == 403
    admin = auth_headers(await get_user(session, "admin"))
    assert (await client.get(f"{IMPORTS}/99999999/errors", headers=admin)).status_code == 404


async def test_export_reimports_unchanged(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = auth_headers(await get_user(session, "admin"))
    exported = await client.get("/api/v1/petitions/cases/export", params={"q": "YGXF-DEMO-00"}, headers=h)
    r = await _upload(client, h, exported.content, "export.xlsx", dry_run=True)
    body = r.json()
    assert body["errors"] == [] and body["rows"] == 99
    assert body["unchanged"] == 99


LINK = '=HYPERLINK("http://evil.example","点我")'


async def test_pushed_fields_that_look_like_formulas_are_exported_as_text(
    client: httpx.AsyncClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "sunshine_secret", SECRET)
    monkeypatch.setattr(get_settings(), "sunshine_secret_previous", None)
    case = sunshine_case(external_id="YG-FORMULA-1", category="=1+1", summary=LINK, note="@SUM(A1)")
    body, headers = signed({"cases": [case]})
    r = await client.post(WEBHOOK_URL, content=body, headers=headers)
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["result"] == "created"
    h = auth_headers(await get_user(session, "admin"))
    exported = await client.get("/api/v1/petitions/cases/export", params={"q": "YG-FORMULA-"}, headers=h)
    assert exported.status_code == 200
    assert formula_like_cells(exported.content, first_sheet_only=True) == {"D2": "=1+1", "E2": LINK, "K2": "@SUM(A1)"}


async def test_the_error_sheet_echoes_uploaded_formulas_as_text(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    h = auth_headers(await get_user(session, "clerk"))
    rows = [_row("FML-001", summary=LINK, note="=1+1", status="不知道")]
    r = await _upload(client, h, _csv(rows), "formulas.csv", dry_run=True)
    assert r.status_code == 200 and [e["row"] for e in r.json()["errors"]] == [2]
    sheet = await client.get(f"{IMPORTS}/{r.json()['run_id']}/errors", headers=h)
    assert sheet.status_code == 200
    assert formula_like_cells(sheet.content, first_sheet_only=True) == {"F2": LINK, "L2": "=1+1"}
