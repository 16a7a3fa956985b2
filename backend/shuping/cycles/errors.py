"""Cycle import errors."""

from __future__ import annotations

from shuping.core.errors import AppError


class WorkbookTooLarge(AppError):
    status, code, title = 413, "file-too-large", "File too large"


class NotAnExcelWorkbook(AppError):
    status, code, title = 415, "unsupported-file", "Unsupported file type"
