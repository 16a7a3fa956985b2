"""The formulas an indicator item may name, and where their computations plug in.

A formula computes an indicator's points for the reports of a cycle at once, in a fixed number
of queries however many reports there are, from data the system holds (petition cases, the
rectification ledger); the capability holding the data provides the computation and
`shuping.wiring` plugs it in. Until a capability registers its computation,
a known formula's points are entered by the org department like "manual" ones.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

MANUAL = "manual"


class ReportKeys(Protocol):
    """What a formula needs of a report (a `Report` or a row of its columns)."""

    @property
    def id(self) -> int: ...

    @property
    def org_id(self) -> int: ...

    @property
    def cycle_id(self) -> int: ...


# (session, reports, rubric item) -> points per report id (None where the data is not there yet).
Compute = Callable[[Any, Sequence[ReportKeys], Any], Awaitable[Mapping[int, Decimal | None]]]


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
    "petition_timely_acceptance_rate": Formula(
        "petition_timely_acceptance_rate",
        "The township's share of petition cases decided within the acceptance deadline, over the cycle's period,"
        " × max points (及时受理率)",
    ),
    "petition_on_time_completion_rate": Formula(
        "petition_on_time_completion_rate",
        "The township's share of petition cases handled by their (extended) deadline, over the cycle's period,"
        " × max points (按期办结率)",
    ),
    "petition_satisfaction_rate": Formula(
        "petition_satisfaction_rate",
        "The township's share of rated closed petition cases rated satisfied or basically satisfied, over the"
        " cycle's period, × max points (群众满意率)",
    ),
    "petition_rating_rate": Formula(
        "petition_rating_rate",
        "The township's share of petition cases closed in the cycle's period that the petitioner rated"
        " × max points (参评率)",
    ),
    "ledger_completion": Formula(
        "ledger_completion",
        "Share of the organisation's previous-cycle ledger items verified × max points (整改完成率)",
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
    """Plug in (or replace) a formula's computation (`shuping.wiring` does, at start-up). A known
    formula keeps its description above: one text per formula; a new one brings its own."""
    current = _REGISTRY.get(name)
    _REGISTRY[name] = Formula(name, current.description if current else description or name, compute)
