"""A Word document (.docx) as report text: mammoth turns it into HTML, and this module's small mapping
turns that HTML into the Markdown a report holds — headings, paragraphs, bold and italic, lists (nested
by indentation) and tables (pipe tables, merged cells filled with blanks). Images are left out and
counted: the original document is kept beside the text.

mammoth's own Markdown writer is not used: it writes a table's cells as one paragraph each, losing the
table, and mammoth's documentation deprecates it in favour of converting its HTML separately.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

import mammoth

# What the converter reads (the XML parts, not the pictures) may hold at most this many bytes once
# unpacked: a report of 100,000 characters needs a few; a zip bomb would need many more.
MAX_XML_BYTES = 20 * 1024 * 1024

# Word's built-in styles by their English names are in mammoth's own map; these add the title and
# the names some Chinese editors (WPS) give the same styles.
STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => h1:fresh",
        "p[style-name='Subtitle'] => h2:fresh",
        "p[style-name='标题'] => h1:fresh",
        "p[style-name='副标题'] => h2:fresh",
        *(f"p[style-name='标题 {n}'] => h{n}:fresh" for n in range(1, 7)),
    ]
)


class NotReadable(ValueError):
    """The file is not a Word document this converter can read."""


@dataclass(frozen=True)
class Converted:
    markdown: str
    images_left_out: int


# --- the HTML mammoth writes, as a tree ----------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)


_VOID = {"br", "img", "hr"}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


# --- text ----------------------------------------------------------------------------------------

_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")
# Characters that would otherwise be read as Markdown inside a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
# What would start a block (heading, quote, list item, fence) at the start of a line.
_BLOCK_START = re.compile(r"^(#{1,6}(?=\s|$)|>|[-+*](?=\s)|```|~~~)")
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")


def _clean(text: str) -> str:
    """Text without control characters (Word's tabs and breaks become spaces), spaces collapsed."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return _SPACES.sub(" ", text)


def _escape(text: str) -> str:
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def _escape_line_start(line: str) -> str:
    if _BLOCK_START.match(line):
        return "\\" + line
    return _ORDERED_START.sub(r"\1\\\2", line, count=1)


class _Inline:
    """Renders a block's inline content to one Markdown line, counting the images it drops."""

    def __init__(self) -> None:
        self.images = 0

    def render(self, nodes: list[Node | str], *, marks: bool = True) -> str:
        out = "".join(self._node(n, marks) for n in nodes)
        # Two bold (or italic) runs side by side are one; an empty mark is none.
        out = out.replace("****", "")
        return _SPACES.sub(" ", out).strip()

    def _node(self, node: Node | str, marks: bool) -> str:
        if isinstance(node, str):
            return _escape(_clean(node))
        tag = node.tag
        if tag == "img":
            self.images += 1
            return ""
        if tag == "br":
            return " "
        inner = "".join(self._node(c, marks) for c in node.children)
        if tag in ("strong", "b", "em", "i") and marks:
            return _wrap(inner, "**" if tag in ("strong", "b") else "*")
        if tag == "a":
            href = node.attrs.get("href", "")
            text = inner.strip()
            if href.startswith("#") and text == "↑":  # a footnote's way back to its reference
                return ""
            if re.match(r"^https?://\S+$", href) and text and ")" not in href:
                return f"[{text}]({href})"
            return inner
        if tag in ("ul", "ol", "table", "tr"):
            # A list or table where only text fits (a table cell): its items side by side.
            return " " + "; ".join(filter(None, (self.render([c]) for c in node.children))) + " "
        if tag in ("p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"):
            return " " + inner + " "
        return inner


def _wrap(inner: str, mark: str) -> str:
    """`**text**` with the surrounding blanks outside the marks, as Markdown needs them."""
    stripped = inner.strip()
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{mark}{stripped}{mark}{trail}"


# --- blocks --------------------------------------------------------------------------------------


class _Writer:
    def __init__(self) -> None:
        self.inline = _Inline()

    def blocks(self, nodes: list[Node | str]) -> list[str]:
        out: list[str] = []
        loose: list[Node | str] = []  # inline content outside any block: one paragraph

        def flush() -> None:
            if loose:
                text = self.inline.render(list(loose))
                loose.clear()
                if text:
                    out.append(_escape_line_start(text))

        for node in nodes:
            if isinstance(node, Node) and node.tag in _BLOCKS:
                flush()
                block = self.block(node)
                if block:
                    out.append(block)
            else:
                loose.append(node)
        flush()
        return out

    def block(self, node: Node) -> str:
        tag = node.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            # A heading is bold already: its marks would only show as stars.
            text = self.inline.render(node.children, marks=False)
            return f"{'#' * int(tag[1])} {text}" if text else ""
        if tag in ("ul", "ol"):
            return "\n".join(self.list_lines(node, ""))
        if tag == "table":
            return self.table(node)
        if tag == "hr":
            return "---"
        if tag in ("blockquote",):
            inner = self.blocks(node.children)
            return "\n>\n".join("\n".join("> " + line for line in b.split("\n")) for b in inner)
        if tag in ("div", "section", "thead", "tbody"):
            return "\n\n".join(self.blocks(node.children))
        text = self.inline.render(node.children)
        return _escape_line_start(text) if text else ""

    def list_lines(self, node: Node, indent: str) -> list[str]:
        lines: list[str] = []
        number = 0
        for item in node.children:
            if not isinstance(item, Node) or item.tag != "li":
                continue
            own = [c for c in item.children if not (isinstance(c, Node) and c.tag in ("ul", "ol"))]
            nested = [c for c in item.children if isinstance(c, Node) and c.tag in ("ul", "ol")]
            text = self.inline.render(own)
            inner = indent  # an item without text of its own: its sub-items take its place
            if text:
                number += 1
                marker = f"{number}. " if node.tag == "ol" else "- "
                lines.append(indent + marker + _escape_line_start(text))
                inner = indent + " " * len(marker)
            for sub in nested:
                lines.extend(self.list_lines(sub, inner))
        return lines

    def table(self, node: Node) -> str:
        rows = self.grid(node)
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]

        def line(cells: list[str]) -> str:
            return "| " + " | ".join(c or " " for c in cells) + " |"

        head, *body = rows
        return "\n".join([line(head), "| " + " | ".join("---" for _ in head) + " |", *(line(r) for r in body)])

    def grid(self, table: Node) -> list[list[str]]:
        """The table's rows of cell text, a merged cell's other places left blank."""
        trs: list[Node] = []
        for child in table.children:
            if isinstance(child, Node) and child.tag == "tr":
                trs.append(child)
            elif isinstance(child, Node) and child.tag in ("thead", "tbody", "tfoot"):
                trs.extend(c for c in child.children if isinstance(c, Node) and c.tag == "tr")
        rows: list[list[str]] = []
        carried: dict[int, int] = {}  # column → rows still covered by a cell merged from above
        for tr in trs:
            row: list[str] = []
            col = 0
            cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]
            for cell in cells:
                while carried.get(col, 0) > 0:
                    carried[col] -= 1
                    row.append("")
                    col += 1
                span = _span(cell.attrs.get("colspan"))
                down = _span(cell.attrs.get("rowspan"))
                row.append(self.inline.render(cell.children))
                row.extend([""] * (span - 1))
                for c in range(col, col + span):
                    if down > 1:
                        carried[c] = down - 1
                col += span
            while carried.get(col, 0) > 0:
                carried[col] -= 1
                row.append("")
                col += 1
            rows.append(row)
        return [r for r in rows if any(c.strip() for c in r)] or []


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 64))
    except ValueError:
        return 1


_BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "table",
    "blockquote",
    "hr",
    "div",
    "section",
    "pre",
}


def html_to_markdown(html: str) -> Converted:
    """The Markdown for mammoth's HTML, and how many images it left out."""
    writer = _Writer()
    blocks = writer.blocks(parse_html(html).children)
    return Converted("\n\n".join(blocks).strip() + ("\n" if blocks else ""), writer.inline.images)


# --- the document --------------------------------------------------------------------------------


def _check_size(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(i.file_size for i in z.infolist() if not i.filename.startswith("word/media/"))
    except Exception as e:  # a damaged directory raises BadZipFile, OSError, ValueError, …
        raise NotReadable("not a zip file") from e
    if unpacked > MAX_XML_BYTES:
        raise NotReadable("too large once unpacked")


def _no_image(image: Any) -> dict[str, str]:
    # The picture is not read at all (it would land in the text as base64); the writer counts the tag.
    return {"src": ""}


def docx_to_markdown(path: Path) -> Converted:
    """Convert a stored .docx (blocking: run it in a worker thread). Raises NotReadable."""
    _check_size(path)
    try:
        with path.open("rb") as f:
            result = _convert(f)
    except NotReadable:
        raise
    except Exception as e:  # mammoth raises what its zip and XML readers raise on a damaged file
        raise NotReadable(str(e) or type(e).__name__) from e
    return html_to_markdown(result)


def _convert(f: BinaryIO) -> str:
    result = mammoth.convert_to_html(
        f,
        style_map=STYLE_MAP,
        include_embedded_style_map=False,
        convert_image=mammoth.images.img_element(_no_image),
    )
    return str(result.value)
