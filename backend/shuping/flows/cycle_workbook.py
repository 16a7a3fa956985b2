"""The cycle workbook: its sheets and columns, and reading a filled-in one into the import document,
each value remembering its cell. Pure functions over bytes (run them in a worker thread), reading
with openpyxl; `cycle_template` writes the workbook."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook.workbook import Workbook as WorkbookType
from openpyxl.worksheet.worksheet import Worksheet

from shuping.core.i18n import N_
from shuping.rubrics.models import TIER_NAMES

Path = tuple[str | int, ...]

README = "填写说明"
CYCLE = "周期"
ITEMS = "测评项"
VETOES = "否决项"
GROUPS = "评议组"
TIERS = "等次"
CATEGORIES = "意见类别"
REPORTS = "述职单位"
SUMMARY = "错误汇总"
ERROR_HEADER = "错误"
MAX_ROWS = 1000

_YES = {"是", "true", "yes", "y", "1", "√"}
_NO = {"否", "false", "no", "n", "0", "×"}

SOURCES = {"测评票": "ballot", "指标": "indicator"}
KINDS = {"打分": "score", "等次": "tier"}
AGGREGATIONS = {"平均": "mean", "去掉最高最低后平均": "trimmed_mean"}
METHODS = {"按分数线": "thresholds", "按比例": "quota"}
# Formulas by their Chinese names; the formula names (manual, …) are still read, for machines.
FORMULAS = {
    "手工录入": "manual",
    "信访化解率": "petition_resolution_rate",
    "信访及时受理率": "petition_timely_acceptance_rate",
    "信访按期办结率": "petition_on_time_completion_rate",
    "信访群众满意率": "petition_satisfaction_rate",
    "信访参评率": "petition_rating_rate",
    "整改完成率": "ledger_completion",
    "目标责任完成率": "target_completion",
}
# Veto facts by their Chinese names (the fact names are still read): a veto decided from the data, not by hand.
VETO_FACTS = {"项目落地": "target_no_landing"}
TIER_LABELS = {name: str(tier) for tier, name in TIER_NAMES.items()}


@dataclass(frozen=True)
class Col:
    header: str
    name: str
    kind: str = "text"  # text | decimal | int | bool | date | enum | label (no drop-down); "any": mixed values
    choices: dict[str, str] = field(default_factory=dict)
    required: bool = False
    width: int = 14
    note: str = ""


@dataclass(frozen=True)
class Table:
    sheet: str
    path: Path
    columns: tuple[Col, ...]
    required: bool = True


ITEM_COLUMNS = (
    Col("键", "key", required=True, width=16, note="英文字母开头，由字母、数字、下划线组成，测评表内唯一，如 duty"),
    Col("名称", "title", required=True, width=24),
    Col("类别", "category", width=14),
    Col(
        "来源",
        "source",
        "enum",
        SOURCES,
        required=True,
        width=10,
        note="测评票：由评议代表打分；指标：由数据或组织部录入",
    ),
    Col("方式", "kind", "enum", KINDS, width=10, note="仅测评票项：打分（0～满分）或等次（好/较好/一般/较差）"),
    Col("满分", "max_points", "decimal", required=True, width=10, note="大于 0，最多两位小数"),
    Col(
        "计算公式",
        "formula",
        "label",
        FORMULAS,
        width=26,
        note="仅指标项：手工录入、信访化解率或整改完成率；留空即手工录入",
    ),
    Col("说明", "description", width=30),
)
VETO_COLUMNS = (
    Col("键", "key", required=True, width=20),
    Col("名称", "title", required=True, width=30),
    Col(
        "认定依据",
        "fact",
        "label",
        VETO_FACTS,
        width=14,
        note="留空即由组织部认定；项目落地：目标责任期内本单位无项目落地即自动否决",
    ),
)
GROUP_COLUMNS = (
    Col("键", "key", required=True, width=12, note="小写字母开头，如 leaders、deputies、members"),
    Col("名称", "name", required=True, width=16),
    Col("权重", "weight", "decimal", required=True, width=8, note="各组权重之和必须等于 1"),
    Col("汇总方式", "aggregation", "enum", AGGREGATIONS, width=20),
    Col("去掉最高最低各几个", "trim", "int", width=18, note="汇总方式为“去掉最高最低后平均”时填写，默认 1"),
    Col("匿名", "anonymous", "bool", width=8, note="是 / 否"),
    Col("应到人数", "expected", "int", width=10),
    Col("最低有效票数", "quorum", "int", width=14),
)
CATEGORY_COLUMNS = (Col("名称", "name", required=True, width=20),)
REPORT_COLUMNS = (
    Col("组织代码", "org_code", required=True, width=16, note="述职单位须是主办组织的直属下级组织"),
    Col("组织名称", "org_name", width=16, note="仅供核对，导入时以组织代码为准"),
    Col("报告标题", "title", width=40, note="可留空，默认为“××书记抓基层党建工作述职报告”"),
)
TABLES = (
    Table(ITEMS, ("rubric", "items"), ITEM_COLUMNS),
    Table(VETOES, ("rubric", "vetoes"), VETO_COLUMNS, required=False),
    Table(GROUPS, ("groups",), GROUP_COLUMNS),
    Table(REPORTS, ("reports",), REPORT_COLUMNS),
)

# 周期 sheet: label, path, kind, choices, note
CYCLE_FIELDS: tuple[tuple[str, Path, str, dict[str, str], str], ...] = (
    ("名称", ("name",), "text", {}, "评议周期的名称"),
    ("主办组织代码", ("host_org_code",), "text", {}, "如县委 410326"),
    ("开始日期", ("period_start",), "date", {}, "YYYY-MM-DD"),
    ("结束日期", ("period_end",), "date", {}, "YYYY-MM-DD"),
    ("述职报告截止日期", ("report_due_date",), "date", {}, "可留空"),
    ("测评表名称", ("rubric", "name"), "text", {}, ""),
    ("评定方式", ("grading", "method"), "enum", METHODS, "按分数线（占满分比例）或按比例（占述职单位数）"),
    (
        "较差票比例",
        ("grading", "poor_vote_share"),
        "decimal",
        {},
        "首个等次项选“较差”的票数占比达到此值即定为较差，默认 0.3333",
    ),
    ("约谈名额", ("grading", "consequence_count"), "int", {}, "排名末位须约谈的单位数，默认 1"),
    ("最少显示票数", ("grading", "min_ballots_shown"), "int", {}, "少于该票数的分组不显示得分，默认 3"),
)
TIER_COLUMNS = (
    Col("等次", "tier", width=10),
    Col("测评表系数", "fraction", "decimal", width=12, note="等次项得分 = 系数 × 满分；(0,1]，由高到低严格递减"),
    Col("分数线", "threshold", "decimal", width=12, note="评定方式为按分数线时：总分占满分的比例下限"),
    Col("名额比例", "quota", "decimal", width=12, note="评定方式为按比例时：占述职单位数的比例，其余为较差"),
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class NotAWorkbook(Exception):
    """The upload is not an .xlsx workbook."""


@dataclass(frozen=True)
class CellRef:
    sheet: str
    row: int | None = None
    column: str | None = None


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int | None
    column: str | None
    msg: str

    @property
    def loc(self) -> list[str | int]:
        loc: list[str | int] = [self.sheet]
        if self.row is not None:
            loc.append(self.row)
        if self.column is not None:
            loc.append(self.column)
        return loc


@dataclass
class Parsed:
    document: dict[str, Any] = field(default_factory=dict)
    origins: dict[Path, CellRef] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)

    def locate(self, loc: Sequence[str | int], msg: str) -> CellError:
        """The cell a JSON path came from (or its nearest row or sheet)."""
        path = tuple(loc)
        for n in range(len(path), -1, -1):
            ref = self.origins.get(path[:n])
            if ref is not None:
                return CellError(ref.sheet, ref.row, ref.column, msg)
        return CellError(CYCLE, None, None, msg)


# --- reading ---------------------------------------------------------------------------------

_EMPTY = object()


def _number_text(value: float | int) -> str:
    if isinstance(value, float):
        return format(value, ".15g")
    return str(value)


def convert(value: Any, kind: str, choices: dict[str, str] | None = None) -> Any:
    """A cell value as the JSON document has it; _EMPTY for a blank cell. Values that do not
    fit are passed on unchanged so validation names them."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return _EMPTY
    if isinstance(value, str):
        value = value.strip()
    if kind == "text":
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, int | float):
            return _number_text(value)
        if isinstance(value, datetime | date):
            return value.isoformat()
        return str(value)
    if kind == "decimal":
        if isinstance(value, bool):
            return value
        if isinstance(value, float):
            return _number_text(value)
        return value
    if kind == "int":
        if isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.lstrip("+-").isdigit():
            return int(value)
        return value
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(int(value) if isinstance(value, float) and value.is_integer() else value).lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
        return value
    if kind == "date":
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        return value
    if kind in ("enum", "label"):
        text = str(value)
        return (choices or {}).get(text, text)
    raise ValueError(f"unknown column kind {kind}")


def _set(document: dict[str, Any], path: Path, value: Any) -> None:
    node = document
    for part in path[:-1]:
        assert isinstance(part, str)
        node = node.setdefault(part, {})
    last = path[-1]
    assert isinstance(last, str)
    node[last] = value


def header_text(value: Any) -> str:
    return str(value).strip().rstrip("*＊").strip() if value is not None else ""


def _rows(ws: Worksheet, parsed: Parsed) -> tuple[dict[str, int], list[tuple[int, tuple[Any, ...]]]]:
    """The header positions and the non-blank data rows (1-based row numbers)."""
    rows = ws.iter_rows(values_only=True)
    header_row = next(rows, ())
    headers = {header_text(v): i for i, v in enumerate(header_row) if header_text(v)}
    data: list[tuple[int, tuple[Any, ...]]] = []
    # A row with nothing but an earlier error message in it is blank.
    errors_at = headers.get(ERROR_HEADER)
    for n, row in enumerate(rows, start=2):
        values = tuple(row[i] if i < len(row) else None for i in range(max(len(header_row), 2)))
        if all(v is None or (isinstance(v, str) and not v.strip()) for i, v in enumerate(values) if i != errors_at):
            continue
        if len(data) >= MAX_ROWS:
            parsed.errors.append(
                CellError(ws.title, n, None, N_("At most {MAX_ROWS} rows per sheet", MAX_ROWS=MAX_ROWS))
            )
            break
        data.append((n, values))
    return headers, data


def _read_table(wb: WorkbookType, table: Table, parsed: Parsed) -> list[dict[str, Any]] | None:
    if table.sheet not in wb.sheetnames:
        if table.required:
            parsed.errors.append(
                CellError(table.sheet, None, None, N_("The sheet {sheet} is missing", sheet=table.sheet))
            )
        return None
    ws = wb[table.sheet]
    headers, data = _rows(ws, parsed)
    missing = [c.header for c in table.columns if c.required and c.header not in headers]
    if missing:
        parsed.errors.append(
            CellError(table.sheet, 1, None, N_("Missing column(s): {missing}", missing=", ".join(missing)))
        )
        return None
    parsed.origins[table.path] = CellRef(table.sheet)
    out: list[dict[str, Any]] = []
    for i, (n, values) in enumerate(data):
        parsed.origins[(*table.path, i)] = CellRef(table.sheet, n)
        entry: dict[str, Any] = {}
        for col in table.columns:
            parsed.origins[(*table.path, i, col.name)] = CellRef(table.sheet, n, col.header)
            if col.header not in headers or col.name == "org_name":
                continue
            value = convert(values[headers[col.header]], col.kind, col.choices)
            if value is not _EMPTY:
                entry[col.name] = value
        out.append(entry)
    return out


def _read_cycle(wb: WorkbookType, parsed: Parsed) -> None:
    parsed.origins[()] = CellRef(CYCLE)
    if CYCLE not in wb.sheetnames:
        parsed.errors.append(CellError(CYCLE, None, None, N_("The sheet {CYCLE} is missing", CYCLE=CYCLE)))
        return
    fields = {label: (path, kind, choices) for label, path, kind, choices, _ in CYCLE_FIELDS}
    seen: dict[str, int] = {}
    ws = wb[CYCLE]
    _, data = _rows(ws, parsed)
    for n, values in data:
        label = header_text(values[0] if values else None)
        if not label:
            continue
        if label not in fields:
            parsed.errors.append(CellError(CYCLE, n, "项目", N_("Unknown item {label!r}", label=label)))
            continue
        if label in seen:
            parsed.errors.append(
                CellError(CYCLE, n, "项目", N_("{label} appears twice (row {seen})", label=label, seen=seen[label]))
            )
            continue
        seen[label] = n
        path, kind, choices = fields[label]
        parsed.origins[path] = CellRef(CYCLE, n, "值")
        value = convert(values[1] if len(values) > 1 else None, kind, choices)
        if value is not _EMPTY:
            _set(parsed.document, path, value)


def _read_tiers(wb: WorkbookType, parsed: Parsed) -> None:
    for path in (("rubric", "tier_fractions"), ("grading", "thresholds"), ("grading", "quotas")):
        parsed.origins[path] = CellRef(TIERS)
    if TIERS not in wb.sheetnames:
        return
    ws = wb[TIERS]
    headers, data = _rows(ws, parsed)
    method = parsed.document.get("grading", {}).get("method", "thresholds")
    fractions: dict[str, Any] = {}
    shares: dict[str, Any] = {}
    for n, values in data:
        label = str(values[headers["等次"]]).strip() if "等次" in headers else ""
        tier = TIER_LABELS.get(label, label)
        if tier not in TIER_LABELS.values():
            parsed.errors.append(
                CellError(TIERS, n, "等次", N_("Unknown tier {label!r}: use 好, 较好, 一般 or 较差", label=label))
            )
            continue
        for col in TIER_COLUMNS[1:]:
            if col.header not in headers:
                continue
            value = convert(values[headers[col.header]], col.kind)
            if col.name == "fraction":
                parsed.origins[("rubric", "tier_fractions", tier)] = CellRef(TIERS, n, col.header)
                if value is not _EMPTY:
                    fractions[tier] = value
            elif (col.name == "threshold" and method == "thresholds") or (col.name == "quota" and method == "quota"):
                group = "thresholds" if col.name == "threshold" else "quotas"
                parsed.origins[("grading", group, tier)] = CellRef(TIERS, n, col.header)
                if value is not _EMPTY and tier != "poor":
                    shares[tier] = value
    if fractions:
        parsed.document.setdefault("rubric", {})["tier_fractions"] = fractions
    if shares:
        parsed.document.setdefault("grading", {})["thresholds" if method == "thresholds" else "quotas"] = shares


def parse_workbook(content: bytes) -> Parsed:
    """Read a filled-in cycle workbook into the JSON import document, remembering each value's cell."""
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise NotAWorkbook(str(exc)) from exc
    parsed = Parsed()
    try:
        _read_cycle(wb, parsed)
        for table in TABLES:
            rows = _read_table(wb, table, parsed)
            if rows is None:
                continue
            if table.path == ("rubric", "items") or table.path == ("rubric", "vetoes"):
                parsed.document.setdefault("rubric", {})[table.path[1]] = rows
            else:
                assert isinstance(table.path[0], str)
                parsed.document[table.path[0]] = rows
        categories = _read_table(wb, Table(CATEGORIES, ("opinion_categories",), CATEGORY_COLUMNS, False), parsed)
        if categories:
            parsed.document["opinion_categories"] = [c.get("name", "") for c in categories]
            for i in range(len(categories)):
                parsed.origins[("opinion_categories", i)] = parsed.origins[("opinion_categories", i, "name")]
        _read_tiers(wb, parsed)
        parsed.origins[("rubric",)] = CellRef(ITEMS)
        parsed.origins[("grading",)] = CellRef(CYCLE)
    finally:
        wb.close()
    return parsed
