"""What the reports domain answers cycles (plugged in by `shuping.wiring`): in which cycles an
organisation reports, each cycle's reports by status, and the evaluation gate's check that every
report is accepted."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.core.i18n import N_
from shuping.cycles.models import Cycle
from shuping.cycles.reporting import OrgFilter, Reporting
from shuping.cycles.schemas import Blocker, ReportCounts
from shuping.orgs.models import Organization
from shuping.reports.models import Report, ReportStatus


def cycles_reported_in(orgs: OrgFilter) -> Select[int]:
    return select(Report.cycle_id).where(orgs(Report.org_id))


async def counts(session: AsyncSession, cycle_ids: Sequence[int]) -> dict[int, ReportCounts]:
    stmt = (
        select(Report.cycle_id, Report.status, func.count())
        .where(Report.cycle_id.in_(cycle_ids))
        .group_by(Report.cycle_id, Report.status)
    )
    found: dict[int, ReportCounts] = {}
    for cid, status, n in (await session.execute(stmt)).all():
        c = found.setdefault(int(cid), ReportCounts())
        setattr(c, ReportStatus(status).value, int(n))
        c.total += int(n)
    return found


REPORTING = Reporting(cycles_reported_in=cycles_reported_in, counts=counts)


async def all_accepted(session: AsyncSession, cycle: Cycle) -> list[Blocker]:
    """A gate: evaluation begins once the cycle has reports and every one is accepted."""
    pending = (
        (
            await session.execute(
                select(Organization.name)
                .join(Report, Report.org_id == Organization.id)
                .where(Report.cycle_id == cycle.id, Report.status != ReportStatus.accepted)
                .order_by(Report.position, Report.id)
            )
        )
        .scalars()
        .all()
    )
    total = await session.scalar(select(func.count()).where(Report.cycle_id == cycle.id))
    if not total:
        return [Blocker(code="no_reports", message=N_("The cycle has no reports"))]
    if pending:
        names = "、".join(pending[:5]) + ("…" if len(pending) > 5 else "")
        return [
            Blocker(
                code="reports_not_accepted",
                message=N_("{count} report(s) not yet accepted: {names}", count=len(pending), names=names),
                params={"count": len(pending), "names": names},
            )
        ]
    return []
