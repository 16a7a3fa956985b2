"""Monthly reports (月报): each unit reports its month, with figures computed from the pipeline.

A report's figures are what `completion` computes for the unit on the month's last day (clamped to
the programme's period), kept as submitted: later stage moves do not change a submitted report, a
resubmission does (it replaces the figures and the note, audited with before and after) until the
month's bulletin is published. A unit reports a month that overlaps the programme's period and has begun.

Who (DESIGN §8): a unit's secretary, or a clerk reaching the unit, submits and reads the unit's own
reports; the programme's managers, its office (who publish the bulletins) and the host's leaders
(who supervise it) read every unit's, and the managers submit for any unit.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import ColumnElement, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import Role, User
from shuping.core.calendar import china_today
from shuping.core.errors import AppError, Forbidden, InvalidState, NotFound
from shuping.core.i18n import N_
from shuping.core.schemas import BodyId, Schema, TextInput
from shuping.core.values import DecimalOut, decimal_text
from shuping.db import utcnow
from shuping.orgs.scope import reaches, within_reach
from shuping.targets import completion as calc
from shuping.targets import progress
from shuping.targets.models import (
    BulletinStatus,
    ProgrammeStatus,
    Target,
    TargetBulletin,
    TargetMonthlyReport,
    TargetProgramme,
)
from shuping.targets.schemas import OrgRef
from shuping.targets.service import may_manage, may_publish, org_ref, orgs_by_id, require_open, require_units

# Who reads or submits reports at all (the rest get 403): staff, the units' secretaries, the host's leaders.
REPORT_ROLES = frozenset({Role.admin, Role.clerk, Role.secretary, Role.leader})
WEIGHT_PLACES = Decimal("0.00000001")  # the column's eight places

Month = Annotated[
    str,
    Field(pattern=r"^20\d\d-(0[1-9]|1[0-2])$", description="YYYY-MM, e.g. 2013-10", examples=["2013-10"]),
]


class MonthOutsidePeriod(AppError):
    status, code, title = 422, "month-outside-period", N_("The month is outside the programme's period")

    def __init__(self, loc: list[str | int], programme: TargetProgramme, month: str) -> None:
        msg = N_(
            "{month} is outside the programme's period, {start} to {end}",
            month=month,
            start=programme.period_start.isoformat(),
            end=programme.period_end.isoformat(),
        )
        super().__init__(msg, errors=[{"loc": loc, "msg": msg}])


class MonthNotBegun(AppError):
    status, code, title = 422, "month-not-begun", N_("The month has not begun")

    def __init__(self, loc: list[str | int], month: str) -> None:
        msg = N_("{month} has not begun: a month is reported once it has", month=month)
        super().__init__(msg, errors=[{"loc": loc, "msg": msg}])


class ReportLocked(InvalidState):
    code, title = "month-published", N_("The month's bulletin is published")


# ---------------------------------------------------------------- schemas


class MonthlyReportIn(TextInput):
    org_id: BodyId = Field(description="The unit reporting")
    month: Month
    note: str = Field(default="", max_length=4000, description="The unit's account of its month")


class ReportFigure(Schema):
    measure_key: str
    name: str
    unit: str
    target: DecimalOut | None = Field(description="null: the unit has no target for it")
    actual: DecimalOut
    completion: DecimalOut | None = Field(description="actual ÷ target (uncapped), six places")


class MonthlyReportRead(Schema):
    id: int
    programme_id: int
    org: OrgRef
    month: str = Field(description="YYYY-MM")
    as_of: date = Field(description="The day the figures were computed on (the month's end, within the period)")
    figures: list[ReportFigure]
    weighted_completion: DecimalOut | None
    note: str
    submitted_at: datetime
    submitted_by_name: str | None
    updated_at: datetime
    locked: bool = Field(description="The month's bulletin is published: the report can no longer be resubmitted")


# ---------------------------------------------------------------- months


def month_start(text: str) -> date:
    year, month = (int(part) for part in text.split("-"))
    return date(year, month, 1)


def month_text(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_end(first: date) -> date:
    return first.replace(day=monthrange(first.year, first.month)[1])


def check_month(programme: TargetProgramme, month: str, loc: list[str | int]) -> date:
    """The month's first day, if the month overlaps the programme's period (else 422 naming `loc`)."""
    first = month_start(month)
    if month_end(first) < programme.period_start or first > programme.period_end:
        raise MonthOutsidePeriod(loc, programme, month)
    return first


def as_of(programme: TargetProgramme, first: date) -> date:
    """The day a month's figures are computed on: its last day, within the period."""
    return max(programme.period_start, min(month_end(first), programme.period_end))


# ---------------------------------------------------------------- access


def reads_all(user: User, programme: TargetProgramme) -> bool:
    """The programme's managers, its office and the host's leaders read every unit's reports."""
    return (
        may_manage(user, programme)
        or may_publish(user, programme)
        or (user.role == Role.leader and user.org_id == programme.host_org_id)
    )


def _scope(user: User, programme: TargetProgramme) -> ColumnElement[bool]:
    return true() if reads_all(user, programme) else within_reach(user, TargetMonthlyReport.org_id)


async def published_months(session: AsyncSession, programme_id: int) -> set[date]:
    rows = await session.execute(
        select(TargetBulletin.month).where(
            TargetBulletin.programme_id == programme_id, TargetBulletin.status == BulletinStatus.published
        )
    )
    return set(rows.scalars())


async def _reads(session: AsyncSession, reports: list[TargetMonthlyReport]) -> list[MonthlyReportRead]:
    orgs = await orgs_by_id(session, {r.org_id for r in reports})
    users = {
        u.id: u.full_name
        for u in (
            await session.execute(select(User).where(User.id.in_({r.submitted_by for r in reports if r.submitted_by})))
        ).scalars()
    }
    locked: dict[int, set[date]] = {}
    for programme_id in {r.programme_id for r in reports}:
        locked[programme_id] = await published_months(session, programme_id)
    return [
        MonthlyReportRead(
            id=r.id,
            programme_id=r.programme_id,
            org=org_ref(orgs[r.org_id]),
            month=month_text(r.month),
            as_of=r.as_of,
            figures=[ReportFigure.model_validate(f) for f in r.figures],
            weighted_completion=r.weighted_completion,
            note=r.note,
            submitted_at=r.submitted_at,
            submitted_by_name=users.get(r.submitted_by) if r.submitted_by else None,
            updated_at=r.updated_at,
            locked=r.month in locked[r.programme_id],
        )
        for r in reports
    ]


# ---------------------------------------------------------------- reading


async def list_reports(
    session: AsyncSession, *, programme: TargetProgramme, user: User, month: str | None, org_id: int | None
) -> list[MonthlyReportRead]:
    stmt = select(TargetMonthlyReport).where(TargetMonthlyReport.programme_id == programme.id, _scope(user, programme))
    if month is not None:
        stmt = stmt.where(TargetMonthlyReport.month == check_month(programme, month, ["query", "month"]))
    if org_id is not None:
        stmt = stmt.where(TargetMonthlyReport.org_id == org_id)
    reports = list((await session.execute(stmt.order_by(TargetMonthlyReport.month, TargetMonthlyReport.id))).scalars())
    reads = await _reads(session, reports)
    return sorted(reads, key=lambda r: (r.month, r.org.code))


async def not_reported(session: AsyncSession, *, programme: TargetProgramme, user: User, month: str) -> list[OrgRef]:
    """The units with a target (among those the user reads) that have not reported the month (未报送)."""
    first = check_month(programme, month, ["query", "month"])
    units = select(Target.org_id).where(Target.programme_id == programme.id)
    if not reads_all(user, programme):
        units = units.where(within_reach(user, Target.org_id))
    reported = select(TargetMonthlyReport.org_id).where(
        TargetMonthlyReport.programme_id == programme.id, TargetMonthlyReport.month == first
    )
    ids = set((await session.execute(units.where(Target.org_id.not_in(reported)).distinct())).scalars())
    orgs = await orgs_by_id(session, ids)
    return sorted((org_ref(o) for o in orgs.values()), key=lambda o: o.code)


async def get_report(session: AsyncSession, report_id: int, *, user: User) -> MonthlyReportRead:
    report = await session.get(TargetMonthlyReport, report_id)
    if report is not None:
        programme = await session.get(TargetProgramme, report.programme_id)
        if programme is not None and (reads_all(user, programme) or await reaches(session, user, report.org_id)):
            return (await _reads(session, [report]))[0]
    raise NotFound(N_("No monthly report {id}", id=report_id))


# ---------------------------------------------------------------- submitting


async def figures_of(
    session: AsyncSession, programme: TargetProgramme, org_id: int, day: date
) -> tuple[list[dict[str, Any]], Decimal | None]:
    """The unit's figures on `day` as stored: per measure, decimal strings; and its weighted completion."""
    known = await progress.facts(session, programme)
    measures = known[0]
    unit = progress.results_on(programme, known, day, units=[org_id])[org_id]
    figures = []
    for m in measures:
        r = unit.measures[m.key]
        completion = calc.rounded(r.completion)
        figures.append(
            {
                "measure_key": m.key,
                "name": m.name,
                "unit": m.unit,
                "target": None if r.target is None else decimal_text(r.target),
                "actual": decimal_text(r.actual),
                "completion": None if completion is None else decimal_text(completion),
            }
        )
    weighted = None if unit.weighted is None else unit.weighted.quantize(WEIGHT_PLACES)
    return figures, weighted


def _snapshot(report: TargetMonthlyReport) -> dict[str, Any]:
    return {
        "as_of": report.as_of.isoformat(),
        "figures": report.figures,
        "weighted_completion": None if report.weighted_completion is None else decimal_text(report.weighted_completion),
        "note": report.note,
    }


async def submit(
    session: AsyncSession, *, programme: TargetProgramme, report_in: MonthlyReportIn, actor: User
) -> MonthlyReportRead:
    """Submit a unit's month, or resubmit it (replacing figures and note) until its bulletin is published."""
    await require_units(session, programme, {report_in.org_id: ["body", "org_id"]})
    if not may_manage(actor, programme) and not await reaches(session, actor, report_in.org_id):
        raise Forbidden(N_("You may report for your own unit only"))
    require_open(programme)
    if programme.status == ProgrammeStatus.draft:
        raise InvalidState(N_("{name} is a draft: activate it before units report", name=programme.name))
    first = check_month(programme, report_in.month, ["body", "month"])
    if first > china_today():
        raise MonthNotBegun(["body", "month"], report_in.month)
    if first in await published_months(session, programme.id):
        raise ReportLocked(
            N_(
                "The bulletin of {month} is published: its reports can no longer be changed",
                month=report_in.month,
            )
        )
    day = as_of(programme, first)
    figures, weighted = await figures_of(session, programme, report_in.org_id, day)
    report = (
        await session.execute(
            select(TargetMonthlyReport).where(
                TargetMonthlyReport.programme_id == programme.id,
                TargetMonthlyReport.org_id == report_in.org_id,
                TargetMonthlyReport.month == first,
            )
        )
    ).scalar_one_or_none()
    before = None if report is None else _snapshot(report)
    if report is None:
        report = TargetMonthlyReport(programme_id=programme.id, org_id=report_in.org_id, month=first)
        session.add(report)
    report.as_of, report.figures, report.weighted_completion = day, figures, weighted
    report.note, report.submitted_by, report.submitted_at = report_in.note, actor.id, utcnow()
    await session.flush()
    await audit.record(
        session,
        actor=actor,
        action="target_monthly_report.resubmit" if before is not None else "target_monthly_report.submit",
        entity_type="target_monthly_report",
        entity_id=report.id,
        data={
            "programme_id": programme.id,
            "org_id": report.org_id,
            "month": report_in.month,
            **({"before": before} if before is not None else {}),
            "after": _snapshot(report),
        },
    )
    await session.refresh(report)
    return (await _reads(session, [report]))[0]
