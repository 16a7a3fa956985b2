"""Who reports in a cycle: the reports domain's to say, through the answers `shuping.wiring` plugs in.

Cycles ask two things of it: in which cycles an organisation reports (a secretary sees those, a
clerk those of the organisations they reach) and how many reports of each status a cycle holds
(the cycle's summary). The evaluation gate's report check is the reports domain's own gate check.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.cycles.schemas import ReportCounts
from shuping.orgs.scope import OrgColumn

OrgFilter = Callable[[OrgColumn], ColumnElement[bool]]


@dataclass(frozen=True)
class Reporting:
    cycles_reported_in: Callable[[OrgFilter], Select[int]]
    """The ids of the cycles in which an organisation the filter lets through reports."""
    counts: Callable[[AsyncSession, Sequence[int]], Awaitable[dict[int, ReportCounts]]]
    """Each cycle's reports by status; a cycle without reports may be left out."""


_reporting: Reporting | None = None


def plug(reporting: Reporting) -> None:
    """Say who answers for the reports in cycles (the reports domain)."""
    global _reporting
    _reporting = reporting


def answers() -> Reporting:
    if _reporting is None:
        raise RuntimeError("No one answers for the reports in cycles: call shuping.wiring.wire() first")
    return _reporting


def cycles_reported_in(orgs: OrgFilter) -> Select[int]:
    return answers().cycles_reported_in(orgs)


async def report_counts(session: AsyncSession, cycle_ids: Sequence[int]) -> dict[int, ReportCounts]:
    """Each cycle's reports by status (all zero for a cycle without reports)."""
    counts = await answers().counts(session, cycle_ids) if cycle_ids else {}
    return {cid: counts.get(cid, ReportCounts()) for cid in cycle_ids}
