"""Ledger errors."""

from __future__ import annotations

from shuping.core.errors import FileTooLarge as FileTooLarge  # the importer's, until it takes core's by name
from shuping.core.errors import InvalidState


class TransitionRefused(InvalidState):
    code, title = "illegal-transition", "Illegal status change"


class ItemClosed(InvalidState):
    code, title = "item-closed", "The ledger item is closed"
