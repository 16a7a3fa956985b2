"""The veto facts a rubric's veto item may name, and where their decisions plug in.

A veto fact decides a one-vote veto (一票否决) from the cycle's data instead of the organisation
department's hand: e.g. `target_no_landing`, the unit had no project at 落地 or later in the target
programme that feeds the cycle (项目落地一票否决). Like `formulas`, the capability holding the data
provides the decision and `shuping.wiring` plugs it in; it answers the reports of a cycle at once.

A veto named by a fact is decided by it alone: the results apply it whatever a clerk entered, and
the assessment refuses to set or clear it by hand (`reports.assessment`). Until its decision is
plugged in, a known fact vetoes no one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shuping.rubrics.formulas import ReportKeys

# (session, reports, rubric veto) -> per report id: the reason in words when vetoed, None when not.
Decide = Callable[[Any, Sequence[ReportKeys], Any], Awaitable[Mapping[int, str | None]]]


@dataclass
class VetoFact:
    name: str
    description: str
    decide: Decide | None = None

    @property
    def available(self) -> bool:
        return self.decide is not None


_REGISTRY: dict[str, VetoFact] = {
    "target_no_landing": VetoFact(
        "target_no_landing",
        "No project of the unit reached 落地 (landing) or later in the target programme that feeds the cycle,"
        " frozen at assessment (项目落地一票否决)",
    ),
}


def known() -> list[VetoFact]:
    return sorted(_REGISTRY.values(), key=lambda f: f.name)


def is_known(name: str) -> bool:
    return name in _REGISTRY


def get(name: str) -> VetoFact | None:
    return _REGISTRY.get(name)


def deciding(name: str | None) -> Decide | None:
    """How the fact of that name decides a veto; None for a veto a clerk sets (or a fact not plugged in)."""
    fact = _REGISTRY.get(name) if name else None
    return fact.decide if fact is not None else None


def register(name: str, decide: Decide, description: str | None = None) -> None:
    """Plug in (or replace) a fact's decision (`shuping.wiring` does, at start-up). A known fact keeps
    its description above; a new one brings its own."""
    current = _REGISTRY.get(name)
    _REGISTRY[name] = VetoFact(name, current.description if current else description or name, decide)
