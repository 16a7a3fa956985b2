"""The official-document writer (GB/T 9704 layout) on its own: what python-docx reads back."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from shuping.core.official_document import Heading, OfficialDocument, Paragraph, Table, chinese_date, render


@pytest.mark.parametrize(("day", "text"), [(date(2013, 7, 5), "2013年7月5日"), (date(2013, 12, 31), "2013年12月31日")])
def test_dates_are_written_without_leading_zeros(day: date, text: str) -> None:
    assert chinese_date(day) == text


def test_masthead_number_title_body_and_signature_in_order() -> None:
    data = render(
        OfficialDocument(
            title="关于评议结果的通报",
            organ="中共汝阳县委组织部",
            dated=date(2013, 7, 5),
            number="汝组通〔2013〕5号",
            addressee="各乡镇党委：",
            body=[
                Heading("一、排名"),
                Paragraph("正文\x01一段\x0b"),
                Table(("位次", "单位"), [("1", "城关镇\n（工委）")]),
            ],
        )
    )
    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    # Control characters Word refuses are dropped rather than breaking the file.
    assert texts == [
        "中共汝阳县委组织部",
        "汝组通〔2013〕5号",
        "关于评议结果的通报",
        "各乡镇党委：",
        "一、排名",
        "正文一段",
        "",
        "中共汝阳县委组织部",
        "2013年7月5日",
    ]
    masthead, number, title = (doc.paragraphs[i].runs[0] for i in range(3))
    assert masthead.font.color.rgb == RGBColor(0xFF, 0x00, 0x00) and masthead.font.size == Pt(26)
    assert title.font.size == Pt(22) and title.font.name == "方正小标宋简体"
    assert number.font.size == Pt(16)
    # The red rule under the number; Chinese text takes its typeface from eastAsia.
    bottom = doc.paragraphs[1]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:color")) == "FF0000"
    body_run = doc.paragraphs[5].runs[0]
    assert body_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert doc.paragraphs[4].runs[0].font.name == "黑体"
    [table] = doc.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [["位次", "单位"], ["1", "城关镇\n（工委）"]]
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


def test_a_record_has_no_number_and_no_addressee() -> None:
    doc = Document(io.BytesIO(render(OfficialDocument(title="约谈记录", organ="小店镇", dated=date(2013, 8, 1)))))
    assert [p.text for p in doc.paragraphs] == ["小店镇", "", "约谈记录", "", "小店镇", "2013年8月1日"]
