"""The cycle workbook written by the project's one writer (`core.xlsx`, which never writes a formula):
the template clerks fill in, and an uploaded workbook given back with its errors marked. Pure
functions over bytes (run them in a worker thread)."""

from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from shuping.core.xlsx import Cell, Sheet, Style, Workbook, column_letter
from shuping.cycles.models import DEFAULT_OPINION_CATEGORIES
from shuping.flows.cycle_workbook import (
    CATEGORIES,
    CATEGORY_COLUMNS,
    CYCLE,
    CYCLE_FIELDS,
    ERROR_HEADER,
    MAX_ROWS,
    METHODS,
    README,
    SUMMARY,
    TABLES,
    TIER_COLUMNS,
    TIER_LABELS,
    TIERS,
    CellError,
    Col,
    NotAWorkbook,
    Table,
    header_text,
)


def example_document(host_code: str, units: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """The example the template is pre-filled with: the issue's township cycle."""
    return {
        "name": "2013年上半年乡镇党委书记抓基层党建述职评议",
        "host_org_code": host_code,
        "period_start": "2013-01-01",
        "period_end": "2013-06-30",
        "report_due_date": "2013-07-10",
        "rubric": {
            "name": "乡镇党委书记抓基层党建工作测评表",
            "tier_fractions": {"good": "1.00", "fairly_good": "0.85", "average": "0.70", "poor": "0.50"},
            "items": [
                {"key": "duty", "title": "履行第一责任人职责", "category": "责任落实", "source": "ballot",
                 "kind": "score", "max_points": 30},
                {"key": "overall", "title": "总体评价", "category": "总体评价", "source": "ballot", "kind": "tier",
                 "max_points": 60},
                {"key": "petition_rate", "title": "信访化解率", "category": "服务群众", "source": "indicator",
                 "formula": "petition_resolution_rate", "max_points": 10},
            ],
            "vetoes": [{"key": "major_incident", "title": "发生重大责任事故"}],
        },
        "groups": [
            {"key": "leaders", "name": "上级领导", "weight": "0.4", "aggregation": "mean", "anonymous": False,
             "expected": 7, "quorum": 1},
            {"key": "deputies", "name": "两代表一委员", "weight": "0.3", "aggregation": "trimmed_mean", "trim": 1,
             "anonymous": True, "expected": 24, "quorum": 1},
            {"key": "members", "name": "党员群众", "weight": "0.3", "aggregation": "trimmed_mean", "trim": 1,
             "anonymous": True, "expected": 60, "quorum": 1},
        ],
        "grading": {"method": "thresholds", "thresholds": {"good": "0.90", "fairly_good": "0.80", "average": "0.60"},
                    "poor_vote_share": "0.3333", "consequence_count": 1, "min_ballots_shown": 3},
        "opinion_categories": list(DEFAULT_OPINION_CATEGORIES),
        "reports": [{"org_code": code, "org_name": name} for code, name in units],
    }  # fmt: skip


def _cell_value(value: Any, kind: str, choices: dict[str, str]) -> Cell:
    if value is None:
        return None
    if kind in ("enum", "label"):
        labels = {v: k for k, v in choices.items()}
        return labels.get(str(value), str(value))
    if kind == "bool":
        return "是" if value else "否"
    if kind == "decimal":
        try:
            d = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        return int(d) if d == d.to_integral_value() else float(d)
    if kind == "date":
        return date.fromisoformat(str(value))
    return _echo(value)


def _echo(value: Any, formula: Any = None) -> Cell:
    """A value as a cell holds it: an uploaded formula that has no computed value comes back as its text."""
    if value is None:
        text = getattr(formula, "text", formula)  # an array formula keeps its text apart
        return text if isinstance(text, str) and text.startswith("=") else None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.date() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, str | int | float | Decimal | date):
        return value
    return str(value)


def _sheet(book: Workbook, name: str, columns: Sequence[Col]) -> Sheet:
    """A sheet headed like the template: red heads with their notes, drop-downs, text columns kept text."""
    sheet = book.sheet(
        name,
        widths=[c.width + 4 for c in columns],
        styles=[Style.text if c.kind == "text" else Style.plain for c in columns],
        freeze="A2",
    )
    sheet.row([c.header + ("*" if c.required else "") if c.header else None for c in columns], style=Style.banner)
    for i, col in enumerate(columns):
        letter = column_letter(i)
        if col.note:
            sheet.note(f"{letter}1", col.note)
        options = list(col.choices) if col.kind == "enum" else ["是", "否"] if col.kind == "bool" else []
        if options:
            sheet.choices(f"{letter}2:{letter}{MAX_ROWS + 1}", options, error="请从下拉列表中选择")
    return sheet


def _write_table(book: Workbook, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    sheet = _sheet(book, table.sheet, table.columns)
    for row in rows:
        sheet.row([_cell_value(row.get(col.name), col.kind, col.choices) for col in table.columns])


README_LINES = (
    "评议周期导入模板",
    "",
    "1. 各工作表已预填示例（2013年上半年乡镇党委书记述职评议），请按实际情况修改或删除示例行后再上传。",
    "2. 带 * 的列为必填；表头单元格的批注说明了填写要求；“来源”“方式”“汇总方式”“匿名”可从下拉列表选择。",
    "3. “周期”表逐项填写周期信息；“测评项”至少要有一个测评票项；各评议组权重之和必须等于 1。",
    "4. “述职单位”须是主办组织的直属下级组织，每个单位一行。",
    "5. 上传后如有错误，系统不会导入任何数据，并提供带“错误”列的工作簿供下载，改正后可直接重新上传。",
    "6. 同样的内容也可以用 JSON 导入（POST /api/v1/cycles/import），格式见项目文档。",
)
CYCLE_COLUMNS = (Col("项目", "label", width=18), Col("值", "value", "any", width=46), Col("说明", "note", width=60))
SUMMARY_COLUMNS = (
    Col("工作表", "sheet", width=12),
    Col("行", "row", "int", width=6),
    Col("列", "column", width=14),
    Col("错误", "msg", width=80),
)
# Each sheet's columns, to head and style an echoed sheet as the template did.
SHEET_COLUMNS: dict[str, tuple[Col, ...]] = {
    CYCLE: CYCLE_COLUMNS,
    **{t.sheet: t.columns for t in TABLES},
    CATEGORIES: CATEGORY_COLUMNS,
    TIERS: TIER_COLUMNS,
}


def build_template(example: dict[str, Any]) -> bytes:
    """The cycle workbook with Chinese headers, notes, drop-downs and the example filled in."""
    out = io.BytesIO()
    with Workbook(out) as book:
        readme = book.sheet(README, widths=[110])
        readme.row([README_LINES[0]], style=Style.title)
        for line in README_LINES[1:]:
            readme.row([line])

        sheet = _sheet(book, CYCLE, CYCLE_COLUMNS)
        for r, (label, path, kind, choices, note) in enumerate(CYCLE_FIELDS, start=2):
            node: Any = example
            for part in path:
                node = node.get(part) if isinstance(node, dict) else None
            sheet.row(
                [label, _cell_value(node, kind, choices), note], marks={1: Style.text} if kind == "text" else None
            )
            if label == "评定方式":
                sheet.choices(f"B{r}", list(METHODS))

        for table in TABLES[:3]:
            node = example
            for part in table.path:
                node = node.get(str(part), {}) if isinstance(node, dict) else {}
            _write_table(book, table, node if isinstance(node, list) else [])

        grading = example.get("grading", {})
        fractions = example.get("rubric", {}).get("tier_fractions", {})
        thresholds = grading.get("thresholds") or {}
        quotas = grading.get("quotas") or {}
        sheet = _sheet(book, TIERS, TIER_COLUMNS)
        for label, tier in TIER_LABELS.items():
            sheet.row(
                [label, *(_cell_value(shares.get(tier), "decimal", {}) for shares in (fractions, thresholds, quotas))]
            )

        _write_table(
            book,
            Table(CATEGORIES, ("opinion_categories",), CATEGORY_COLUMNS),
            [{"name": n} for n in example.get("opinion_categories", [])],
        )
        _write_table(book, TABLES[3], example.get("reports", []))
    return out.getvalue()


def error_workbook(content: bytes, errors: Sequence[CellError]) -> bytes:
    """The uploaded workbook with an error column on each sheet, the bad cells marked, and a summary.

    Written afresh by the project's one writer, so what was uploaded comes back as values and text:
    a formula is echoed as the value it had when uploaded, or as its text when it had none.
    """
    try:
        values = load_workbook(io.BytesIO(content), data_only=True)
        formulas = load_workbook(io.BytesIO(content))
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise NotAWorkbook(str(exc)) from exc
    by_row: dict[tuple[str, int], list[CellError]] = defaultdict(list)
    for e in errors:
        if e.row is not None and e.sheet in values.sheetnames:
            by_row[(e.sheet, e.row)].append(e)
    marked = {sheet for sheet, _ in by_row}
    out = io.BytesIO()
    with Workbook(out) as book:
        summary = _sheet(book, SUMMARY, SUMMARY_COLUMNS)
        for e in errors:
            summary.row([e.sheet, e.row, e.column, e.msg])
        for name in values.sheetnames:
            if name != SUMMARY:
                _echo_sheet(book, values[name], formulas[name], by_row if name in marked else None)
    return out.getvalue()


def _echo_sheet(
    book: Workbook, ws: Worksheet, formulas: Worksheet, by_row: dict[tuple[str, int], list[CellError]] | None
) -> None:
    """Copy one uploaded sheet; with `by_row`, clear any earlier error column and write this upload's errors."""
    rows = [
        [_echo(value, formula) for value, formula in zip(row, formula_row, strict=True)]
        for row, formula_row in zip(ws.iter_rows(values_only=True), formulas.iter_rows(values_only=True), strict=True)
    ]
    header = [header_text(v) for v in rows[0]] if rows else []
    if ws.title == README:
        sheet = book.sheet(ws.title, widths=[110])
        for r, row in enumerate(rows):
            sheet.row(row, style=Style.title if r == 0 else None)
        return
    known = {c.header: c for c in SHEET_COLUMNS.get(ws.title, ())}
    columns = [known.get(h, Col(h, "", "any")) for h in header]
    error_column: int | None = None
    if by_row is not None:
        error_column = header.index(ERROR_HEADER) if ERROR_HEADER in header else max(ws.max_column, len(header))
        columns += [Col("", "", "any")] * (error_column + 1 - len(columns))
        columns[error_column] = Col(ERROR_HEADER, "", "any", width=56)
    sheet = _sheet(book, ws.title, columns) if known or error_column is not None else book.sheet(ws.title)
    for n, row in enumerate(rows, start=1):
        if n == 1 and sheet.rows:
            continue
        marks: dict[int, Style] = {}
        if error_column is not None and by_row is not None:
            row += [None] * (error_column + 1 - len(row))
            found = by_row.get((ws.title, n), [])
            row[error_column] = "；".join(f"[{e.column}] {e.msg}" if e.column else e.msg for e in found) or None
            marks[error_column] = Style.warning
            for e in found:
                if e.column in header:
                    marks[header.index(e.column)] = Style.flagged
        sheet.row(row, marks=marks)
