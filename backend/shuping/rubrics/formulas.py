"""The formulas an indicator item may name, and where their computations plug in.

A formula computes an indicator's points for one report from data the system holds
(petition cases, the rectification ledger). Until a capability registers its computation,
a known formula's points are entered by the org department like "manual" ones.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

MANUAL = "manual"

# (session, report, item) -> points, or None when the data is not there yet.
Compute = Callable[[Any, Any, Any], Awaitable[Decimal | None]]


@dataclass
class Formula:
    name: str
    description: str
    compute: Compute | None = None

    @property
    def available(self) -> bool:
        return self.compute is not None


_REGISTRY: dict[str, Formula] = {
    MANUAL: Formula(MANUAL, "Entered by the organisation department"),
    "petition_resolution_rate": Formula(
        "petition_resolution_rate", "The township's petition resolution rate × max points (信访化解率)"
    ),
    "ledger_completion": Formula(
        "ledger_completion", "Share of the township's rectification ledger items done × max points (整改完成率)"
    ),
}


def known() -> list[Formula]:
    return sorted(_REGISTRY.values(), key=lambda f: (f.name != MANUAL, f.name))


def is_known(name: str) -> bool:
    return name in _REGISTRY


def get(name: str) -> Formula | None:
    return _REGISTRY.get(name)


def computing(name: str | None) -> Compute | None:
    """How the formula of that name computes an indicator's points from data; None for a manual one
    (or a name whose computation is not plugged in), whose points the organisation department enters."""
    formula = _REGISTRY.get(name) if name else None
    return formula.compute if formula is not None else None


def register(name: str, compute: Compute, description: str | None = None) -> None:
    """Plug in (or replace) a formula's computation; later capabilities call this at import time."""
    current = _REGISTRY.get(name)
    _REGISTRY[name] = Formula(name, description or (current.description if current else name), compute)
