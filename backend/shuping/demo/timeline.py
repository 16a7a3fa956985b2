"""The demo's calendar: every date of the 2012 and 2013 county cycles, in the order things happened.

The 2013年上半年 county meeting was held on 30 August 2013 (the newspaper report's date); what
follows it — assessment, publication, interviews, notices, the ledger and its deadline — follows
it here too. The previous cycle (2012年下半年) left a ledger whose completion the 2013 cycle's
整改落实 indicator measures. The village cycle is the one in the present: its dates come from today.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from shuping.core import calendar as cal


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A moment of a day in 汝阳 (China time), as the UTC datetime stored."""
    return datetime.combine(day, time(hour, minute), cal.CHINA_TZ).astimezone(UTC)


# 2012年下半年: its meeting in January, its ledger worked through the spring.
PREVIOUS_PERIOD = (date(2012, 7, 1), date(2012, 12, 31))
PREVIOUS_REPORTS_SUBMITTED = date(2013, 1, 8)
PREVIOUS_MEETING_DAY = date(2013, 1, 18)
PREVIOUS_LEDGER_START = date(2013, 1, 28)
PREVIOUS_DEADLINE = date(2013, 5, 31)

# 2013年上半年: reports in August, the county meeting on 30 August, the ledger due by the end of October.
PERIOD = (date(2013, 1, 1), date(2013, 6, 30))
REPORT_DUE = date(2013, 8, 20)
REPORTS_SUBMITTED = date(2013, 8, 12)
REPORTS_REVIEWED = date(2013, 8, 22)
MEETING_DAY = date(2013, 8, 30)
ASSESSED = date(2013, 9, 2)  # the cycle enters assessment; the petition figures are frozen as of this day
COMPUTED = at(date(2013, 9, 3), 10)
PUBLISHED = at(date(2013, 9, 5), 16)
OPINIONS_FILED = date(2013, 9, 6)  # the meeting's comments and opinions, filed by the org department's clerk
INTERVIEWS = date(2013, 9, 10)
LEDGER_START = date(2013, 9, 12)  # the notices issue and every item starts
NOTICES_ACKNOWLEDGED = date(2013, 9, 16)
DEADLINE = date(2013, 10, 31)  # 整改期限, as the notices say
# Petition cases that feed the cycle were accepted within its period and handled by the snapshot.
PETITIONS_FROM = date(2013, 1, 4)
PETITIONS_TO = date(2013, 6, 24)


def half_year(day: date) -> tuple[str, date, date]:
    """The half-year holding `day`: its name (2026年下半年), first and last day."""
    if day.month <= 6:
        return f"{day.year}年上半年", date(day.year, 1, 1), date(day.year, 6, 30)
    return f"{day.year}年下半年", date(day.year, 7, 1), date(day.year, 12, 31)


def village_meeting(today: date) -> datetime:
    """The present-day village cycle's meeting: scheduled three days from today, at 09:00."""
    return at(today + timedelta(days=3))
