"""Excel/CSV import of opinions gathered on paper (dry run, row errors, all or nothing) and the ledger's workbooks."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import User
from shuping.core import csvfile, tables
from shuping.core.errors import NotFound
from shuping.core.i18n import N_
from shuping.core.tables import Record, cell_text
from shuping.core.xlsx import Cell, Style, Workbook
from shuping.cycles.models import Cycle
from shuping.db import utcnow
from shuping.ledger import service
from shuping.ledger import statemachine as sm
from shuping.ledger.errors import FileTooLarge
from shuping.ledger.models import Opinion, OpinionImport, OpinionSource
from shuping.ledger.schemas import ItemRead, OpinionImportResult, RowError
from shuping.orgs.models import Organization
from shuping.reports.models import Report

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 5_000
MAX_STORED_ERRORS = 2_000
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"

# (field, Chinese header): the sheet's columns, in order. Either header names a column.
COLUMNS: list[tuple[str, str]] = [
    ("org", "乡镇（单位）"),
    ("category", "类别"),
    ("text", "意见建议"),
    ("measures", "整改措施"),
    ("due_days", "整改时限（工作日）"),
]
REQUIRED = ("org", "category", "text")
_ALIASES = {"乡镇": "org", "单位": "org", "乡镇(单位)": "org", "整改时限": "due_days", "整改时限(工作日)": "due_days"}
_HEADERS = {h.strip().lower(): f for f, zh in COLUMNS for h in (f, zh)} | _ALIASES

STATUS_LABELS: dict[sm.ItemStatus, str] = {
    sm.ItemStatus.open: "待整改",
    sm.ItemStatus.in_progress: "整改中",
    sm.ItemStatus.done: "已完成",
    sm.ItemStatus.verified: "已验收",
    sm.ItemStatus.rejected: "不予整改",
}


# --- checking and applying -------------------------------------------------------------------


@dataclass
class Checked:
    row: Record
    org: Organization
    category: str
    text: str
    measures: str | None
    due_days: int | None


def _check(
    row: Record, orgs: dict[str, Organization], categories: list[str], seen: dict[tuple[int, str], int]
) -> Checked | list[RowError]:
    errors: list[RowError] = []

    def fail(column: str, message: str) -> None:
        errors.append(RowError(row=row.number, column=column, message=message))

    v = {k: cell_text(x) for k, x in row.values.items()}
    for name, value in v.items():
        if "\x00" in value:
            fail(name, N_("contains a NUL character"))
    org = orgs.get(v.get("org", ""))
    if not v.get("org"):
        fail("org", N_("required: the organisation's code or name"))
    elif org is None:
        fail("org", N_("{org} does not report in this cycle", org=v["org"]))
    category = v.get("category", "")
    if category not in categories:
        fail("category", N_("not one of the cycle's categories: {categories}", categories="、".join(categories)))
    text = " ".join(v.get("text", "").split())
    if len(text) < 2:
        fail("text", N_("required: at least 2 characters"))
    elif len(text) > 4000:
        fail("text", N_("at most 4000 characters"))
    measures = v.get("measures") or None
    if measures is not None and len(measures) > 8000:
        fail("measures", N_("at most 8000 characters"))
    due_days: int | None = None
    if v.get("due_days"):
        try:
            due_days = int(v["due_days"])
        except ValueError:
            fail("due_days", N_("a whole number of working days"))
        else:
            if not 1 <= due_days <= 365:
                fail("due_days", N_("from 1 to 365 working days"))
    if org is not None and len(text) >= 2:
        key = (org.id, text)
        if key in seen:
            fail("text", N_("the same opinion for {name} is also on row {seen}", name=org.name, seen=seen[key]))
        else:
            seen[key] = row.number
    if errors or org is None:
        return errors
    return Checked(row, org, category, text, measures, due_days)


async def reporting_orgs(session: AsyncSession, cycle: Cycle) -> dict[str, Organization]:
    """The cycle's reporting organisations, by code and by name."""
    stmt = select(Organization).join(Report, Report.org_id == Organization.id).where(Report.cycle_id == cycle.id)
    out: dict[str, Organization] = {}
    for org in (await session.execute(stmt)).scalars():
        out[org.code] = org
        out.setdefault(org.name, org)
    return out


async def import_file(
    session: AsyncSession, *, cycle: Cycle, content: bytes, filename: str, dry_run: bool, actor: User
) -> OpinionImportResult:
    """Check every row; create every opinion and its item, or (dry run, or any row wrong) none."""
    service.require_staff(actor, cycle)
    service.require_opinion_stage(cycle)
    if len(content) > MAX_IMPORT_BYTES:
        raise FileTooLarge(N_("A file may have at most {value} MiB", value=MAX_IMPORT_BYTES // (1024 * 1024)))
    table = await tables.read(content, filename, max_rows=MAX_IMPORT_ROWS)
    rows = table.keyed(_HEADERS, [(f, zh) for f, zh in COLUMNS if f in REQUIRED])
    orgs = await reporting_orgs(session, cycle)
    categories = await service.categories_of(session, cycle.id)
    errors: list[RowError] = []
    checked: list[Checked] = []
    seen: dict[tuple[int, str], int] = {}
    for row in rows:
        result = _check(row, orgs, categories, seen)
        if isinstance(result, list):
            errors.extend(result)
        else:
            checked.append(result)
    rows_in_db = await session.execute(select(Opinion.org_id, Opinion.text).where(Opinion.cycle_id == cycle.id))
    existing = {(int(org_id), str(text)) for org_id, text in rows_in_db.all()}
    for c in checked:
        if (c.org.id, c.text) in existing:
            errors.append(
                RowError(row=c.row.number, column="text", message=N_("this opinion is in the ledger already"))
            )
    if not rows:
        errors.append(RowError(row=1, column=None, message=N_("the sheet has no opinions")))
    applied = not dry_run and not errors
    if applied:
        for c in checked:
            opinion = Opinion(
                cycle_id=cycle.id,
                org_id=c.org.id,
                category=c.category,
                text=c.text,
                source=OpinionSource.paper,
                created_by_id=actor.id,
                created_at=utcnow(),
            )
            session.add(opinion)
            await session.flush()
            await service.file_opinion(
                session, cycle=cycle, opinion=opinion, actor=actor, measures=c.measures, due_days=c.due_days
            )
    errors.sort(key=lambda e: e.row)
    values = {r.number: {k: cell_text(x) for k, x in r.values.items()} for r in rows}
    run = OpinionImport(
        cycle_id=cycle.id,
        file_name=filename[:255],
        dry_run=dry_run,
        applied=applied,
        rows=len(rows),
        created=len(checked) if applied else 0,
        errors=[{**e.model_dump(), "values": values.get(e.row, {})} for e in errors[:MAX_STORED_ERRORS]],
        actor_id=actor.id,
        created_at=utcnow(),
    )
    session.add(run)
    await session.flush()
    if applied:
        await audit.record(
            session,
            actor=actor,
            action="opinion.import",
            entity_type="cycle",
            entity_id=cycle.id,
            data={"import_id": run.id, "file": run.file_name, "created": run.created},
        )
    return OpinionImportResult(
        import_id=run.id,
        dry_run=dry_run,
        applied=applied,
        rows=len(rows),
        created=len(checked) if not errors else 0,
        errors=errors,
    )


async def get_import(session: AsyncSession, cycle: Cycle, import_id: int) -> OpinionImport:
    run = await session.get(OpinionImport, import_id)
    if run is None or run.cycle_id != cycle.id:
        raise NotFound(N_("Cycle {id} has no opinion import {import_id}", id=cycle.id, import_id=import_id))
    return run


# --- writing (worker thread) -----------------------------------------------------------------


def workbook(title: str, header: list[str], rows: list[list[Cell]], widths: list[int] | None = None) -> bytes:
    """One sheet: a bold header kept in view, then the rows (text stays text, never a formula)."""
    out = io.BytesIO()
    with Workbook(out) as book:
        _table(book, title, header, rows, widths)
    return out.getvalue()


def _table(book: Workbook, title: str, header: list[str], rows: list[list[Cell]], widths: list[int] | None) -> None:
    sheet = book.sheet(title, widths=widths or (), freeze="A2")
    sheet.row(header, style=Style.label)
    for r in rows:
        sheet.row(r)


def template(categories: list[str], orgs: list[tuple[str, str]]) -> bytes:
    """An empty import sheet with one example row, the cycle's categories and organisations named."""
    example: list[Cell] = [
        orgs[0][1] if orgs else "城关镇",
        categories[0] if categories else "班子建设",
        "（示例）请删除本行",
        "",
        60,
    ]
    out = io.BytesIO()
    with Workbook(out) as book:
        _table(book, "意见建议", [zh for _, zh in COLUMNS], [example], [18, 12, 60, 40, 18])
        notes = book.sheet("说明")
        notes.row(["类别（只能填以下之一）"])
        for c in categories:
            notes.row([c])
        notes.row([])
        notes.row(["乡镇（单位）代码", "名称"])
        for code, name in orgs:
            notes.row([code, name])
    return out.getvalue()


def error_sheet(errors: list[dict[str, Any]]) -> bytes:
    """The failed rows as uploaded, each with its problems in a last column, to fix and upload again."""
    header = ["行号", *[zh for _, zh in COLUMNS], "错误"]
    by_row: dict[int, dict[str, Any]] = {}
    for e in errors:
        entry = by_row.setdefault(int(e["row"]), {"values": e.get("values", {}), "messages": []})
        where = f"{e['column']}: " if e.get("column") else ""
        entry["messages"].append(f"{where}{e['message']}")
    rows: list[list[Cell]] = [
        [number, *[str(entry["values"].get(f) or "") for f, _ in COLUMNS], "; ".join(entry["messages"])]
        for number, entry in sorted(by_row.items())
    ]
    return workbook("错误", header, rows, [8, 18, 12, 60, 40, 18, 60])


EXPORT_HEADER = [
    "编号",
    "评议周期",
    "乡镇（单位）",
    "类别",
    "问题（意见建议）",
    "整改措施",
    "责任人",
    "状态",
    "开始日期",
    "整改时限（工作日）",
    "截止日期",
    "是否超期",
    "完成日期",
    "验收日期",
    "意见条数",
    "说明",
]


def export_rows(items: list[ItemRead]) -> list[list[Cell]]:
    """The ledger (整改台账), one item a row under `EXPORT_HEADER`."""
    return [
        [
            i.id,
            i.cycle.name,
            i.org.name,
            i.category or "未分类",
            i.title,
            i.measures or "",
            i.owner.full_name if i.owner else "",
            STATUS_LABELS[i.status],
            i.start_date.isoformat(),
            i.due_days,
            i.due_date.isoformat(),
            "是" if i.overdue else "否",
            i.done_date.isoformat() if i.done_date else "",
            i.verified_date.isoformat() if i.verified_date else "",
            i.opinion_count,
            i.status_reason or "",
        ]
        for i in items
    ]


def export_sheet(items: list[ItemRead]) -> bytes:
    """The ledger as a workbook with Chinese headers."""
    widths = [8, 30, 16, 12, 50, 50, 12, 10, 12, 10, 12, 8, 12, 12, 8, 30]
    return workbook("整改台账", EXPORT_HEADER, export_rows(items), widths)


def export_csv(items: list[ItemRead]) -> bytes:
    """The same rows as `export_sheet` in a CSV file, text a spreadsheet would run defused."""
    return csvfile.write(EXPORT_HEADER, export_rows(items))
