"""The four measures county petition work is judged by (信访工作考核), on the clocks of the State
Council's 信访工作条例 (2022) as `petitions.calendar` models them (pure; no I/O).

A period is a span of Beijing dates [start, end] (either end open) judged as of a day (today, or
the day a cycle's figures were frozen). Each measure is a count of cases that were *due* for
something in the period — the way the regulations' deadlines make a case 应受理 / 应办结 on a
given day — so a case belongs to one period, fixed by its own clock, however late it is acted on;
and a case is judged only once its outcome is known by the as-of day:

* **及时受理率** (timely acceptance) = cases decided on time ÷ cases due for a decision.
  A case is *due for a decision* when its acceptance deadline — 15 working days after receipt
  (`acceptance`) — falls in the period and, by the as-of day, either the decision was taken (the
  `start` step, `accepted_date`) or the deadline has passed. It was *decided on time* when
  `accepted_date` ≤ the deadline.
* **按期办结率** (on-time completion) = cases handled on time ÷ cases due for completion.
  A decided case is *due for completion* when its handling deadline — 60 working days after the
  acceptance decision, 90 when the period was extended once — falls in the period and, by the
  as-of day, either the handling stage ended (the first `resolve` step, `handled_date`: the step
  that stops the handling clock; review stages after a reopening are not counted) or the deadline
  has passed. It was *handled on time* when `handled_date` ≤ the deadline.
* **群众满意率** (satisfaction) = (满意 + 基本满意) ÷ rated cases, over the cases closed in the
  period (`closed_date` in it, by the as-of day) that carry a rating.
* **参评率** (rating rate) = rated cases ÷ closed cases, over the same cases closed in the period.

Deadlines are counted on the working-day calendar (weekends, holidays and make-up working days as
configured); a decision or completion on the deadline day itself is on time. A measure with nothing
in its denominator has no rate (None), never 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from shuping.core.calendar import WorkCalendar
from shuping.petitions.calendar import Stage, StageLimits, due_date
from shuping.petitions.models import Satisfaction

RATE_PLACES = Decimal("0.000001")
SATISFIED = frozenset({Satisfaction.satisfied, Satisfaction.basically_satisfied})


@dataclass(frozen=True)
class Period:
    """Beijing dates, both ends included; None leaves that end open."""

    start: date | None = None
    end: date | None = None

    def holds(self, day: date | None) -> bool:
        if day is None:
            return False
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class CaseDates:
    """What the measures need of a case."""

    received: date
    accepted: date | None = None
    handled: date | None = None
    closed: date | None = None
    extended: bool = False
    satisfaction: Satisfaction | None = None


@dataclass
class MeasureCounts:
    acceptance_due: int = 0
    accepted_in_time: int = 0
    handling_due: int = 0
    handled_in_time: int = 0
    closed: int = 0
    rated: int = 0
    satisfied: int = 0

    def add(self, other: MeasureCounts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def timely_acceptance_rate(self) -> Decimal | None:
        return rate(self.accepted_in_time, self.acceptance_due)

    @property
    def on_time_completion_rate(self) -> Decimal | None:
        return rate(self.handled_in_time, self.handling_due)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return rate(self.satisfied, self.rated)

    @property
    def rating_rate(self) -> Decimal | None:
        return rate(self.rated, self.closed)


# The measures by the names indicator formulas and the API use, each a rate of two counts.
MEASURES: dict[str, str] = {
    "timely_acceptance_rate": "及时受理率",
    "on_time_completion_rate": "按期办结率",
    "satisfaction_rate": "群众满意率",
    "rating_rate": "参评率",
}


def rate(numerator: int, denominator: int) -> Decimal | None:
    """numerator ÷ denominator to six places (half up); None when nothing was due."""
    if denominator == 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def _settled(done: date | None, deadline: date, as_of: date) -> tuple[bool, bool]:
    """(whether the outcome is known by `as_of`, whether it was on time)."""
    if done is not None and done <= as_of:
        return True, done <= deadline
    return as_of > deadline, False


def judge(
    case: CaseDates, *, period: Period, as_of: date, calendar: WorkCalendar, limits: StageLimits
) -> MeasureCounts:
    """What one case counts towards each measure in the period, as of a day."""
    counts = MeasureCounts()
    acceptance_deadline = due_date(calendar, limits, Stage.acceptance, case.received, extended=False)
    assert acceptance_deadline is not None
    if period.holds(acceptance_deadline):
        known, on_time = _settled(case.accepted, acceptance_deadline, as_of)
        counts.acceptance_due += known
        counts.accepted_in_time += on_time
    if case.accepted is not None and case.accepted <= as_of:
        handling_deadline = due_date(calendar, limits, Stage.handling, case.accepted, extended=case.extended)
        assert handling_deadline is not None
        if period.holds(handling_deadline):
            known, on_time = _settled(case.handled, handling_deadline, as_of)
            counts.handling_due += known
            counts.handled_in_time += on_time
    if case.closed is not None and case.closed <= as_of and period.holds(case.closed):
        counts.closed += 1
        if case.satisfaction is not None:
            counts.rated += 1
            counts.satisfied += case.satisfaction in SATISFIED
    return counts


def tally(
    cases: Iterable[CaseDates], *, period: Period, as_of: date, calendar: WorkCalendar, limits: StageLimits
) -> MeasureCounts:
    """The measures' counts over many cases."""
    total = MeasureCounts()
    for case in cases:
        total.add(judge(case, period=period, as_of=as_of, calendar=calendar, limits=limits))
    return total
