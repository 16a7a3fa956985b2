"""Official documents (公文) as Word files, in the layout of GB/T 9704-2012: the issuing organ's red
masthead, the document number over a red rule, the title, the addressee, the body with its headings
and tables, the organ's signature and the date. Every .docx the county issues goes through here."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from shuping.core.text import xml_safe

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph as DocxParagraph
    from docx.text.run import Run

# The standard's typefaces and sizes: 小标宋 for the masthead and title (二号, 22 pt), 黑体 for first-level
# headings, 仿宋 for the text (三号, 16 pt); tables a size smaller so a ranking fits the page.
TITLE_FONT, HEADING_FONT, BODY_FONT = "方正小标宋简体", "黑体", "仿宋_GB2312"
MASTHEAD_PT, TITLE_PT, BODY_PT, TABLE_PT = 26, 22, 16, 12
RED = "FF0000"


@dataclass(frozen=True)
class Heading:
    """A first-level heading (一、…)."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of text, indented two characters as the standard asks."""

    text: str


@dataclass(frozen=True)
class Table:
    """A grid: a header row (bold) and rows of text."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class OfficialDocument:
    title: str
    organ: str  # 发文机关: the masthead and the signature
    dated: date  # 成文日期
    number: str | None = None  # 发文字号, e.g. 汝组通〔2013〕5号; a record has none
    addressee: str | None = None  # 主送机关, e.g. 各乡镇党委：
    body: Sequence[Block] = field(default_factory=tuple)


def chinese_date(day: date) -> str:
    """A date as an official document writes it: 2013年7月5日 (Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _font(run: Run, name: str, size: int, *, bold: bool = False, color: str | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = run.font
    font.name = name
    font.size = Pt(size)
    font.bold = bold
    if color:
        font.color.rgb = RGBColor.from_string(color)
    # Word takes Chinese text's typeface from eastAsia, not from the font's name.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _line(
    doc: DocxDocument,
    text: str,
    font: str,
    size: int,
    *,
    align: str = "left",
    indent: bool = False,
    bold: bool = False,
    color: str | None = None,
) -> DocxParagraph:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = doc.add_paragraph()
    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(xml_safe(text)), font, size, bold=bold, color=color)
    return paragraph


def _red_rule(paragraph: DocxParagraph) -> None:
    """The masthead's separator: a red rule under the document number."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"), ("w:color", RED)):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _table(doc: DocxDocument, table: Table) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    grid = doc.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cells, texts, bold in [(grid.rows[0].cells, table.header, True)] + [
        (grid.add_row().cells, row, False) for row in table.rows
    ]:
        for cell, text in zip(cells, texts, strict=True):
            cell.text = ""
            lines = xml_safe(text).splitlines() or [""]
            first = cell.paragraphs[0]
            for n, line in enumerate(lines):
                paragraph = first if n == 0 else cell.add_paragraph()
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if bold or len(text) <= 8 else WD_ALIGN_PARAGRAPH.LEFT
                _font(paragraph.add_run(line), HEADING_FONT if bold else BODY_FONT, TABLE_PT, bold=bold)


def render(document: OfficialDocument) -> bytes:
    """The document as a .docx (blocking: run it in a worker thread)."""
    from docx import Document
    from docx.shared import Mm

    doc = Document()
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    _line(doc, document.organ, TITLE_FONT, MASTHEAD_PT, align="center", color=RED)
    rule = _line(doc, document.number or "", BODY_FONT, BODY_PT, align="center")
    _red_rule(rule)
    _line(doc, document.title, TITLE_FONT, TITLE_PT, align="center")
    if document.addressee:
        _line(doc, document.addressee, BODY_FONT, BODY_PT)
    for block in document.body:
        if isinstance(block, Heading):
            _line(doc, block.text, HEADING_FONT, BODY_PT, indent=True)
        elif isinstance(block, Paragraph):
            _line(doc, block.text, BODY_FONT, BODY_PT, align="justify", indent=True)
        else:
            _table(doc, block)
    _line(doc, "", BODY_FONT, BODY_PT)
    _line(doc, document.organ, BODY_FONT, BODY_PT, align="right")
    _line(doc, chinese_date(document.dated), BODY_FONT, BODY_PT, align="right")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
