"""The streaming XLSX writer, read back with openpyxl and pandas."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import openpyxl
import pandas as pd
import pytest

from shuping.core.xlsx import MAX_ROWS, Cell, Style, Workbook, column_letter, xml_text


def _write(rows: list[list[Cell]], **sheet: Any) -> bytes:
    buf = io.BytesIO()
    with Workbook(buf) as wb:
        s = wb.sheet("表", **sheet)
        for row in rows:
            s.row(row)
    return buf.getvalue()


def _sheet_xml(data: bytes, number: int = 1) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(f"xl/worksheets/sheet{number}.xml").decode()


@pytest.mark.parametrize(
    ("index", "letters"),
    [(0, "A"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"), (16_383, "XFD")],
)
def test_column_letters(index: int, letters: str) -> None:
    assert column_letter(index) == letters


@pytest.mark.parametrize("index", [-1, 16_384])
def test_column_letters_beyond_excel(index: int) -> None:
    with pytest.raises(ValueError):
        column_letter(index)


@pytest.mark.parametrize(
    ("text", "xml"),
    [
        ("合成村", "合成村"),
        ("a & b", "a &amp; b"),
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("tab\tnew\nline\rend", "tab\tnew\nline\rend"),
        ("bell\x07 null\x00 esc\x1b", "bell null esc"),
        ("\ufffe\uffff\ud800x", "x"),
        ("_x0041_", "_x005F_x0041_"),
        ("snake_case_name", "snake_case_name"),
    ],
)
def test_text_is_escaped_and_stripped(text: str, xml: str) -> None:
    assert xml_text(text) == xml


def test_values_read_back_as_written() -> None:
    formula = '=HYPERLINK("http://evil.example","点我")'
    data = _write(
        [
            ["名称", "整数", "小数", "十进制", "空", "空文本", "公式样"],
            ["合成村 & <b>", 42, 85.25, Decimal("0.3333"), None, "", formula],
            ["\x01控制\x1f字符", -7, 1e-7, Decimal("100"), "+1", "@SUM(A1)", " 前后空格 "],
        ]
    )
    ws = openpyxl.load_workbook(io.BytesIO(data))["表"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        ["名称", "整数", "小数", "十进制", "空", "空文本", "公式样"],
        ["合成村 & <b>", 42, 85.25, 0.3333, None, None, formula],
        ["控制字符", -7, 1e-7, 100, "+1", "@SUM(A1)", " 前后空格 "],
    ]
    assert [c.data_type for c in ws[2]] == ["s", "n", "n", "n", "n", "n", "s"]
    assert ws["G2"].data_type == "s"
    xml = _sheet_xml(data)
    assert "<f>" not in xml and "HYPERLINK" in xml
    assert '<c r="A2" t="inlineStr">' in xml and '<c r="D3"><v>100</v></c>' in xml


def test_pandas_reads_the_same_frame() -> None:
    frame = pd.DataFrame(
        {
            "单位": ["甲村", "乙村", "丙村"],
            "总分": [91.5, 88.25, 70.0],
            "位次": [1, 2, 3],
            "等次": ["好", "较好", "一般"],
        }
    )
    data = _write([list(frame.columns), *frame.itertuples(index=False)])
    pd.testing.assert_frame_equal(pd.read_excel(io.BytesIO(data)), frame)


def test_styles_and_widths() -> None:
    buf = io.BytesIO()
    with Workbook(buf) as wb:
        s = wb.sheet("排名", widths=[6, 16, 11], styles=[Style.plain, Style.number])
        s.row(["单位", "总分"], style=Style.header)
        s.row(["甲村", 91.5])
    ws = openpyxl.load_workbook(buf)["排名"]
    header = ws["A1"]
    assert header.font.b and header.fill.fill_type == "solid" and header.fill.fgColor.rgb == "FFF2F2F2"
    assert {header.border.left.style, header.border.right.style, header.border.top.style} == {"thin"}
    assert ws["B1"].font.b and ws["B1"].number_format == "General"
    assert ws["B2"].number_format == "0.00" and ws["B2"].value == 91.5 and not ws["B2"].font.b
    assert ws["A2"].number_format == "General" and not ws["A2"].font.b
    # Excel stores a width with the cell padding, as its column-width dialog does (6 → 6.71).
    assert [ws.column_dimensions[c].width for c in "ABC"] == [6.7109375, 16.7109375, 11.7109375]


def test_several_sheets_and_an_empty_one() -> None:
    buf = io.BytesIO()
    with Workbook(buf) as wb:
        wb.sheet("空")
        wb.sheet('甲 & "乙"').row(["x"])
        wb.sheet("末").row([])
    data = buf.getvalue()
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["空", '甲 & "乙"', "末"]
    assert book["空"].max_row == 1 and book["空"]["A1"].value is None
    assert book['甲 & "乙"']["A1"].value == "x"
    assert pd.read_excel(io.BytesIO(data), sheet_name="空").empty
    names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/styles.xml"} <= names


def test_many_rows_and_columns() -> None:
    rows: list[list[Cell]] = [[f"r{i}", i, i / 4] for i in range(40_000)]
    rows[-1] += list(range(27))
    data = _write(rows)
    xml = _sheet_xml(data)
    assert '<c r="C40000"><v>9999.75</v></c>' in xml and '<c r="AD40000"><v>26</v></c>' in xml
    ws = openpyxl.load_workbook(io.BytesIO(data), read_only=True)["表"]
    seen = 0
    for i, row in enumerate(ws.iter_rows(values_only=True)):
        assert row == tuple(rows[i])
        seen += 1
    assert seen == 40_000


@pytest.mark.parametrize("value", [True, float("nan"), float("inf"), Decimal("NaN"), b"bytes", object()])
def test_refuses_what_a_cell_cannot_hold(value: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        _write([[value]])


@pytest.mark.parametrize("name", ["", "a" * 32, "a/b", "[x]", "x?", "'quoted'", "bell\x07"])
def test_refuses_sheet_names_excel_refuses(name: str) -> None:
    with Workbook(io.BytesIO()) as wb:
        wb.sheet("ok")
        with pytest.raises(ValueError):
            wb.sheet(name)


def test_one_sheet_at_a_time_and_names_unique() -> None:
    with Workbook(io.BytesIO()) as wb:
        first = wb.sheet("Sheet")
        with pytest.raises(ValueError):
            wb.sheet("SHEET")
        wb.sheet("Other")
        with pytest.raises(ValueError):
            first.row(["late"])


def test_a_workbook_needs_a_sheet() -> None:
    with pytest.raises(ValueError):
        Workbook(io.BytesIO()).close()


def test_row_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    with Workbook(io.BytesIO()) as wb:
        s = wb.sheet("表")
        monkeypatch.setattr(s, "_rows", MAX_ROWS)
        with pytest.raises(ValueError):
            s.row([1])


FORMULAS = ['=HYPERLINK("http://x","y")', "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "=cmd|' /C calc'!A0"]


@pytest.mark.parametrize("style", list(Style))
def test_text_that_looks_like_a_formula_stays_text_in_every_style(style: Style) -> None:
    buf = io.BytesIO()
    with Workbook(buf) as wb:
        s = wb.sheet("表", styles=[style], freeze="A2")
        s.row(FORMULAS, style=style)
        s.row(FORMULAS)
        s.row(FORMULAS, marks={0: Style.flagged, 1: style})
    data = buf.getvalue()
    ws = openpyxl.load_workbook(io.BytesIO(data))["表"]
    for row in ws.iter_rows():
        assert [c.value for c in row] == FORMULAS
        assert {c.data_type for c in row} == {"s"}
    assert "<f>" not in _sheet_xml(data)


def test_dates_marks_frozen_panes_choices_and_notes() -> None:
    buf = io.BytesIO()
    with Workbook(buf) as wb:
        s = wb.sheet("周期", widths=[10, 12, 20], styles=[Style.text], freeze="A2")
        s.row(["键", "日期", "选择"], style=Style.banner)
        s.row(["0012", date(2013, 7, 10), "是"], marks={2: Style.flagged})
        s.row(["=1+1", date(1900, 3, 1), "否"], marks={0: Style.warning})
        s.note("A1", "英文字母开头 <&>")
        s.choices("C2:C1001", ["是", "否"], error='请从下拉列表中选择 & <"重试">')
        wb.sheet("说明", freeze="B3").row(["x"])
    book = openpyxl.load_workbook(buf)
    ws = book["周期"]
    assert ws.freeze_panes == "A2" and book["说明"].freeze_panes == "B3"
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb == "FFB7202E" and ws["A1"].font.color.rgb == "FFFFFFFF"
    assert ws["A1"].alignment.horizontal == "center"
    assert ws["A1"].comment is not None and ws["A1"].comment.text == "英文字母开头 <&>"
    assert ws["B1"].comment is None
    assert (ws["A2"].value, ws["A2"].data_type, ws["A2"].number_format) == ("0012", "s", "@")
    assert ws["B2"].value == datetime(2013, 7, 10) and ws["B2"].is_date and ws["B2"].number_format == "yyyy-mm-dd"
    assert ws["B3"].value == datetime(1900, 3, 1)
    assert ws["C2"].fill.fgColor.rgb == "FFFFC7CE" and ws["C3"].fill.fill_type is None
    assert (ws["A3"].value, ws["A3"].data_type, ws["A3"].font.color.rgb) == ("=1+1", "s", "FF9C0006")
    (validation,) = ws.data_validations.dataValidation
    assert (validation.type, validation.formula1, str(validation.sqref)) == ("list", '"是,否"', "C2:C1001")
    assert validation.error == '请从下拉列表中选择 & <"重试">'
    # pandas (and so Excel's other readers) see the same values.
    frame = pd.read_excel(io.BytesIO(buf.getvalue()), sheet_name="周期", dtype={"键": str})
    assert list(frame["键"]) == ["0012", "=1+1"]


def test_refuses_what_a_list_or_a_note_cannot_hold() -> None:
    with Workbook(io.BytesIO()) as wb:
        s = wb.sheet("表")
        for options in (["a,b"], ['"a"'], [""], ["x" * 256]):
            with pytest.raises(ValueError):
                s.choices("A2:A10", options)
        for cell in ("a1", "A0", "XFE1", "A1:B2"):
            with pytest.raises(ValueError):
                s.note(cell, "x")
        with pytest.raises(ValueError):
            s.choices("A2:1", ["x"])
        with pytest.raises(TypeError):
            s.row([datetime(2013, 7, 10, 9, 30)])
        with pytest.raises(ValueError):
            s.row([date(1900, 2, 28)])
        with pytest.raises(ValueError):
            wb.sheet("另一个", freeze="2A")
