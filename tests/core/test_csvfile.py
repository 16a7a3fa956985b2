"""The CSV writer defuses text a spreadsheet would run, and only text."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shuping.core.csvfile import defuse, write
from shuping.core.xlsx import Cell


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("=1+1", "'=1+1"),
        ("+8613912345678", "'+8613912345678"),
        ("-3", "'-3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        # Text that only holds such a character further on is left alone.
        ("a=1", "a=1"),
        (" =1", " =1"),
        ("反映=问题", "反映=问题"),
        ("'quoted", "'quoted"),
        ("", ""),
        (None, ""),
        # Numbers stay numbers, negative ones included.
        (-3, "-3"),
        (-2.5, "-2.5"),
        (Decimal("-0.30"), "-0.30"),
        (0, "0"),
        (date(2013, 7, 10), "2013-07-10"),
    ],
)
def test_defuse(value: Cell, text: str) -> None:
    assert defuse(value) == text


@pytest.mark.parametrize("value", [True, float("nan"), float("-inf"), b"bytes", object()])
def test_defuse_refuses_what_a_cell_cannot_hold(value: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        defuse(value)


def test_write_defuses_every_text_cell_and_reads_back() -> None:
    data = write(["编号", "摘要", "数"], [["YG-1", "=1+1", -3], ["YG-2", '他说 "好", 然后\n换行', None]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["编号", "摘要", "数"], ["YG-1", "'=1+1", "-3"], ["YG-2", '他说 "好", 然后\n换行', ""]]
