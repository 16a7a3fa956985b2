"""The national working-day calendar from the chinese-calendar package, and configured days over it."""

from __future__ import annotations

from datetime import date

import pytest

from shuping.config import Settings
from shuping.core.calendar import BUILTIN_YEARS, make_calendar, parse_dates
from shuping.petitions.service import clock_from_settings

D = date.fromisoformat
NATIONAL = make_calendar()


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2024-02-04", True),  # a Sunday worked before the 2024 Spring Festival (调休)
        ("2024-02-12", False),  # that Spring Festival's Monday
        ("2024-09-14", True),  # a Saturday worked before the Mid-Autumn Festival
        ("2025-01-29", False),  # the 2025 Spring Festival (正月初一, a Wednesday)
        ("2025-02-04", False),  # its last day
        ("2025-02-05", True),
        ("2010-10-07", False),  # National Day 2010: the package goes back to 2004
        ("2027-01-01", True),  # past the package's years: a Friday, and nothing configured
        ("2027-01-02", False),  # the weekend rule still holds there
    ],
)
def test_national_calendar(day: str, working: bool) -> None:
    assert NATIONAL.is_working_day(D(day)) is working


def test_the_package_years() -> None:
    assert BUILTIN_YEARS.start == 2004 and BUILTIN_YEARS[-1] >= 2026


def test_a_year_past_the_package_counts_on_configured_days() -> None:
    # A made-up 2027 Spring Festival: Monday 8 to Friday 12 February off, Saturday 20 February worked.
    cal = make_calendar(parse_dates("2027-02-08..2027-02-12"), parse_dates("2027-02-20"))
    assert not cal.is_working_day(D("2027-02-09"))
    assert cal.is_working_day(D("2027-02-20"))
    assert cal.add_working_days(D("2027-02-05"), 1) == D("2027-02-15")
    assert cal.add_working_days(D("2027-02-19"), 1) == D("2027-02-20")
    # Counting across the package's last year into the configured one never fails.
    assert cal.add_working_days(D("2026-12-30"), 30) == D("2027-02-17")
    assert cal.working_days_between(D("2026-12-30"), D("2027-02-17")) == 30


def test_configured_days_overrule_the_package() -> None:
    assert NATIONAL.is_working_day(D("2026-02-14"))  # the package's make-up Saturday
    assert NATIONAL.is_working_day(D("2026-03-02"))
    cal = make_calendar(parse_dates("2026-02-14, 2026-03-02"), parse_dates("2026-02-16"))
    assert not cal.is_working_day(D("2026-02-14"))  # a configured holiday on it
    assert not cal.is_working_day(D("2026-03-02"))
    assert cal.is_working_day(D("2026-02-16"))  # a configured working day in the Spring Festival
    assert not cal.is_working_day(D("2026-02-17"))  # the rest of the package's holiday stays


@pytest.mark.parametrize(
    ("env", "holiday", "workday"),
    [
        ({"SHUPING_HOLIDAYS": "2027-03-03", "SHUPING_WORKDAYS": "2027-03-06"}, "2027-03-03", "2027-03-06"),
        (
            {"SHUPING_PETITION_HOLIDAYS": "2027-03-03", "SHUPING_PETITION_WORKDAYS": "2027-03-06"},
            "2027-03-03",
            "2027-03-06",
        ),
        # Both names set: the new one is read.
        ({"SHUPING_HOLIDAYS": "2027-03-04", "SHUPING_PETITION_HOLIDAYS": "2027-03-03"}, "2027-03-04", None),
    ],
)
def test_configured_days_under_new_and_old_names(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], holiday: str, workday: str | None
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    cal = clock_from_settings(settings).calendar
    assert not cal.is_working_day(D(holiday))
    if workday is not None:
        assert cal.is_working_day(D(workday))  # a Saturday
    assert not cal.is_working_day(D("2026-10-05"))  # the national days are still there
    assert settings.holidays == holiday


@pytest.mark.parametrize("name", ["SHUPING_BUILTIN_HOLIDAYS", "SHUPING_PETITION_BUILTIN_HOLIDAYS"])
def test_the_national_days_can_be_left_out(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv(name, "false")
    assert clock_from_settings(Settings()).calendar.is_working_day(D("2026-10-05"))


@pytest.mark.parametrize("name", ["SHUPING_HOLIDAYS", "SHUPING_PETITION_WORKDAYS"])
def test_unreadable_days_are_refused_at_start(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv(name, "2027-02-30")
    # Named by the setting's new name either way.
    with pytest.raises(ValueError, match=name.replace("PETITION_", "")):
        Settings()
