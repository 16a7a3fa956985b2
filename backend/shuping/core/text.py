"""Text that has to survive the trip into an Office document."""

from __future__ import annotations


def xml_safe(text: str) -> str:
    """Drop the control characters Word and Excel refuse (XML 1.0 allows only tab, newline and CR).

    Names and notes are typed, imported or generated elsewhere and may hold some; a document
    that cannot be written is worse than one missing an invisible character.
    """
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 32)
