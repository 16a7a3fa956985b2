"""The petition clocks: each statutory stage and its deadline in working days (pure, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shuping.core.calendar import WorkCalendar


class Stage(StrEnum):
    """The statutory stage whose clock is running (信访工作条例)."""

    acceptance = "acceptance"  # decide whether to accept (受理告知)
    handling = "handling"  # handle and answer (办理)
    review = "review"  # 复查
    re_review = "re_review"  # 复核
    done = "done"  # no clock runs


@dataclass(frozen=True)
class StageLimits:
    """Working days each stage may take; defaults follow the national petition regulations."""

    acceptance: int = 15
    handling: int = 60
    extension: int = 30
    review: int = 30
    re_review: int = 30

    def limit(self, stage: Stage) -> int | None:
        return {
            Stage.acceptance: self.acceptance,
            Stage.handling: self.handling,
            Stage.review: self.review,
            Stage.re_review: self.re_review,
        }.get(stage)


def due_date(
    calendar: WorkCalendar, limits: StageLimits, stage: Stage, started: date, *, extended: bool
) -> date | None:
    """The last day of a stage that started on `started`, or None when no clock runs."""
    days = limits.limit(stage)
    if days is None:
        return None
    if extended and stage == Stage.handling:
        days += limits.extension
    return calendar.add_working_days(started, days)


def is_overdue(due: date | None, today: date) -> bool:
    return due is not None and today > due
