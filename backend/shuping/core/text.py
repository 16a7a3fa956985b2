"""Text that has to survive the trip into an Office document, and telling when two texts say the same."""

from __future__ import annotations

import re
import unicodedata


def xml_safe(text: str) -> str:
    """Drop the control characters Word and Excel refuse (XML 1.0 allows only tab, newline and CR).

    Names and notes are typed, imported or generated elsewhere and may hold some; a document
    that cannot be written is worse than one missing an invisible character.
    """
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)


def same_text_key(text: str) -> str:
    """What two opinions share when they say the same thing: the text without spacing, punctuation,
    letter case or full-width forms, so "班子团结协作还需加强。" and "班子团结 协作还需加强" meet."""
    flat = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in flat if not unicodedata.category(ch).startswith(("P", "Z", "C", "S")))


# A point's own numbering at the start of a line: 一、 （一） 1. 1、 (1) ①; never a decimal such as 3.5.
_ENUMERATION = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[（(]\s*[一二三四五六七八九十百\d]+\s*[)）]|\d+\s*(?:[、．)）]|\.(?!\d))|[①-⑳])\s*"
)


def numbered(line: str) -> bool:
    """Whether a line starts with its own numbering."""
    return _ENUMERATION.match(line) is not None


def unnumbered(line: str) -> str:
    """The line without the numbering it starts with, if any."""
    return _ENUMERATION.sub("", line, count=1).strip()
