"""Ledger deadlines on the petitions' working-day calendar: due dates, overdue and due-soon flags (pure)."""

from __future__ import annotations

from datetime import date

from shuping.core.calendar import WorkCalendar
from shuping.ledger.statemachine import ACTIVE, ItemStatus


def due_date(calendar: WorkCalendar, start: date, working_days: int) -> date:
    """The day on which the `working_days`-th working day after `start` falls."""
    return calendar.add_working_days(start, working_days)


def is_overdue(status: ItemStatus, due: date | None, today: date) -> bool:
    """An item still being worked on whose deadline has passed (the due day itself is in time)."""
    return status in ACTIVE and due is not None and today > due


def soon_until(calendar: WorkCalendar, today: date, window: int) -> date:
    """The last day counted as due soon: `window` working days after today."""
    return calendar.add_working_days(today, window)


def is_due_soon(status: ItemStatus, due: date | None, today: date, until: date) -> bool:
    """An item still being worked on whose deadline is today or later but no later than `until`."""
    return status in ACTIVE and due is not None and today <= due <= until


def working_days_left(calendar: WorkCalendar, due: date | None, today: date) -> int | None:
    """Working days from today to the deadline, negative once it has passed — at least one day late from the
    day after it, a weekend included (no working day has gone by since a Friday deadline on the Saturday,
    yet the item is overdue); None without a deadline."""
    if due is None:
        return None
    left = calendar.working_days_between(today, due)
    return min(left, -1) if today > due else left
