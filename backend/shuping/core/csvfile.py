"""The one CSV writer: text a spreadsheet would run as a formula is defused on the way out.

Excel, WPS and LibreOffice treat a CSV cell that starts with =, +, -, @, a tab or a carriage return
as a formula (OWASP "CSV injection"); a quote in front makes it text and shows the rest unchanged.
Only text is defused: a number, however negative, stays a number. Uploaded CSV files are read by
`core.tables`.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from shuping.core.xlsx import Cell

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: Cell) -> str:
    """A cell as CSV text: text that a spreadsheet would run is prefixed with a single quote."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(_TRIGGERS) else value
    if isinstance(value, bool):
        raise TypeError("a cell holds text or a number: write a truth value as the words it stands for")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is not a number a cell can hold")
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"a cell holds text, a number or a date, not {type(value).__name__}")


def write(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """A UTF-8 CSV file with a byte-order mark (so Excel reads Chinese), every cell defused."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([defuse(h) for h in header])
    for row in rows:
        writer.writerow([defuse(v) for v in row])
    return out.getvalue().encode("utf-8-sig")
