"""Plug the data-driven indicator formulas into the rubric's registry.

Each capability that holds the data exposes a plain function; this module, imported by the
results service, turns it into an indicator's points for one report.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from shuping.petitions import stats as petition_stats
from shuping.reports.models import Report
from shuping.rubrics import formulas
from shuping.rubrics.models import RubricItem


async def petition_resolution_rate(session: AsyncSession, report: Report, item: RubricItem) -> Decimal | None:
    """The township's petition resolution rate × max points, frozen with the cycle's snapshot."""
    rate = await petition_stats.resolution_rate_for(session, report.org_id, cycle_id=report.cycle_id)
    return petition_stats.points_for(rate, item.max_points)


formulas.register("petition_resolution_rate", petition_resolution_rate)
