"""A streaming XLSX writer: each sheet goes row by row straight into the zip, as numbers and plain text.

Only what our exports need: cells hold numbers or text (never formulas, so a name such as
"=HYPERLINK(…)" stays text), three styles, column widths. Memory stays flat however many rows
are written; each cell costs a formatted string, not an object.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from enum import IntEnum
from types import TracebackType
from typing import IO

Cell = str | int | float | Decimal | None

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Rows are gathered into chunks of about this many pieces before being encoded and compressed.
_CHUNK = 16_384

# XML 1.0 forbids these in a document, escaped or not (tab, newline and CR are allowed).
_FORBIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_NEEDS_WORK = re.compile(f"[&<>_{_FORBIDDEN}]")
_DROP = re.compile(f"[{_FORBIDDEN}]")
# Excel reads "_x0041_" in a cell as an escaped "A"; such text is kept literal by escaping its underscore.
_EXCEL_ESCAPE = re.compile("(_x[0-9A-Fa-f]{4}_)")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class Style(IntEnum):
    """How a cell looks; each value is the index of its cell format in xl/styles.xml."""

    plain = 0
    header = 1
    number = 2


_STYLES = (
    _DECLARATION + f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
    "</fonts>"
    '<fills count="3">'
    '<fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/></patternFill></fill>'
    "</fills>"
    '<borders count="2">'
    "<border><left/><right/><top/><bottom/><diagonal/></border>"
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>'
    '<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border>'
    "</borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>'
    # Built-in number format 2 is "0.00".
    '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def column_letter(index: int) -> str:
    """Name the column at a 0-based index the way A1 references do (0 → A, 26 → AA)."""
    if not 0 <= index < MAX_COLUMNS:
        raise ValueError(f"column {index} is outside 0..{MAX_COLUMNS - 1}")
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def xml_text(value: str) -> str:
    """Make text safe as XML element content that Excel shows exactly as given."""
    if _NEEDS_WORK.search(value) is None:
        return value
    value = _DROP.sub("", value)
    value = _EXCEL_ESCAPE.sub(r"_x005F\1", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _stored_width(characters: float) -> float:
    """The width Excel stores for a column shown `characters` wide (7-pixel digits plus 5 pixels of padding)."""
    if characters <= 0:
        return 0.0
    pixels = int(characters * 7 + 0.5) + 5 if characters >= 1 else int(characters * 12 + 0.5)
    return (pixels * 256 // 7) / 256


class Sheet:
    """One worksheet being written; get it from `Workbook.sheet` and give it rows in order."""

    def __init__(self, entry: IO[bytes], widths: Sequence[float], styles: Sequence[Style]) -> None:
        self._entry: IO[bytes] | None = entry
        self._styles = tuple(styles)
        self._rows = 0
        self._chunk: list[str] = []
        # Per style override (None: the columns' own styles), the pieces around each cell's row number.
        self._templates: dict[Style | None, tuple[list[str], list[str], list[str]]] = {}
        head = [_DECLARATION, f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}">']
        if widths:
            head.append("<cols>")
            head += [
                f'<col min="{i}" max="{i}" width="{_stored_width(w):.16g}" customWidth="1"/>'
                for i, w in enumerate(widths, start=1)
            ]
            head.append("</cols>")
        head.append("<sheetData>")
        entry.write("".join(head).encode())

    @property
    def rows(self) -> int:
        """How many rows have been written, empty ones included."""
        return self._rows

    def row(self, values: Sequence[Cell], style: Style | None = None) -> None:
        """Append a row: numbers as numbers, text as text, None or "" as an empty cell.

        `style` applies to every cell of the row; without it each column keeps the style given
        when the sheet was made (plain where none was).
        """
        if self._entry is None:
            raise ValueError("this sheet is finished: a workbook writes one sheet at a time")
        if self._rows == MAX_ROWS:
            raise ValueError(f"a sheet holds at most {MAX_ROWS:,} rows")
        self._rows += 1
        heads, numbers, texts = self._template(style, len(values))
        n = str(self._rows)
        out = self._chunk
        out.append(f'<row r="{n}">')
        for value, head, number, text in zip(values, heads, numbers, texts, strict=False):
            if isinstance(value, str):
                if value:
                    out.append(f"{head}{n}{text}{xml_text(value)}</t></is></c>")
            elif isinstance(value, float):
                if not math.isfinite(value):
                    raise ValueError(f"{value} is not a number a cell can hold")
                out.append(f"{head}{n}{number}{value!r}</v></c>")
            elif value is None:
                continue
            elif isinstance(value, bool):
                raise TypeError("a cell holds text or a number: write a truth value as the words it stands for")
            elif isinstance(value, int):
                out.append(f"{head}{n}{number}{value}</v></c>")
            elif isinstance(value, Decimal):
                if not value.is_finite():
                    raise ValueError(f"{value} is not a number a cell can hold")
                out.append(f"{head}{n}{number}{value}</v></c>")
            else:
                raise TypeError(f"a cell holds text or a number, not {type(value).__name__}")
        out.append("</row>")
        if len(out) >= _CHUNK:
            self._flush()

    def _template(self, style: Style | None, columns: int) -> tuple[list[str], list[str], list[str]]:
        template = self._templates.get(style)
        if template is None or len(template[0]) < columns:
            count = max(columns, len(self._styles), 16)
            if count > MAX_COLUMNS:
                raise ValueError(f"a sheet holds at most {MAX_COLUMNS:,} columns")
            heads, numbers, texts = [], [], []
            for i in range(count):
                cell_style = style if style is not None else (self._styles[i] if i < len(self._styles) else None)
                s = f' s="{int(cell_style)}"' if cell_style else ""
                heads.append(f'<c r="{column_letter(i)}')
                numbers.append(f'"{s}><v>')
                texts.append(f'"{s} t="inlineStr"><is><t xml:space="preserve">')
            template = self._templates[style] = (heads, numbers, texts)
        return template

    def _flush(self) -> None:
        assert self._entry is not None
        self._entry.write("".join(self._chunk).encode())
        self._chunk.clear()

    def close(self) -> None:
        """Write the sheet's end; the workbook does this when the next sheet starts or it closes."""
        if self._entry is None:
            return
        self._chunk.append("</sheetData></worksheet>")
        self._flush()
        self._entry.close()
        self._entry = None


class Workbook:
    """An .xlsx written into `stream` sheet after sheet; use it as a context manager, or call `close`.

    Sheets are written one at a time, each finished when the next one starts.
    """

    def __init__(self, stream: IO[bytes], *, compresslevel: int = 1) -> None:
        # Level 1 compresses the repetitive sheet XML almost as well as the default at a third of the time.
        self._zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._names: list[str] = []
        self._current: Sheet | None = None
        self._closed = False

    def sheet(self, name: str, *, widths: Sequence[float] = (), styles: Sequence[Style] = ()) -> Sheet:
        """Start the next sheet; `widths` are column widths in characters, `styles` each column's style."""
        if (
            not name
            or len(name) > 31
            or _SHEET_NAME_FORBIDDEN.search(name)
            or name.startswith("'")
            or name.endswith("'")
            or _DROP.search(name)
        ):
            raise ValueError(f"{name!r} is not a sheet name Excel accepts")
        if name.casefold() in (n.casefold() for n in self._names):
            raise ValueError(f"the workbook already has a sheet named {name!r}")
        if self._closed:
            raise ValueError("the workbook is closed")
        if self._current is not None:
            self._current.close()
        self._names.append(name)
        # Entries are not forced to ZIP64 (some Excel versions refuse those): a sheet within Excel's row
        # limit stays below the 2 GiB that would need it, and past that zipfile raises rather than corrupts.
        entry = self._zip.open(f"xl/worksheets/sheet{len(self._names)}.xml", "w")
        self._current = Sheet(entry, widths, styles)
        return self._current

    def close(self) -> None:
        """Finish the last sheet and write the parts that tie the workbook together."""
        if self._closed:
            return
        self._closed = True
        if self._current is None:
            self._zip.close()
            raise ValueError("a workbook needs at least one sheet")
        self._current.close()
        self._current = None
        count = len(self._names)
        sheets = "".join(
            f'<sheet name="{_attribute(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(self._names, 1)
        )
        self._write(
            "[Content_Types].xml",
            f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPES}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPES}.styles+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_TYPES}.worksheet+xml"/>'
                for i in range(1, count + 1)
            )
            + "</Types>",
        )
        self._write(
            "_rels/.rels",
            f'<Relationships xmlns="{_PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        self._write(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>{sheets}</sheets></workbook>',
        )
        self._write(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{_PACKAGE_RELS}">'
            + "".join(
                f'<Relationship Id="rId{i}" Type="{_RELS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                for i in range(1, count + 1)
            )
            + f'<Relationship Id="rId{count + 1}" Type="{_RELS}/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._zip.close()

    def _write(self, name: str, xml: str) -> None:
        self._zip.writestr(name, _DECLARATION + xml)

    def __enter__(self) -> Workbook:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.close()
        elif not self._closed:
            # The output is unusable anyway; release the zip without adding the workbook's parts.
            self._closed = True
            if self._current is not None:
                self._current.close()
                self._current = None
            self._zip.close()
