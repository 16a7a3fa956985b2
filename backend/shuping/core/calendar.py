"""Beijing dates and the working-day calendar: national holidays and make-up working days (pure, no I/O).

The petition clocks (petitions.calendar), the ledger's deadlines and the results' notices count on it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

import chinese_calendar

# China keeps one offset all year (no daylight saving): dates are Beijing dates.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def _span(first: str, last: str) -> list[date]:
    a, b = date.fromisoformat(first), date.fromisoformat(last)
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


# National holidays and make-up working days (调休) as the State Council General Office publishes
# them, from the chinese-calendar package (2004 to BUILTIN_YEARS' last year; a newer release of the
# package brings the next year). Read as its tables, never through its functions: those raise for a
# year they do not know, where a year past them simply keeps the weekend rule until its days are
# configured (SHUPING_HOLIDAYS, SHUPING_WORKDAYS).
BUILTIN_HOLIDAYS: frozenset[date] = frozenset(chinese_calendar.holidays)
BUILTIN_WORKDAYS: frozenset[date] = frozenset(chinese_calendar.workdays)
BUILTIN_YEARS = range(min(d.year for d in BUILTIN_HOLIDAYS), max(d.year for d in BUILTIN_HOLIDAYS) + 1)


def parse_dates(text: str) -> frozenset[date]:
    """Read "2027-01-01, 2027-02-05..2027-02-11" into a set of dates; raise ValueError if unreadable."""
    out: set[date] = set()
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        if ".." in part:
            first, last = (x.strip() for x in part.split("..", 1))
            days = _span(first, last)
            if not days:
                raise ValueError(f"empty date range {part!r}")
            out.update(days)
        else:
            out.add(date.fromisoformat(part))
    return frozenset(out)


@dataclass(frozen=True)
class WorkCalendar:
    """Monday to Friday, less holidays, plus make-up working days on weekends."""

    holidays: frozenset[date] = field(default_factory=frozenset)
    workdays: frozenset[date] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def add_working_days(self, start: date, days: int) -> date:
        """The day on which the `days`-th working day after `start` falls (start itself not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        current, left = start, days
        while left:
            current += timedelta(days=1)
            if self.is_working_day(current):
                left -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (negative when end is earlier)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for i in range(1, (end - start).days + 1) if self.is_working_day(start + timedelta(days=i)))


def china_date(moment: datetime) -> date:
    """The Beijing calendar date of an instant (a naive value is taken as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(CHINA_TZ).date()


def china_today() -> date:
    return datetime.now(CHINA_TZ).date()


def make_calendar(
    holidays: Iterable[date] = (), workdays: Iterable[date] = (), *, builtin: bool = True
) -> WorkCalendar:
    """The national calendar (unless `builtin` is off) with the configured days over it.

    A configured day overrules the national calendar on that day, in either direction (a local
    holiday on a make-up Saturday, a working day inside a national holiday); a day configured as
    both is a working day.
    """
    h, w = frozenset(holidays), frozenset(workdays)
    if builtin:
        h, w = h | (BUILTIN_HOLIDAYS - w), w | (BUILTIN_WORKDAYS - h)
    return WorkCalendar(h - w, w)
