"""Reading back the workbooks the app writes."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

FORMULA_STARTS = ("=", "+", "-", "@")


def formula_like_cells(book: bytes | Workbook, *, first_sheet_only: bool = False) -> dict[str, str]:
    """Every cell whose text looks like a formula, after checking it is stored as text: keyed
    "sheet!cell", or "cell" with `first_sheet_only`."""
    wb = load_workbook(io.BytesIO(book)) if isinstance(book, bytes) else book
    sheets = [wb.worksheets[0]] if first_sheet_only else wb.worksheets
    found: dict[str, str] = {}
    for ws in sheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    found[cell.coordinate if first_sheet_only else f"{ws.title}!{cell.coordinate}"] = cell.value
    return found
