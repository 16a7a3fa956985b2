"""The one reader of uploaded tables: .xlsx and .csv give the same cells, one CSV encoding rule, located refusals."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from shuping.core import tables
from shuping.core.tables import Row, UnreadableFile, cell_text, read, read_table
from shuping.core.xlsx import Cell

HEADER = ["案件编号", "类别", "分数", "受理日期"]


def _xlsx(rows: list[list[object]], *, title: str = "Sheet") -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _refusal(content: bytes, filename: str, **kwargs: int) -> str:
    with pytest.raises(UnreadableFile) as caught:
        read_table(content, filename, **kwargs)
    error = caught.value
    assert (error.status, error.code) == (400, "unreadable-file")
    assert error.errors == [{"loc": ["body", "file"], "msg": error.detail}]
    return error.detail


# ---------------------------------------------------------------- workbooks


def test_a_workbook_s_cells_come_out_normalised() -> None:
    content = _xlsx(
        [
            [" 案件编号 ", "类别", "分数", "受理日期", None],
            ["YG-001", "  劳动社保  ", 30.0, datetime(2013, 7, 10)],
            [None, None, None, None],
            ["0012", "", 27.5, date(2013, 7, 11), "right of the header"],
            [True, "   ", 12, None],
        ]
    )
    table = read_table(content, "cases.xlsx")
    assert table.header == tuple(HEADER)
    assert table.header_row == 1
    assert table.rows == (
        Row(2, ("YG-001", "劳动社保", 30, datetime(2013, 7, 10))),
        Row(4, ("0012", None, Decimal("27.5"), datetime(2013, 7, 11))),
        Row(5, ("TRUE", None, 12, None)),
    )
    assert isinstance(table.rows[0].cells[2], int)


def test_the_header_is_the_first_row_that_is_not_blank() -> None:
    table = read_table(_xlsx([[], [None, None], HEADER, ["A-1"]]), "late.xlsx")
    assert (table.header, table.header_row) == (tuple(HEADER), 3)
    assert table.rows == (Row(4, ("A-1", None, None, None)),)


def test_a_workbook_is_read_whatever_its_name_says() -> None:
    table = read_table(_xlsx([HEADER, ["A-1", "类", 1, None]]), "exported.csv")
    assert table.rows[0].cells[:3] == ("A-1", "类", 1)


def test_a_workbook_whose_stated_size_is_huge_is_read_as_it_is() -> None:
    content = _xlsx([HEADER, ["A-1", "类", 1, None]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for part in source.infolist():
            data = source.read(part)
            if part.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:D2"/>', b'<dimension ref="A1:XFD1048576"/>')
                assert b"XFD1048576" in data
            target.writestr(part, data)
    table = read_table(out.getvalue(), "big.xlsx")
    assert table.rows == (Row(2, ("A-1", "类", 1, None)),)


# ---------------------------------------------------------------- CSV and its one encoding rule


CSV_TEXT = '案件编号,类别,分数\r\nYG-001, 劳动社保 ,30\r\n,,\r\n0012,"两行\n文字",27.50\r\n'
CSV_ROWS = (Row(2, ("YG-001", "劳动社保", "30")), Row(4, ("0012", "两行\n文字", "27.50")))


@pytest.mark.parametrize(
    "content",
    [
        CSV_TEXT.encode("utf-8-sig"),  # Excel's "CSV UTF-8"
        CSV_TEXT.encode("utf-8"),
        CSV_TEXT.encode("gbk"),  # Excel's "CSV" on a Chinese Windows
        CSV_TEXT.encode("gb18030"),
    ],
    ids=["utf-8 with BOM", "utf-8", "gbk", "gb18030"],
)
def test_csv_in_utf_8_or_gb18030_reads_the_same(content: bytes) -> None:
    table = read_table(content, "cases.CSV")
    assert table.header == ("案件编号", "类别", "分数")
    assert table.rows == CSV_ROWS


def test_csv_cells_stay_text() -> None:
    table = read_table(b"code,when,note\n0012,2013-07-10\n", "x.csv")
    assert table.rows == (Row(2, ("0012", "2013-07-10", None)),)


def test_old_mac_line_ends_are_lines() -> None:
    assert read_table(b"a,b\r1,2\r", "x.csv").rows == (Row(2, ("1", "2")),)


def test_csv_in_another_encoding_is_refused_at_its_line() -> None:
    content = b"a,b\n1,2\n\xff\xfe\xfd,3\n"
    detail = _refusal(content, "x.csv")
    assert "UTF-8 or GB18030" in detail and "line 3" in detail


def test_a_csv_field_past_the_csv_module_s_limit_is_refused_at_its_line() -> None:
    content = b"a,b\n1,2\n" + b"x" * 200_000 + b",3\n"
    assert "Line 3" in _refusal(content, "x.csv")


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("content", "filename", "says"),
    [
        (b"", "x.csv", "The file is empty"),
        (b"", "x.xlsx", "The file is empty"),
        ("\ufeff".encode(), "x.csv", "The file is empty"),
        (b",,\r\n , \r\n", "x.csv", "The file is empty"),
        (_xlsx([], title="意见建议"), "x.xlsx", "The sheet 意见建议 is empty"),
        (b"PK\x03\x04broken", "x.xlsx", "Not a readable .xlsx workbook"),
        (b"\x00\x01garbage", "x.xlsx", "Not a readable .xlsx workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old.xls", "save it as .xlsx or as CSV"),
        (b"%PDF-1.7", "x.pdf", "Upload an .xlsx workbook or a .csv file"),
        (b"a,b\n1,2\n", "x.txt", "Upload an .xlsx workbook or a .csv file"),
    ],
)
def test_a_file_that_is_no_table_is_refused_saying_why(content: bytes, filename: str, says: str) -> None:
    assert says in _refusal(content, filename)


def test_a_damaged_sheet_is_refused() -> None:
    content = _xlsx([HEADER, ["A-1"]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for part in source.infolist():
            data = source.read(part)
            target.writestr(part, data[:-40] if part.filename == "xl/worksheets/sheet1.xml" else data)
    assert "Not a readable .xlsx workbook" in _refusal(out.getvalue(), "x.xlsx")


def test_a_workbook_that_unpacks_too_far_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "MAX_UNPACKED_BYTES", 1024)
    assert "unpacks to more than" in _refusal(_xlsx([HEADER]), "x.xlsx")


def test_rows_past_the_limit_are_refused_blank_rows_aside() -> None:
    content = b"a\n1\n\n2\n3\n"
    assert len(read_table(content, "x.csv", max_rows=3).rows) == 3
    assert "At most 2 rows per file (row 5" in _refusal(content, "x.csv", max_rows=2)


# ---------------------------------------------------------------- keying rows by field


def test_rows_are_keyed_by_field_and_rows_blank_in_every_field_skipped() -> None:
    table = read_table("编号,Note,其他\nA-1,,x\n,,only here\nA-2,注\n".encode(), "x.csv")
    records = table.keyed({"编号": "id", "note": "note"}, [("id", "编号")])
    assert [(r.number, r.values) for r in records] == [
        (2, {"id": "A-1", "note": None}),
        (4, {"id": "A-2", "note": "注"}),
    ]


def test_a_table_without_a_required_column_is_refused_naming_it() -> None:
    table = read_table(b"a,b\n1,2\n", "x.csv")
    with pytest.raises(UnreadableFile, match=r"Missing columns: 案件编号 \(external_id\), 类别 \(category\)"):
        table.keyed({"a": "a"}, [("external_id", "案件编号"), ("category", "类别"), ("a", "a")])


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  text ", "text"),
        (30, "30"),
        (30.0, "30"),
        (27.5, "27.5"),
        (Decimal("27.50"), "27.50"),
        (Decimal("1E-7"), "0.0000001"),
        (date(2013, 7, 10), "2013-07-10"),
        (datetime(2013, 7, 10, 8, 30), "2013-07-10T08:30:00"),
    ],
)
def test_cell_text_is_what_a_person_sees(value: Cell, text: str) -> None:
    assert cell_text(value) == text


async def test_read_runs_in_a_worker_thread_and_gives_the_same_table() -> None:
    content = _xlsx([HEADER, ["A-1", "类", 1, None]])
    assert await read(content, "x.xlsx", max_rows=5) == read_table(content, "x.xlsx", max_rows=5)
