"""Ledger errors."""

from __future__ import annotations

from shuping.core.errors import FileTooLarge as FileTooLarge  # the importer's, until it takes core's by name
from shuping.core.errors import InvalidState
from shuping.core.i18n import N_


class TransitionRefused(InvalidState):
    code, title = "illegal-transition", N_("Illegal status change")


class ItemClosed(InvalidState):
    code, title = "item-closed", N_("The ledger item is closed")
