"""Ledger deadlines on the working-day calendar, table-driven, with hand-checked dates."""

from __future__ import annotations

from datetime import date

import pytest

from shuping.core.calendar import WorkCalendar, make_calendar
from shuping.ledger import deadlines
from shuping.ledger.statemachine import ItemStatus

D = date.fromisoformat
# National Day 2026: 1–7 October off, Saturday 10 October worked (调休).
CAL = make_calendar()
BARE = make_calendar(builtin=False)


@pytest.mark.parametrize(
    ("calendar", "start", "days", "due"),
    [
        (BARE, "2026-03-02", 1, "2026-03-03"),  # Monday + 1 → Tuesday
        (BARE, "2026-03-06", 1, "2026-03-09"),  # Friday + 1 → Monday
        (BARE, "2026-03-07", 1, "2026-03-09"),  # Saturday + 1 → Monday
        (BARE, "2026-03-02", 5, "2026-03-09"),
        (BARE, "2026-03-02", 60, "2026-05-25"),
        (CAL, "2026-09-30", 1, "2026-10-08"),  # over the National Day holiday
        (CAL, "2026-09-30", 2, "2026-10-09"),
        (CAL, "2026-09-30", 3, "2026-10-10"),  # the make-up Saturday counts
        (CAL, "2026-02-13", 1, "2026-02-14"),  # make-up Saturday before the Spring Festival
        (CAL, "2026-02-14", 1, "2026-02-24"),  # then the holiday
        (make_calendar([D("2026-03-03")], builtin=False), "2026-03-02", 1, "2026-03-04"),  # a configured holiday
    ],
)
def test_due_date(calendar: WorkCalendar, start: str, days: int, due: str) -> None:
    assert deadlines.due_date(calendar, D(start), days) == D(due)


@pytest.mark.parametrize(
    ("status", "due", "today", "overdue"),
    [
        (ItemStatus.open, "2026-03-10", "2026-03-10", False),  # the due day itself is in time
        (ItemStatus.open, "2026-03-10", "2026-03-11", True),
        (ItemStatus.in_progress, "2026-03-10", "2026-04-01", True),
        (ItemStatus.done, "2026-03-10", "2026-04-01", False),  # finished, awaiting the check
        (ItemStatus.verified, "2026-03-10", "2026-04-01", False),
        (ItemStatus.rejected, "2026-03-10", "2026-04-01", False),
        (ItemStatus.open, None, "2026-04-01", False),
    ],
)
def test_overdue(status: ItemStatus, due: str | None, today: str, overdue: bool) -> None:
    assert deadlines.is_overdue(status, D(due) if due else None, D(today)) is overdue


@pytest.mark.parametrize(
    ("status", "due", "today", "window", "soon"),
    [
        (ItemStatus.open, "2026-03-10", "2026-03-10", 5, True),  # due today
        (ItemStatus.open, "2026-03-13", "2026-03-06", 5, True),  # Fri → Fri is 5 working days
        (ItemStatus.open, "2026-03-16", "2026-03-06", 5, False),  # 6 working days away
        (ItemStatus.in_progress, "2026-03-09", "2026-03-06", 1, True),  # over the weekend
        (ItemStatus.open, "2026-03-09", "2026-03-10", 5, False),  # already overdue, not "soon"
        (ItemStatus.done, "2026-03-10", "2026-03-09", 5, False),
        (ItemStatus.open, "2026-03-06", "2026-03-06", 0, True),
        (ItemStatus.open, "2026-03-09", "2026-03-06", 0, False),
    ],
)
def test_due_soon(status: ItemStatus, due: str, today: str, window: int, soon: bool) -> None:
    until = deadlines.soon_until(BARE, D(today), window)
    assert deadlines.is_due_soon(status, D(due), D(today), until) is soon


@pytest.mark.parametrize(
    ("due", "today", "left"),
    [
        ("2026-03-13", "2026-03-06", 5),
        ("2026-03-06", "2026-03-06", 0),
        ("2026-03-06", "2026-03-09", -1),
        # Found by CI run on a Saturday: due Friday, overdue on the weekend though no working day has passed.
        ("2026-03-06", "2026-03-07", -1),
        ("2026-03-06", "2026-03-08", -1),
        ("2026-03-06", "2026-03-10", -2),
        (None, "2026-03-06", None),
    ],
)
def test_working_days_left(due: str | None, today: str, left: int | None) -> None:
    assert deadlines.working_days_left(BARE, D(due) if due else None, D(today)) == left
