"""The one reader of uploaded tables: the first sheet of an .xlsx workbook, or a .csv file, as rows of cells.

Every import reads through here; writing is `core.xlsx` (workbooks) and `core.csvfile` (CSV), and a cell
read is an `xlsx.Cell`, so a row can be written back as it came.

Encoding: a CSV file is read as UTF-8, with or without a byte-order mark; a file that is not valid UTF-8
is read as GB18030, which contains GBK and GB2312 — what Excel and WPS write on a Chinese Windows when a
sheet is saved as "CSV (逗号分隔)". Nothing else is guessed.

Cells come out the same way from either format: text stripped of surrounding blanks and an empty cell
as None. A workbook's whole numbers are ints, other numbers Decimals as typed (never floats), its dates
dates or datetimes; TRUE/FALSE and times become the text Excel shows. A CSV cell is always text: a CSV
has no types, and a code such as 0012 keeps its zeros.

Rows keep the numbers a spreadsheet shows them under. The header is the first row that is not blank;
blank rows are skipped, and every row has one cell per header column. Reading blocks: `read` runs it in a
worker thread. A file that cannot be read is refused with `UnreadableFile`, saying where.
"""

from __future__ import annotations

import csv
import functools
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import anyio

from shuping.core.errors import AppError
from shuping.core.i18n import N_
from shuping.core.xlsx import Cell

# A workbook's parts unpacked: far more than any honest import holds, far less than a zip bomb.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the Excel 97–2003 .xls container


class UnreadableFile(AppError):
    """The upload is not a table that can be read, or not the table the import expects."""

    status, code, title = 400, "unreadable-file", N_("The file cannot be read")

    def __init__(self, detail: str) -> None:
        super().__init__(detail, errors=[{"loc": ["body", "file"], "msg": detail}])


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet shows it: the first line is row 1
    cells: tuple[Cell, ...]  # one per header column


@dataclass(frozen=True)
class Record:
    number: int
    values: dict[str, Cell]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    header_row: int
    rows: tuple[Row, ...]

    def keyed(self, headers: Mapping[str, str], required: Sequence[tuple[str, str]] = ()) -> list[Record]:
        """Key the rows by field and skip those blank in every field; refuse a table without a required column.

        `headers` maps each header a column may have, in lower case, to its field; `required` lists the
        (field, header) pairs the table must have, the header being the one a refusal names.
        """
        fields = [headers.get(h.lower()) for h in self.header]
        missing = [f"{header} ({field})" for field, header in required if field not in fields]
        if missing:
            raise UnreadableFile(N_("Missing columns: {missing}", missing=", ".join(missing)))
        out: list[Record] = []
        for row in self.rows:
            values = {f: row.cells[i] for i, f in enumerate(fields) if f is not None}
            if any(v is not None for v in values.values()):
                out.append(Record(row.number, values))
        return out


def cell_text(value: Cell) -> str:
    """A cell as the text a person sees: empty for none, ISO 8601 dates, numbers as written."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _cell(raw: Any) -> Cell:
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw.strip() or None
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else Decimal(repr(raw))
    if isinstance(raw, datetime | date):
        return raw
    if isinstance(raw, time | timedelta):
        return str(raw)
    return str(raw).strip() or None


def _table(lines: Iterable[Sequence[Any]], *, max_rows: int | None, empty: str) -> Table:
    header: tuple[str, ...] | None = None
    header_row = 0
    rows: list[Row] = []
    for number, line in enumerate(lines, start=1):
        cells = tuple(_cell(c) for c in (line if header is None else line[: len(header)]))
        if all(c is None for c in cells):
            continue
        if header is None:
            last = max(i for i, c in enumerate(cells) if c is not None)
            header, header_row = tuple(cell_text(c) for c in cells[: last + 1]), number
            continue
        rows.append(Row(number, cells + (None,) * (len(header) - len(cells))))
        if max_rows is not None and len(rows) > max_rows:
            raise UnreadableFile(
                N_("At most {max_rows} rows per file (row {number} is one too many)", max_rows=max_rows, number=number)
            )
    if header is None:
        raise UnreadableFile(empty)
    return Table(header, header_row, tuple(rows))


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as not_utf8:
        try:
            return content.decode("gb18030").removeprefix("\ufeff")
        except UnicodeDecodeError as not_gb:
            # The encoding that read further is the one the file was meant to be in.
            at = max(not_utf8.start, not_gb.start)
            line = content.count(b"\n", 0, at) + 1
            raise UnreadableFile(
                N_(
                    "A CSV file must be UTF-8 or GB18030 (GBK) text; line {line} is neither (save it as CSV UTF-8)",
                    line=line,
                )
            ) from None


def _read_csv(content: bytes, max_rows: int | None) -> Table:
    reader = csv.reader(io.StringIO(_decode(content), newline=""))
    try:
        return _table(reader, max_rows=max_rows, empty="The file is empty")
    except csv.Error as exc:
        raise UnreadableFile(
            N_("Line {line_num} of the CSV file cannot be read: {exc}", line_num=reader.line_num, exc=exc)
        ) from None


def _read_xlsx(content: bytes, max_rows: int | None) -> Table:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(part.file_size for part in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile(N_("Not a readable .xlsx workbook: {name}", name=exc.__class__.__name__)) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            N_("The workbook unpacks to more than {value} MiB", value=MAX_UNPACKED_BYTES // (1024 * 1024))
        )
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(N_("Not a readable .xlsx workbook: {name}", name=exc.__class__.__name__)) from None
    try:
        if not book.worksheets:
            raise UnreadableFile(N_("The workbook has no sheet"))
        sheet = book.worksheets[0]
        # The stated size may be wrong or huge; read the rows that are there, each only as wide as it is.
        sheet.reset_dimensions()
        return _table(sheet.iter_rows(values_only=True), max_rows=max_rows, empty=f"The sheet {sheet.title} is empty")
    except UnreadableFile:
        raise
    except Exception as exc:  # a damaged sheet fails only as it is read
        raise UnreadableFile(N_("Not a readable .xlsx workbook: {name}", name=exc.__class__.__name__)) from None
    finally:
        book.close()


def read_table(content: bytes, filename: str, *, max_rows: int | None = None) -> Table:
    """Read an uploaded .xlsx or .csv file into a header and rows (blocking: use `read` from async code)."""
    if not content:
        raise UnreadableFile(N_("The file is empty"))
    name = filename.lower()
    if content.startswith(_ZIP) or name.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(content, max_rows)
    if content.startswith(_OLE) or name.endswith(".xls"):
        raise UnreadableFile(N_("An .xls workbook (Excel 97–2003) cannot be read: save it as .xlsx or as CSV"))
    if name.endswith(".csv"):
        return _read_csv(content, max_rows)
    raise UnreadableFile(N_("Upload an .xlsx workbook or a .csv file"))


async def read(content: bytes, filename: str, *, max_rows: int | None = None) -> Table:
    """Read an uploaded .xlsx or .csv file in a worker thread."""
    return await anyio.to_thread.run_sync(functools.partial(read_table, content, filename, max_rows=max_rows))
