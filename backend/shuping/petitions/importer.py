"""Excel/CSV import of Sunshine cases (dry run, row errors, all or nothing) and the spreadsheets we write."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import User
from shuping.core import calendar as cal
from shuping.core import csvfile, tables
from shuping.core.i18n import N_, message_of
from shuping.core.tables import Record, cell_text
from shuping.core.xlsx import Cell, Style, Workbook
from shuping.db import utcnow
from shuping.petitions import service, sunshine
from shuping.petitions.errors import PayloadTooLarge
from shuping.petitions.models import DEFAULT_SOURCE, Satisfaction, SyncKind, SyncRun, SyncStatus, Via
from shuping.petitions.schemas import CaseRead, CaseResult, ImportResult, RowError, SunshineCase
from shuping.petitions.statemachine import CaseStatus

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
MAX_STORED_ERRORS = 2_000
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"

# (field, Chinese header): the sheet's columns, in order. Either header names a column.
COLUMNS: list[tuple[str, str]] = [
    ("external_id", "案件编号"),
    ("org_code", "乡镇代码"),
    ("department_code", "部门代码"),
    ("category", "类别"),
    ("summary", "摘要"),
    ("petitioner_name", "信访人"),
    ("petitioner_phone", "联系电话"),
    ("received_at", "受理日期"),
    ("status", "状态"),
    ("updated_at", "更新时间"),
    ("note", "备注"),
    ("satisfaction", "满意度"),
]
REQUIRED = ("external_id", "category", "summary", "received_at", "status")
_HEADERS = {h.strip().lower(): f for f, zh in COLUMNS for h in (f, zh)}
STATUS_LABELS: dict[CaseStatus, str] = {
    CaseStatus.accepted: "受理",
    CaseStatus.in_progress: "办理中",
    CaseStatus.assigned: "交办",
    CaseStatus.transferred: "转办",
    CaseStatus.resolved: "已化解",
    CaseStatus.closed: "已办结",
}
_STATUS_BY_LABEL = {label: status for status, label in STATUS_LABELS.items()} | {s.value: s for s in CaseStatus}
# The petitioner's rating of a closed case; a blank cell (or 未评价) is no rating.
SATISFACTION_LABELS: dict[Satisfaction, str] = {
    Satisfaction.satisfied: "满意",
    Satisfaction.basically_satisfied: "基本满意",
    Satisfaction.dissatisfied: "不满意",
}
_SATISFACTION_BY_LABEL: dict[str, Satisfaction | None] = (
    {label: s for s, label in SATISFACTION_LABELS.items()} | {s.value: s for s in Satisfaction} | {"未评价": None}
)


# ---------------------------------------------------------------- validating


def _when(value: Any, *, as_date: bool) -> Any:
    """Spreadsheet dates are Beijing local times; give them the +08:00 offset the API requires."""
    if isinstance(value, datetime):
        return value.date() if as_date else (value if value.tzinfo else value.replace(tzinfo=cal.CHINA_TZ))
    if isinstance(value, date):
        return value if as_date else datetime.combine(value, time(), cal.CHINA_TZ)
    text = cell_text(value)
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("/", "-"))
    except ValueError:
        return text  # left for the schema to refuse with its message
    if as_date and parsed.tzinfo is None:
        return parsed.date()
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=cal.CHINA_TZ)


def to_case(row: Record, imported_at: datetime) -> SunshineCase | list[RowError]:
    v = row.values
    status_text = cell_text(v.get("status"))
    data: dict[str, Any] = {
        "external_id": cell_text(v.get("external_id")),
        "org_code": cell_text(v.get("org_code")) or None,
        "department_code": cell_text(v.get("department_code")) or None,
        "category": cell_text(v.get("category")),
        "summary": cell_text(v.get("summary")),
        "petitioner_name": cell_text(v.get("petitioner_name")),
        "petitioner_phone": cell_text(v.get("petitioner_phone")),
        "received_at": _when(v.get("received_at"), as_date=True),
        "status": _STATUS_BY_LABEL.get(status_text, status_text),
        "updated_at": _when(v.get("updated_at"), as_date=False) or imported_at,
        "note": cell_text(v.get("note")) or None,
        "satisfaction": _SATISFACTION_BY_LABEL.get(rating, rating)
        if (rating := cell_text(v.get("satisfaction")))
        else None,
    }
    try:
        return SunshineCase.model_validate(data)
    except ValidationError as exc:
        return [
            RowError(row=row.number, column=str(e["loc"][0]) if e["loc"] else None, message=e["msg"])
            for e in exc.errors()
        ]


# ---------------------------------------------------------------- applying


async def import_file(
    session: AsyncSession, *, content: bytes, filename: str, dry_run: bool, actor: User
) -> ImportResult:
    """Check every row; apply them all, or (dry run, or any row wrong) none; log the run either way."""
    if len(content) > MAX_IMPORT_BYTES:
        raise PayloadTooLarge(N_("A file may have at most {value} MiB", value=MAX_IMPORT_BYTES // (1024 * 1024)))
    table = await tables.read(content, filename, max_rows=MAX_IMPORT_ROWS)
    rows = table.keyed(_HEADERS, [(f, zh) for f, zh in COLUMNS if f in REQUIRED])
    imported_at = utcnow()
    errors: list[RowError] = []
    parsed: list[tuple[Record, SunshineCase]] = []
    seen: dict[str, int] = {}
    for row in rows:
        checked = to_case(row, imported_at)
        if isinstance(checked, list):
            errors.extend(checked)
            continue
        if checked.external_id in seen:
            errors.append(
                RowError(
                    row=row.number,
                    column="external_id",
                    message=N_(
                        "case {external_id} is also on row {seen}",
                        external_id=checked.external_id,
                        seen=seen[checked.external_id],
                    ),
                )
            )
            continue
        seen[checked.external_id] = row.number
        parsed.append((row, checked))

    counts: dict[str, int] = {"created": 0, "updated": 0, "unchanged": 0, "stale": 0}
    who = service.Who(actor, Via.import_, actor.full_name)
    orgs = sunshine.OrgLookup(session)
    # Apply in a savepoint even for a dry run: the dry run then predicts exactly what would happen.
    savepoint = await session.begin_nested()
    try:
        for row, item in parsed:
            result: CaseResult
            try:
                result = await sunshine.apply_external(session, item, source=DEFAULT_SOURCE, who=who, orgs=orgs)
            except sunshine.ExternalCaseError as exc:
                errors.append(RowError(row=row.number, column=None, message=message_of(exc)))
                continue
            counts[result.result] = counts.get(result.result, 0) + 1
    except BaseException:
        await savepoint.rollback()
        raise
    applied = not dry_run and not errors
    if applied:
        await savepoint.commit()
    else:
        await savepoint.rollback()

    errors.sort(key=lambda e: e.row)
    values_by_row = {row.number: {k: cell_text(v) for k, v in row.values.items()} for row in rows}
    run = SyncRun(
        source=DEFAULT_SOURCE,
        kind=SyncKind.import_,
        status=SyncStatus.ok if not errors else SyncStatus.failed,
        dry_run=dry_run,
        file_name=filename[:255],
        received=len(rows),
        created=counts["created"] if applied else 0,
        updated=counts["updated"] if applied else 0,
        unchanged=counts["unchanged"] if applied else 0,
        stale=counts["stale"] if applied else 0,
        failed=len({e.row for e in errors}),
        finished_at=utcnow(),
        error=None if not errors else f"{len(errors)} problems on {len({e.row for e in errors})} rows; nothing applied",
        errors=[{**e.model_dump(), "values": values_by_row.get(e.row, {})} for e in errors[:MAX_STORED_ERRORS]],
        actor_id=actor.id,
    )
    session.add(run)
    await session.flush()
    return ImportResult(
        run_id=run.id,
        dry_run=dry_run,
        applied=applied,
        rows=len(rows),
        created=counts["created"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        stale=counts["stale"],
        errors=errors,
    )


# ---------------------------------------------------------------- writing (worker thread)


def _workbook(title: str, header: list[str], rows: list[list[Cell]]) -> bytes:
    """One sheet: a bold header kept in view, then the rows (text stays text, never a formula)."""
    out = io.BytesIO()
    with Workbook(out) as book:
        sheet = book.sheet(title, freeze="A2")
        sheet.row(header, style=Style.bold)
        for r in rows:
            sheet.row(r)
    return out.getvalue()


def error_sheet(errors: list[dict[str, Any]]) -> bytes:
    """The failed rows as uploaded, each with its problems in a last column, to fix and upload again."""
    header = ["行号 row", *[zh for _, zh in COLUMNS], "错误 error"]
    by_row: dict[int, dict[str, Any]] = {}
    for e in errors:
        entry = by_row.setdefault(int(e["row"]), {"values": e.get("values", {}), "messages": []})
        where = f"{e['column']}: " if e.get("column") else ""
        entry["messages"].append(f"{where}{e['message']}")
    rows: list[list[Cell]] = [
        [number, *[str(entry["values"].get(f) or "") for f, _ in COLUMNS], "; ".join(entry["messages"])]
        for number, entry in sorted(by_row.items())
    ]
    return _workbook("errors", header, rows)


EXPORT_HEADER = [zh for _, zh in COLUMNS] + ["截止日期", "超期"]


def export_rows(cases: list[CaseRead]) -> list[list[Cell]]:
    """Cases in the import layout (petitioners masked, as stored), one a row under `EXPORT_HEADER`."""
    return [
        [
            c.external_id,
            c.org.code if c.org else "",
            c.department.code if c.department else "",
            c.category,
            c.summary,
            c.petitioner_name,
            c.petitioner_phone,
            c.received_date.isoformat(),
            STATUS_LABELS[c.status],
            c.external_updated_at.astimezone(cal.CHINA_TZ).isoformat() if c.external_updated_at else "",
            c.note or "",
            SATISFACTION_LABELS[c.satisfaction] if c.satisfaction else "",
            c.due_date.isoformat() if c.due_date else "",
            "是" if c.overdue else "",
        ]
        for c in cases
    ]


def export_sheet(cases: list[CaseRead]) -> bytes:
    """The cases as a workbook in the import layout, so an export can be imported again."""
    return _workbook("cases", EXPORT_HEADER, export_rows(cases))


def export_csv(cases: list[CaseRead]) -> bytes:
    """The same rows as `export_sheet` in a CSV file, text a spreadsheet would run defused."""
    return csvfile.write(EXPORT_HEADER, export_rows(cases))
