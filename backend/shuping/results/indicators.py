"""Plug the data-driven indicator formulas into the rubric's registry.

Each capability that holds the data exposes a plain function; this module, imported by the
results service, turns it into an indicator's points for one report.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from shuping.ledger import stats as ledger_stats
from shuping.petitions import stats as petition_stats
from shuping.rubrics import formulas
from shuping.rubrics.models import RubricItem


class ReportKeys(Protocol):
    """What a formula needs of a report (a `Report` or a row of its columns)."""

    @property
    def org_id(self) -> int: ...

    @property
    def cycle_id(self) -> int: ...


async def petition_resolution_rate(session: AsyncSession, report: ReportKeys, item: RubricItem) -> Decimal | None:
    """The township's petition resolution rate × max points, frozen with the cycle's snapshot."""
    rate = await petition_stats.resolution_rate_for(session, report.org_id, cycle_id=report.cycle_id)
    return petition_stats.points_for(rate, item.max_points)


async def ledger_completion(session: AsyncSession, report: ReportKeys, item: RubricItem) -> Decimal | None:
    """The share of the organisation's previous-cycle ledger items verified × max points (整改完成率)."""
    rate = await ledger_stats.previous_completion_rate(session, cycle_id=report.cycle_id, org_id=report.org_id)
    return None if rate is None else rate * item.max_points


def register_formulas() -> None:
    """Plug the computed indicators' formulas in (called by `shuping.wiring`)."""
    formulas.register("petition_resolution_rate", petition_resolution_rate)
    formulas.register(
        "ledger_completion",
        ledger_completion,
        "Share of the organisation's previous-cycle ledger items verified × max points (整改完成率)",
    )
