"""The working-day calendar and stage deadlines, table-driven with hand-checked dates."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from shuping.core.calendar import (
    BUILTIN_HOLIDAYS,
    BUILTIN_WORKDAYS,
    WorkCalendar,
    china_date,
    make_calendar,
    parse_dates,
)
from shuping.petitions.calendar import Stage, StageLimits, due_date, is_overdue

D = date.fromisoformat
PLAIN = WorkCalendar()
# A made-up holiday week (Mon 2027-05-03 .. Fri 05-07) with a make-up Saturday (05-08).
HOLIDAY_WEEK = WorkCalendar(
    holidays=frozenset(parse_dates("2027-05-03..2027-05-07")), workdays=frozenset({D("2027-05-08")})
)


@pytest.mark.parametrize(
    ("cal", "day", "working"),
    [
        (PLAIN, "2027-03-01", True),  # Monday
        (PLAIN, "2027-03-05", True),  # Friday
        (PLAIN, "2027-03-06", False),  # Saturday
        (PLAIN, "2027-03-07", False),  # Sunday
        (HOLIDAY_WEEK, "2027-05-04", False),  # a holiday Tuesday
        (HOLIDAY_WEEK, "2027-05-08", True),  # a make-up Saturday
        (HOLIDAY_WEEK, "2027-05-09", False),  # an ordinary Sunday
    ],
)
def test_working_days(cal: WorkCalendar, day: str, working: bool) -> None:
    assert cal.is_working_day(D(day)) is working


@pytest.mark.parametrize(
    ("cal", "start", "days", "expected"),
    [
        (PLAIN, "2027-03-01", 0, "2027-03-01"),
        (PLAIN, "2027-03-01", 1, "2027-03-02"),  # start day itself not counted
        (PLAIN, "2027-03-05", 1, "2027-03-08"),  # Friday + 1 → Monday
        (PLAIN, "2027-03-06", 1, "2027-03-08"),  # from a Saturday
        (PLAIN, "2027-03-01", 5, "2027-03-08"),
        (PLAIN, "2027-03-01", 15, "2027-03-22"),
        (PLAIN, "2027-03-01", 60, "2027-05-24"),
        (HOLIDAY_WEEK, "2027-04-30", 1, "2027-05-08"),  # the holiday week is skipped, Saturday works
        (HOLIDAY_WEEK, "2027-04-30", 2, "2027-05-10"),
        (HOLIDAY_WEEK, "2027-04-29", 15, "2027-05-26"),  # 4/30, 5/8, then 13 weekdays
    ],
)
def test_add_working_days(cal: WorkCalendar, start: str, days: int, expected: str) -> None:
    result = cal.add_working_days(D(start), days)
    assert result == D(expected)
    assert cal.working_days_between(D(start), result) == days


def test_builtin_national_holidays() -> None:
    cal = make_calendar()
    assert not cal.is_working_day(D("2026-02-16"))  # Spring Festival
    assert cal.is_working_day(D("2026-02-14"))  # its make-up Saturday
    assert not cal.is_working_day(D("2026-10-05"))  # National Day
    assert cal.is_working_day(D("2026-10-10"))  # make-up Saturday
    assert not cal.is_working_day(D("2025-10-08"))
    assert BUILTIN_WORKDAYS.isdisjoint(BUILTIN_HOLIDAYS)
    # Configured days add to the built-in ones; a configured make-up day wins over a holiday.
    cal = make_calendar(parse_dates("2027-01-01"), parse_dates("2026-10-05"))
    assert not cal.is_working_day(D("2027-01-01"))
    assert cal.is_working_day(D("2026-10-05"))
    assert make_calendar(builtin=False).is_working_day(D("2026-02-16"))


LIMITS = StageLimits()


@pytest.mark.parametrize(
    ("stage", "start", "extended", "expected"),
    [
        (Stage.acceptance, "2027-03-01", False, "2027-03-22"),  # 15 working days
        (Stage.handling, "2027-03-01", False, "2027-05-24"),  # 60
        (Stage.handling, "2027-03-01", True, "2027-07-05"),  # 60 + 30, once
        (Stage.review, "2027-03-01", False, "2027-04-12"),  # 30
        (Stage.re_review, "2027-03-01", False, "2027-04-12"),  # 30
        (Stage.acceptance, "2027-03-01", True, "2027-03-22"),  # only handling can be extended
        (Stage.done, "2027-03-01", False, None),
    ],
)
def test_stage_deadlines(stage: Stage, start: str, extended: bool, expected: str | None) -> None:
    due = due_date(PLAIN, LIMITS, stage, D(start), extended=extended)
    assert due == (D(expected) if expected else None)


def test_configured_limits() -> None:
    limits = StageLimits(acceptance=5, handling=10, extension=5, review=3, re_review=2)
    assert due_date(PLAIN, limits, Stage.acceptance, D("2027-03-01"), extended=False) == D("2027-03-08")
    assert due_date(PLAIN, limits, Stage.handling, D("2027-03-01"), extended=True) == D("2027-03-22")
    assert due_date(PLAIN, limits, Stage.re_review, D("2027-03-01"), extended=False) == D("2027-03-03")


@pytest.mark.parametrize(
    ("due", "today", "late"),
    [(None, "2027-03-01", False), ("2027-03-01", "2027-03-01", False), ("2027-03-01", "2027-03-02", True)],
)
def test_overdue(due: str | None, today: str, late: bool) -> None:
    assert is_overdue(D(due) if due else None, D(today)) is late


def test_parse_dates_and_china_date() -> None:
    assert parse_dates(" 2027-01-01 ; 2027-01-03..2027-01-04,") == {D("2027-01-01"), D("2027-01-03"), D("2027-01-04")}
    with pytest.raises(ValueError):
        parse_dates("2027-13-01")
    with pytest.raises(ValueError):
        parse_dates("2027-01-05..2027-01-01")
    assert china_date(datetime(2027, 3, 1, 17, 0, tzinfo=UTC)) == D("2027-03-02")
    assert china_date(datetime(2027, 3, 1, 15, 59)) == D("2027-03-01")
