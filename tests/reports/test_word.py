"""Word reports: a .docx becomes the report's Markdown body and its original an attachment; .doc, damaged
files, other people's reports and reports that no longer change are refused, and nothing changes."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import docx
import httpx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit.models import AuditEntry
from shuping.config import get_settings
from shuping.reports.models import Report, ReportAttachment
from shuping.reports.word import html_to_markdown
from tests.cycles.test_cycles import h
from tests.reports.test_reports import demo_report, fresh_report
from tests.support.languages import CHINESE, ENGLISH

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def _png() -> bytes:
    """A 1×1 white PNG (python-docx reads a picture's size from it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff"))
        + chunk(b"IEND", b"")
    )


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _two_level_bullets(d: Any) -> int:
    """A bulleted list of two levels in the document's numbering (python-docx's template has only
    one-level lists): its numId, for paragraphs to point at as Word does."""
    numbering = d.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{n}"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/>'
        f'<w:pPr><w:ind w:left="{360 * (n + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        for n in (0, 1)
    )
    numbering.insert(0, parse_xml(f'<w:abstractNum {W} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return 90


def _bullet(d: Any, text: str, num_id: int, level: int) -> None:
    num_pr = d.add_paragraph(text)._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def report_docx(*, picture: bool = False) -> bytes:
    """A county secretary's report as Word writes it: title, headings, lists, a table, bold text."""
    d = docx.Document()
    d.add_heading("小店镇党委书记抓基层党建工作述职报告", level=1)
    p = d.add_paragraph("　　一年来，在县委的坚强领导下，")
    p.add_run("镇党委").bold = True
    p.add_run("认真履行抓党建*第一责任人*职责。")
    d.add_heading("一、主要工作", level=2)
    bullets = _two_level_bullets(d)
    _bullet(d, "整顿软弱涣散村党组织 3 个", bullets, 0)
    _bullet(d, "新建村级活动场所 5 处", bullets, 0)
    _bullet(d, "其中耿沟村 2 处", bullets, 1)
    d.add_heading("（一）工作步骤", level=3)
    d.add_paragraph("摸底排查", style="List Number")
    d.add_paragraph("集中整顿", style="List Number")
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [["村", "党员数", "完成情况"], ["耿沟村", "86", "已完成"], ["小店村", "120", "进行中|复查"]]
    ):
        for c, text in enumerate(row):
            table.rows[r].cells[c].text = text
    if picture:
        d.add_picture(io.BytesIO(_png()), width=Cm(1))
    d.add_heading("二、存在问题", level=2)
    d.add_paragraph("1. 个别村班子分工不够明确。")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


EXPECTED = """# 小店镇党委书记抓基层党建工作述职报告

一年来，在县委的坚强领导下，**镇党委**认真履行抓党建\\*第一责任人\\*职责。

## 一、主要工作

- 整顿软弱涣散村党组织 3 个
- 新建村级活动场所 5 处
  - 其中耿沟村 2 处

### （一）工作步骤

1. 摸底排查
2. 集中整顿

| 村 | 党员数 | 完成情况 |
| --- | --- | --- |
| 耿沟村 | 86 | 已完成 |
| 小店村 | 120 | 进行中\\|复查 |

## 二、存在问题

1\\. 个别村班子分工不够明确。
"""


async def _import(
    client: httpx.AsyncClient,
    session: AsyncSession,
    rid: int,
    name: str,
    content: bytes,
    user: str = "s410326104",
    language: dict[str, str] = ENGLISH,
) -> httpx.Response:
    return await client.post(
        f"/api/v1/reports/{rid}/document",
        files={"file": (name, content, "application/octet-stream")},
        headers={**await h(session, user), **language},
    )


async def _report(session: AsyncSession, rid: int) -> tuple[str, list[str]]:
    report = await session.get(Report, rid)
    assert report is not None
    await session.refresh(report)
    names = (
        (await session.execute(select(ReportAttachment.filename).where(ReportAttachment.report_id == rid)))
        .scalars()
        .all()
    )
    return report.body, list(names)


async def test_a_docx_becomes_the_body_and_its_original_an_attachment(
    client: httpx.AsyncClient, session: AsyncSession, _var_dir: Path
) -> None:
    _, rid = await fresh_report(session)
    content = report_docx(picture=True)
    r = await _import(client, session, rid, "述职报告.docx", content)
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["report"]["body"] == EXPECTED
    assert answer["images_left_out"] == 1
    original = answer["original"]
    assert original["filename"] == "述职报告.docx"
    assert original["content_type"] == DOCX_TYPE
    assert original["size_bytes"] == len(content)
    assert [a["filename"] for a in answer["report"]["attachments"]] == ["述职报告.docx"]
    body, names = await _report(session, rid)
    assert body == EXPECTED
    assert names == ["述职报告.docx"]

    download = await client.get(
        f"/api/v1/reports/{rid}/attachments/{original['id']}", headers=await h(session, "s410326104")
    )
    assert download.status_code == 200
    assert download.content == content

    # The same file again keeps one original; another document replaces the text and is kept too.
    again = await _import(client, session, rid, "述职报告.docx", content)
    assert again.status_code == 200
    assert again.json()["original"]["id"] == original["id"]
    d = docx.Document()
    d.add_heading("修改稿", level=1)
    d.add_paragraph("正文")
    out = io.BytesIO()
    d.save(out)
    second = await _import(client, session, rid, "修改稿.DOCX", out.getvalue())
    assert second.status_code == 200
    assert second.json()["report"]["body"] == "# 修改稿\n\n正文\n"
    assert second.json()["images_left_out"] == 0
    assert (await _report(session, rid))[1] == ["述职报告.docx", "修改稿.DOCX"]
    assert len(list(_var_dir.rglob("*.docx"))) == 2

    entries = (
        await session.execute(
            select(AuditEntry.action, AuditEntry.data)
            .where(AuditEntry.entity_type == "report", AuditEntry.entity_id == str(rid))
            .order_by(AuditEntry.id)
        )
    ).all()
    assert [e.action for e in entries] == [
        "report.attachment_add",
        "report.update",
        "report.update",
        "report.attachment_add",
        "report.update",
    ]
    # As for an edit, the audit keeps the length of the text, not the text.
    assert entries[1].data["body"] == len(EXPECTED)
    assert entries[1].data["document"] == "述职报告.docx"
    assert "小店镇" not in str(entries[1].data["body"])


def _zip(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return out.getvalue()


REFUSALS = [
    # name, content, status, English, Chinese
    (
        "旧报告.doc",
        OLE2,
        415,
        "旧报告.doc is an old Word document (.doc): save it as .docx",
        "旧报告.doc 是旧版 Word 文档（.doc），无法导入：请另存为 .docx 后上传",
    ),
    ("改了名的.docx", OLE2, 415, "is an old Word document (.doc)", "是旧版 Word 文档（.doc）"),
    ("报告.wps", b"anything", 415, "is an old Word document (.doc)", "请另存为 .docx 后上传"),
    ("broken.docx", b"PK\x03\x04garbage", 415, "does not contain what its name says (DOCX)", "（DOCX）"),
    (
        "damaged.docx",
        _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document><w:body><w:p"}),
        415,
        "damaged.docx cannot be read as a Word document",
        "damaged.docx 无法作为 Word 文档读取",
    ),
    ("report.pdf", b"%PDF-1.4\n", 415, "upload a Word document saved as .docx", "请上传另存为 .docx 的 Word 文档"),
    ("empty.docx", b"", 400, "empty.docx is empty", "empty.docx 是空文件"),
]


@pytest.mark.parametrize(("name", "content", "status", "english", "chinese"), REFUSALS)
async def test_what_is_not_a_readable_docx_is_refused_in_both_languages(
    client: httpx.AsyncClient,
    session: AsyncSession,
    _var_dir: Path,
    name: str,
    content: bytes,
    status: int,
    english: str,
    chinese: str,
) -> None:
    _, rid = await fresh_report(session)
    before = await _report(session, rid)
    for language, text in ((ENGLISH, english), (CHINESE, chinese)):
        r = await _import(client, session, rid, name, content, language=language)
        assert r.status_code == status, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert text in r.json()["detail"], r.json()["detail"]
        assert r.json()["errors"][0]["loc"] == ["body", "file"]
    assert await _report(session, rid) == before
    assert list(_var_dir.rglob("*.*")) == []


async def test_a_document_without_text_or_with_too_much_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, _var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, rid = await fresh_report(session)
    blank = docx.Document()
    blank.add_paragraph("   ")
    out = io.BytesIO()
    blank.save(out)
    r = await _import(client, session, rid, "空白.docx", out.getvalue(), language=CHINESE)
    assert r.status_code == 400
    assert r.json()["detail"] == "空白.docx 中没有可导入的文字"

    long = docx.Document()
    for _ in range(120):
        long.add_paragraph("党" * 900)
    out = io.BytesIO()
    long.save(out)
    r = await _import(client, session, rid, "长.docx", out.getvalue())
    assert r.status_code == 400
    assert "is 108239 characters long; a report holds at most 100000" in r.json()["detail"]

    monkeypatch.setattr(get_settings(), "report_slides_max_mb", 1)
    big = report_docx() + b"\x00" * (1024 * 1024)
    r = await _import(client, session, rid, "大.docx", big)
    assert r.status_code == 413
    assert (await _report(session, rid)) == ("", [])
    assert list(_var_dir.rglob("*.*")) == []


async def test_only_the_reports_secretary_while_it_may_change(client: httpx.AsyncClient, session: AsyncSession) -> None:
    content = report_docx()
    _, rid = await fresh_report(session)
    for user in ("s410326105", "clerk", "admin"):
        r = await _import(client, session, rid, "x.docx", content, user=user)
        assert r.status_code == 403, (user, r.text)
    r = await _import(client, session, rid, "x.docx", content, user="s410326105", language=CHINESE)
    assert r.json()["detail"] == "书记只能查看本单位的述职报告"
    assert (await _report(session, rid)) == ("", [])

    submitted = await demo_report(session, "410326104")
    before = await _report(session, submitted)
    for language, text in (
        (ENGLISH, "Cannot import a Word document: the report is submitted"),
        (CHINESE, "无法导入 Word 文档"),
    ):
        r = await _import(client, session, submitted, "x.docx", content, language=language)
        assert r.status_code == 409
        assert text in r.json()["detail"]
    assert await _report(session, submitted) == before

    r = await client.post(f"/api/v1/reports/{rid}/document", headers=await h(session, "s410326104"))
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "file"]
    r = await client.post(f"/api/v1/reports/{rid}/document", files={"file": ("x.docx", content)})
    assert r.status_code == 401


async def test_the_original_needs_room_among_the_attachments(
    client: httpx.AsyncClient, session: AsyncSession, _var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, rid = await fresh_report(session)
    pdf = await client.post(
        f"/api/v1/reports/{rid}/attachments",
        files={"file": ("a.pdf", b"%PDF-1.4\n%%EOF\n")},
        headers=await h(session, "s410326104"),
    )
    assert pdf.status_code == 201
    monkeypatch.setattr(get_settings(), "report_max_attachments", 1)
    r = await _import(client, session, rid, "x.docx", report_docx())
    assert r.status_code == 409
    assert "at most 1 attachments" in r.json()["detail"]
    assert (await _report(session, rid)) == ("", ["a.pdf"])
    assert [p.suffix for p in _var_dir.rglob("*.*")] == [".pdf"]


async def test_titles_and_headings_named_in_chinese(
    client: httpx.AsyncClient, session: AsyncSession, _var_dir: Path
) -> None:
    """Word's Title style, and the heading styles WPS names 标题 1, 标题 2 (their ids are numbers)."""
    d = docx.Document()
    d.add_heading("述职报告", level=0)
    for level in (1, 2):
        style = d.styles.add_style(f"标题 {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(qn("w:styleId"), str(level + 1))
        d.add_paragraph(f"第 {level} 级", style=style)
    out = io.BytesIO()
    d.save(out)
    _, rid = await fresh_report(session)
    r = await _import(client, session, rid, "wps.docx", out.getvalue())
    assert r.status_code == 200, r.text
    assert r.json()["report"]["body"] == "# 述职报告\n\n# 第 1 级\n\n## 第 2 级\n"


async def test_a_document_too_large_once_unpacked_is_refused(
    client: httpx.AsyncClient, session: AsyncSession, _var_dir: Path
) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document>" + " " * (21 * 1024 * 1024) + "</w:document>")
    bomb = out.getvalue()
    assert len(bomb) < 100_000
    _, rid = await fresh_report(session)
    r = await _import(client, session, rid, "bomb.docx", bomb)
    assert r.status_code == 415
    assert "cannot be read as a Word document" in r.json()["detail"]
    assert list(_var_dir.rglob("*.*")) == []


# --- the HTML → Markdown mapping, case by case ---------------------------------------------------


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<h1>标题</h1><h4><strong>四级</strong></h4>", "# 标题\n\n#### 四级\n"),
        ("<p>a <strong>b</strong><strong>c</strong> <em> d </em></p>", "a **bc** *d*\n"),
        ("<p><strong> </strong>x</p>", "x\n"),
        (
            "<p># not a heading</p><p>- not a list</p><p>2013. year</p>",
            "\\# not a heading\n\n\\- not a list\n\n2013\\. year\n",
        ),
        ("<p>a_b [c] `d` &lt;e&gt;</p>", "a\\_b \\[c\\] \\`d\\` \\<e\\>\n"),
        ("<p>line<br />break\tand\u00a0tab\u0007</p>", "line break and tab\n"),
        (
            "<ol><li>一<ol><li>甲</li></ol></li><li>二<ul><li>乙</li></ul></li></ol>",
            "1. 一\n   1. 甲\n2. 二\n   - 乙\n",
        ),
        ("<ul><li></li><li>x</li></ul>", "- x\n"),
        ("<ol><li>a</li><li><ol><li>b</li></ol></li><li></li><li>c</li></ol>", "1. a\n1. b\n2. c\n"),
        (
            '<p><a href="https://www.ruyang.gov.cn/a">县政府</a> <a href="javascript:x()">坏</a>'
            ' <a id="b"></a>书签</p>',
            "[县政府](https://www.ruyang.gov.cn/a) 坏 书签\n",
        ),
        (
            '<p>正文<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup></p>'
            '<ol><li id="footnote-1"><p>注释 <a href="#footnote-ref-1">↑</a></p></li></ol>',
            "正文\\[1\\]\n\n1. 注释\n",
        ),
        ('<p>图<img src="" />文</p><p><img src="" /></p>', "图文\n"),
        (
            "<table><tr><td><p>a</p><p>b</p></td><td>c</td></tr>"
            '<tr><td colspan="2">合并</td></tr>'
            '<tr><td rowspan="2">上</td><td>1</td></tr><tr><td>2</td></tr></table>',
            "| a b | c |\n| --- | --- |\n| 合并 |   |\n| 上 | 1 |\n|   | 2 |\n",
        ),
        (
            "<table><tr><td>项目</td><td><ul><li>甲</li><li>乙</li></ul></td></tr><tr><td></td><td></td></tr></table>",
            "| 项目 | 甲; 乙 |\n| --- | --- |\n",
        ),
        ("<table><tr><td> </td></tr></table>", ""),
        ("", ""),
    ],
)
def test_html_to_markdown(html: str, markdown: str) -> None:
    assert html_to_markdown(html).markdown == markdown


def test_images_are_counted() -> None:
    assert html_to_markdown('<p><img src="" /></p><table><tr><td><img src="" /></td></tr></table>').images_left_out == 2
