"""Ledger errors."""

from __future__ import annotations

from shuping.core.errors import AppError, InvalidState


class TransitionRefused(InvalidState):
    code, title = "illegal-transition", "Illegal status change"


class ItemClosed(InvalidState):
    code, title = "item-closed", "The ledger item is closed"


class FileTooLarge(AppError):
    status, code, title = 413, "file-too-large", "File too large"


class UnsupportedFile(AppError):
    status, code, title = 415, "unsupported-file", "Unsupported file type"
