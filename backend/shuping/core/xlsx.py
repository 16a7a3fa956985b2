"""The one XLSX writer: each sheet goes row by row straight into the zip, as numbers, dates and plain text.

Every workbook the project writes goes through it. A cell holds a number, a date or text, never a
formula: text is always an inline string, so a name, a comment or an uploaded "=HYPERLINK(…)" stays
text whatever it starts with. Beyond values: a fixed set of styles, column widths, frozen panes,
drop-down lists and notes on cells. Memory stays flat however many rows are written; each cell costs
a formatted string, not an object. Uploaded workbooks are read by `core.tables`.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum
from types import TracebackType
from typing import IO

Cell = str | int | float | Decimal | date | None

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
_REFERENCE = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
# Day 0 of Excel's 1900 date system as counted from 1 March 1900 on (before, its phantom 29 February shifts it).
_EPOCH = date(1899, 12, 30)
_FIRST_DATE = date(1900, 3, 1)


class Style(IntEnum):
    """How a cell looks; each value is the index of its cell format in xl/styles.xml."""

    plain = 0
    header = 1  # bold on grey, boxed: a results table's head
    number = 2  # two decimals
    text = 3  # Excel's "@" format: what is typed in stays text (codes keep their leading zeros)
    date = 4  # yyyy-mm-dd; every date cell gets it
    bold = 5
    label = 6  # bold, wrapped, centred vertically: a long column head
    title = 7  # bold and large: a sheet's first line
    banner = 8  # white bold on red, centred: an import template's column head
    flagged = 9  # pink fill: a cell an import rejected
    warning = 10  # dark red text: what is wrong with a row


_STYLES = (
    _DECLARATION + f'<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="5">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
    '<font><b/><sz val="14"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
    '<font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
    '<font><sz val="11"/><color rgb="FF9C0006"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>'
    "</fonts>"
    '<fills count="5">'
    '<fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/></patternFill></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFB7202E"/><bgColor indexed="64"/></patternFill></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/><bgColor indexed="64"/></patternFill></fill>'
    "</fills>"
    '<borders count="2">'
    "<border><left/><right/><top/><bottom/><diagonal/></border>"
    '<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>'
    '<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border>'
    "</borders>"
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="11">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>'
    # Built-in number format 2 is "0.00", 49 is "@".
    '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="3" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1">'
    '<alignment horizontal="center"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="4" borderId="0" xfId="0" applyFill="1"/>'
    '<xf numFmtId="0" fontId="4" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
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


def _split(reference: str) -> tuple[int, int]:
    """An A1 reference as 0-based (column, row)."""
    match = _REFERENCE.fullmatch(reference)
    if match is None:
        raise ValueError(f"{reference!r} is not a cell reference such as B2")
    column = 0
    for letter in match[1]:
        column = column * 26 + ord(letter) - 64
    column, row = column - 1, int(match[2]) - 1
    if column >= MAX_COLUMNS or row >= MAX_ROWS:
        raise ValueError(f"{reference} is outside a sheet")
    return column, row


def _range(cells: str) -> str:
    """Check an A1 cell or range ("B2", "B2:B1001") and give it back."""
    for part in cells.split(":", 1):
        _split(part)
    return cells


def _serial(value: date) -> str:
    if isinstance(value, datetime):
        raise TypeError("a cell holds a date, not a time of day: write a datetime as text")
    if value < _FIRST_DATE:
        raise ValueError(f"{value} is before the dates a cell can hold as such: write it as text")
    return str((value - _EPOCH).days)


def _frozen(top_left: str) -> str:
    column, row = _split(top_left)
    if not column and not row:
        return ""
    pane = "bottomRight" if column and row else ("bottomLeft" if row else "topRight")
    split = (f' xSplit="{column}"' if column else "") + (f' ySplit="{row}"' if row else "")
    return (
        f'<sheetViews><sheetView workbookViewId="0"><pane{split} topLeftCell="{top_left}"'
        f' activePane="{pane}" state="frozen"/><selection pane="{pane}"/></sheetView></sheetViews>'
    )


class Sheet:
    """One worksheet being written; get it from `Workbook.sheet` and give it rows in order."""

    def __init__(
        self,
        entry: IO[bytes],
        widths: Sequence[float],
        styles: Sequence[Style],
        *,
        freeze: str | None = None,
        number: int = 1,
        write_part: Callable[[str, str], None] | None = None,
    ) -> None:
        self._entry: IO[bytes] | None = entry
        self._styles = tuple(styles)
        self._number = number
        self._write_part = write_part
        self._rows = 0
        self._chunk: list[str] = []
        self._validations: list[str] = []
        self._notes: dict[str, tuple[int, int, str]] = {}
        self.has_notes = False
        # Per style override (None: the columns' own styles), the pieces around each cell's row number.
        self._templates: dict[Style | None, tuple[list[str], list[str], list[str]]] = {}
        head = [_DECLARATION, f'<worksheet xmlns="{_MAIN}" xmlns:r="{_RELS}">']
        if freeze:
            head.append(_frozen(freeze))
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

    def row(
        self, values: Sequence[Cell], style: Style | None = None, *, marks: Mapping[int, Style] | None = None
    ) -> None:
        """Append a row: numbers as numbers, dates as dates, text as text, None or "" as an empty cell.

        `style` applies to every cell of the row; without it each column keeps the style given
        when the sheet was made (plain where none was). `marks` restyles single cells by 0-based column.
        """
        if self._entry is None:
            raise ValueError("this sheet is finished: a workbook writes one sheet at a time")
        if self._rows == MAX_ROWS:
            raise ValueError(f"a sheet holds at most {MAX_ROWS:,} rows")
        self._rows += 1
        heads, numbers, texts = self._template(style, len(values))
        if marks:
            numbers, texts = list(numbers), list(texts)
            for i, mark in marks.items():
                if 0 <= i < len(numbers):
                    numbers[i], texts[i] = self._pieces(mark)
        n = str(self._rows)
        out = self._chunk
        out.append(f'<row r="{n}">')
        for value, head, number, text in zip(values, heads, numbers, texts, strict=False):
            # The plain types first, by identity: a province's export writes millions of cells.
            kind = type(value)
            if kind is str:
                if value:
                    out.append(f"{head}{n}{text}{xml_text(value)}</t></is></c>")  # type: ignore[arg-type]
            elif kind is int:
                out.append(f"{head}{n}{number}{value}</v></c>")
            elif kind is float and value - value == 0:  # type: ignore[operator]  # finite (inf - inf is nan)
                out.append(f"{head}{n}{number}{value!r}</v></c>")
            elif isinstance(value, str):
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
            elif isinstance(value, date):
                # A date is a number only its format shows as a date, so it always takes the date style.
                out.append(f'{head}{n}" s="{int(Style.date)}"><v>{_serial(value)}</v></c>')
            else:
                raise TypeError(f"a cell holds text, a number or a date, not {type(value).__name__}")
        out.append("</row>")
        if len(out) >= _CHUNK:
            self._flush()

    def choices(self, cells: str, options: Sequence[str], *, error: str = "") -> None:
        """Offer a drop-down list of `options` in `cells` ("B2:B1001"); anything else is refused."""
        for option in options:
            if not option or '"' in option or "," in option or _DROP.search(option):
                raise ValueError(f"{option!r} cannot be a choice in a list")
        listed = ",".join(options)
        if len(listed) > 255:
            raise ValueError("Excel accepts at most 255 characters of choices in a list")
        message = f' error="{_attribute(_DROP.sub("", error))}"' if error else ""
        self._validations.append(
            f'<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1"{message}'
            f' sqref="{_range(cells)}"><formula1>"{_attribute(listed)}"</formula1></dataValidation>'
        )

    def note(self, cell: str, text: str) -> None:
        """Attach a note (Excel's comment) to a cell, shown when the pointer rests on it."""
        column, row = _split(cell)
        self._notes[cell] = (column, row, text)

    def _pieces(self, style: Style | None) -> tuple[str, str]:
        s = f' s="{int(style)}"' if style else ""
        return f'"{s}><v>', f'"{s} t="inlineStr"><is><t xml:space="preserve">'

    def _template(self, style: Style | None, columns: int) -> tuple[list[str], list[str], list[str]]:
        template = self._templates.get(style)
        if template is None or len(template[0]) < columns:
            count = max(columns, len(self._styles), 16)
            if count > MAX_COLUMNS:
                raise ValueError(f"a sheet holds at most {MAX_COLUMNS:,} columns")
            heads, numbers, texts = [], [], []
            for i in range(count):
                cell_style = style if style is not None else (self._styles[i] if i < len(self._styles) else None)
                number, text = self._pieces(cell_style)
                heads.append(f'<c r="{column_letter(i)}')
                numbers.append(number)
                texts.append(text)
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
        self._chunk.append("</sheetData>")
        if self._validations:
            self._chunk.append(f'<dataValidations count="{len(self._validations)}">')
            self._chunk += self._validations
            self._chunk.append("</dataValidations>")
        noted = bool(self._notes) and self._write_part is not None
        if noted:
            self._chunk.append('<legacyDrawing r:id="rId2"/>')
        self._chunk.append("</worksheet>")
        self._flush()
        self._entry.close()
        self._entry = None
        if noted:
            assert self._write_part is not None
            self._write_notes(self._write_part)

    def _write_notes(self, write: Callable[[str, str], None]) -> None:
        n = self._number
        notes = sorted(self._notes.items(), key=lambda item: (item[1][1], item[1][0]))
        write(
            f"xl/comments{n}.xml",
            f'<comments xmlns="{_MAIN}"><authors><author></author></authors><commentList>'
            + "".join(
                f'<comment ref="{ref}" authorId="0"><text><t xml:space="preserve">{xml_text(text)}</t></text></comment>'
                for ref, (_, _, text) in notes
            )
            + "</commentList></comments>",
        )
        shapes = "".join(
            f'<v:shape id="_x0000_s{n * 1024 + i + 1}" type="#_x0000_t202" style="position:absolute;'
            'margin-left:59.25pt;margin-top:1.5pt;width:144pt;height:79pt;z-index:1;visibility:hidden"'
            ' fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/>'
            '<v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>'
            '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill>'
            f"<x:Row>{row}</x:Row><x:Column>{column}</x:Column></x:ClientData></v:shape>"
            for i, (_, (column, row, _)) in enumerate(notes)
        )
        write(
            f"xl/drawings/vmlDrawing{n}.vml",
            '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
            ' xmlns:x="urn:schemas-microsoft-com:office:excel">'
            f'<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="{n}"/></o:shapelayout>'
            '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
            '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            f"{shapes}</xml>",
        )
        write(
            f"xl/worksheets/_rels/sheet{n}.xml.rels",
            f'<Relationships xmlns="{_PACKAGE_RELS}">'
            f'<Relationship Id="rId1" Type="{_RELS}/comments" Target="../comments{n}.xml"/>'
            f'<Relationship Id="rId2" Type="{_RELS}/vmlDrawing" Target="../drawings/vmlDrawing{n}.vml"/>'
            "</Relationships>",
        )
        self.has_notes = True


class Workbook:
    """An .xlsx written into `stream` sheet after sheet; use it as a context manager, or call `close`.

    Sheets are written one at a time, each finished when the next one starts.
    """

    def __init__(self, stream: IO[bytes], *, compresslevel: int = 1) -> None:
        # Level 1 compresses the repetitive sheet XML almost as well as the default at a third of the time.
        self._zip = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._names: list[str] = []
        self._sheets: list[Sheet] = []
        self._current: Sheet | None = None
        self._closed = False

    def sheet(
        self,
        name: str,
        *,
        widths: Sequence[float] = (),
        styles: Sequence[Style] = (),
        freeze: str | None = None,
    ) -> Sheet:
        """Start the next sheet; `widths` are column widths in characters, `styles` each column's style,
        `freeze` the top-left cell of the part that scrolls ("A2" keeps the first row in view)."""
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
        if freeze is not None:
            _split(freeze)
        if self._current is not None:
            self._current.close()
        self._names.append(name)
        number = len(self._names)
        # Entries are not forced to ZIP64 (some Excel versions refuse those): a sheet within Excel's row
        # limit stays below the 2 GiB that would need it, and past that zipfile raises rather than corrupts.
        entry = self._zip.open(f"xl/worksheets/sheet{number}.xml", "w")
        self._current = Sheet(entry, widths, styles, freeze=freeze, number=number, write_part=self._write)
        self._sheets.append(self._current)
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
        noted = [i for i, sheet in enumerate(self._sheets, 1) if sheet.has_notes]
        self._write(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            + (
                '<Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>'
                if noted
                else ""
            )
            + f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPES}.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPES}.styles+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_TYPES}.worksheet+xml"/>'
                for i in range(1, count + 1)
            )
            + "".join(f'<Override PartName="/xl/comments{i}.xml" ContentType="{_TYPES}.comments+xml"/>' for i in noted)
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
