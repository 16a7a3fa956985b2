"""The four measures of petition work (及时受理率, 按期办结率, 群众满意率, 参评率) on hand-built cases with
known answers, the statistics' period filter, the rating taken on closing, the indicator formulas and
the frozen snapshot."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.core.calendar import WorkCalendar
from shuping.cycles.models import Cycle, CycleStage
from shuping.petitions import stats
from shuping.petitions.calendar import StageLimits
from shuping.petitions.measures import CaseDates, MeasureCounts, Period, judge, rate, tally
from shuping.petitions.models import PetitionCase, Satisfaction, StatsGroup
from shuping.rubrics import formulas
from shuping.wiring import wire
from tests.support.builders import auth_headers, get_org, get_user, make_case, make_cycle

STATS = "/api/v1/petitions/stats"
CHINESE = {"Accept-Language": "zh-CN"}
PLAIN = WorkCalendar()  # Monday to Friday, no holidays: every deadline below is counted by hand
LIMITS = StageLimits()
S = Satisfaction


def _tally(
    cases: list[CaseDates], start: date, end: date, as_of: date, calendar: WorkCalendar = PLAIN
) -> MeasureCounts:
    return tally(cases, period=Period(start, end), as_of=as_of, calendar=calendar, limits=LIMITS)


# ---------------------------------------------------------------- pure, by hand


def test_acceptance_deadline_is_fifteen_working_days_and_the_last_day_is_on_time() -> None:
    # Received Monday 2 March 2026: 15 working days later is Monday 23 March.
    assert PLAIN.add_working_days(date(2026, 3, 2), 15) == date(2026, 3, 23)
    received = date(2026, 3, 2)
    cases = [
        CaseDates(received, accepted=date(2026, 3, 23)),  # on the deadline day: on time
        CaseDates(received, accepted=date(2026, 3, 24)),  # a day late
        CaseDates(received),  # never decided, deadline passed: due and late
        CaseDates(date(2026, 4, 28), accepted=date(2026, 4, 29)),  # due 19 May: another period
        CaseDates(date(2026, 2, 2), accepted=date(2026, 2, 3)),  # due 23 February: before the period
    ]
    m = _tally(cases, date(2026, 3, 1), date(2026, 4, 30), as_of=date(2026, 6, 1))
    assert (m.acceptance_due, m.accepted_in_time) == (3, 1)
    assert m.timely_acceptance_rate == Decimal("0.333333")


def test_a_holiday_moves_the_acceptance_deadline() -> None:
    # A holiday on Tuesday 10 March pushes the deadline to Tuesday 24 March: the second case is on time now.
    holiday = WorkCalendar(holidays=frozenset({date(2026, 3, 10)}))
    assert holiday.add_working_days(date(2026, 3, 2), 15) == date(2026, 3, 24)
    received = date(2026, 3, 2)
    cases = [CaseDates(received, accepted=date(2026, 3, 23)), CaseDates(received, accepted=date(2026, 3, 24))]
    plain = _tally(cases, date(2026, 3, 1), date(2026, 3, 31), as_of=date(2026, 6, 1))
    with_holiday = _tally(cases, date(2026, 3, 1), date(2026, 3, 31), as_of=date(2026, 6, 1), calendar=holiday)
    assert plain.timely_acceptance_rate == Decimal("0.5")
    assert with_holiday.timely_acceptance_rate == Decimal("1")
    # A make-up working Saturday (14 March) pulls it back a day.
    makeup = WorkCalendar(holidays=frozenset({date(2026, 3, 10)}), workdays=frozenset({date(2026, 3, 14)}))
    assert makeup.add_working_days(date(2026, 3, 2), 15) == date(2026, 3, 23)


def test_an_undecided_case_is_judged_only_once_its_deadline_has_passed() -> None:
    # Received Monday 20 April 2026: due Monday 11 May.
    assert PLAIN.add_working_days(date(2026, 4, 20), 15) == date(2026, 5, 11)
    pending, early = CaseDates(date(2026, 4, 20)), CaseDates(date(2026, 4, 20), accepted=date(2026, 4, 22))
    before = _tally([pending, early], date(2026, 5, 1), date(2026, 5, 31), as_of=date(2026, 5, 5))
    assert (before.acceptance_due, before.accepted_in_time) == (1, 1)  # the pending one is not judged yet
    on_the_day = _tally([pending], date(2026, 5, 1), date(2026, 5, 31), as_of=date(2026, 5, 11))
    assert on_the_day.acceptance_due == 0 and on_the_day.timely_acceptance_rate is None
    after = _tally([pending, early], date(2026, 5, 1), date(2026, 5, 31), as_of=date(2026, 5, 12))
    assert (after.acceptance_due, after.accepted_in_time) == (2, 1)
    # A decision taken after the as-of day is not known then.
    late_known = _tally(
        [CaseDates(date(2026, 4, 20), accepted=date(2026, 5, 8))], date(2026, 5, 1), date(2026, 5, 31), date(2026, 5, 5)
    )
    assert late_known.acceptance_due == 0


def test_handling_deadline_with_and_without_the_extension() -> None:
    # Decided Monday 5 January 2026: 60 working days is 12 weeks (30 March), 90 is 18 weeks (11 May).
    accepted = date(2026, 1, 5)
    assert PLAIN.add_working_days(accepted, 60) == date(2026, 3, 30)
    assert PLAIN.add_working_days(accepted, 90) == date(2026, 5, 11)
    received = date(2025, 12, 29)  # its acceptance deadline falls in January: outside the period
    cases = [
        CaseDates(received, accepted=accepted, handled=date(2026, 3, 30)),  # on the deadline day
        CaseDates(received, accepted=accepted, handled=date(2026, 3, 31)),  # a day late
        CaseDates(received, accepted=accepted, handled=date(2026, 5, 1), extended=True),  # within the extension
        CaseDates(received, accepted=accepted, extended=True),  # not handled, extended deadline passed
        CaseDates(received, accepted=date(2026, 4, 1), handled=date(2026, 4, 2)),  # due 24 June: outside
        CaseDates(received),  # never decided: no handling deadline
    ]
    m = _tally(cases, date(2026, 3, 1), date(2026, 5, 31), as_of=date(2026, 6, 1))
    assert (m.handling_due, m.handled_in_time) == (4, 2)
    assert m.on_time_completion_rate == Decimal("0.5")
    assert m.acceptance_due == 0 and m.timely_acceptance_rate is None  # nothing due for a decision: no rate
    # Extended after the deadline had passed unextended, still judged by the extended deadline.
    assert judge(cases[2], period=Period(), as_of=date(2026, 6, 1), calendar=PLAIN, limits=LIMITS).handled_in_time == 1


def test_satisfaction_and_rating_over_the_cases_closed_in_the_period() -> None:
    r = date(2026, 1, 5)
    cases = [
        CaseDates(r, closed=date(2026, 3, 2), satisfaction=S.satisfied),
        CaseDates(r, closed=date(2026, 3, 3), satisfaction=S.basically_satisfied),
        CaseDates(r, closed=date(2026, 3, 4), satisfaction=S.dissatisfied),
        CaseDates(r, closed=date(2026, 3, 5)),  # not rated (未评价)
        CaseDates(r, closed=date(2026, 7, 1), satisfaction=S.satisfied),  # closed after the period
        CaseDates(r, satisfaction=None),  # not closed
    ]
    m = _tally(cases, date(2026, 3, 1), date(2026, 6, 30), as_of=date(2026, 12, 1))
    assert (m.closed, m.rated, m.satisfied) == (4, 3, 2)
    assert m.satisfaction_rate == Decimal("0.666667")
    assert m.rating_rate == Decimal("0.75")


def test_nothing_in_the_period_gives_no_rate_rather_than_zero() -> None:
    m = _tally([], date(2026, 1, 1), date(2026, 12, 31), as_of=date(2026, 12, 31))
    assert m == MeasureCounts()
    assert (m.timely_acceptance_rate, m.on_time_completion_rate, m.satisfaction_rate, m.rating_rate) == (None,) * 4
    assert rate(0, 0) is None and rate(0, 3) == Decimal("0") and rate(2, 3) == Decimal("0.666667")


def test_an_open_period_judges_every_case() -> None:
    cases = [CaseDates(date(2026, 3, 2), accepted=date(2026, 3, 3)), CaseDates(date(2020, 3, 2))]
    m = tally(cases, period=Period(), as_of=date(2026, 12, 1), calendar=PLAIN, limits=LIMITS)
    assert (m.acceptance_due, m.accepted_in_time) == (2, 1)


# ---------------------------------------------------------------- through the API


async def _hand_built(session: AsyncSession) -> dict[str, PetitionCase]:
    """Cases of 2019 (no demo case is that old) in 大虎岭乡, each step dated by hand."""
    town = await get_org(session, "410326206")
    day = date(2019, 3, 4)  # a Monday
    plan: dict[str, dict[str, Any]] = {
        # acceptance: decided the next day, decided after two months, never decided
        "prompt": {"accepted_date": day + timedelta(days=1)},
        "slow": {"accepted_date": day + timedelta(days=60)},
        "silent": {},
        # closed, each rated differently, handled the week after the decision
        "pleased": {"closed": S.satisfied},
        "content": {"closed": S.basically_satisfied},
        "unhappy": {"closed": S.dissatisfied},
        "unrated": {"closed": None},
    }
    out: dict[str, PetitionCase] = {}
    for name, spec in plan.items():
        case = await make_case(session, org=town, received=day, summary=name)
        values: dict[str, object] = {"accepted_date": spec.get("accepted_date")}
        if "closed" in spec:
            values = {
                "accepted_date": day + timedelta(days=1),
                "handled_date": day + timedelta(days=8),
                "resolved_date": day + timedelta(days=8),
                "closed_date": day + timedelta(days=10),
                "status": "closed",
                "stage": "done",
                "due_date": None,
                "satisfaction": spec["closed"],
            }
        await session.execute(update(PetitionCase).where(PetitionCase.id == case.id).values(**values))
        out[name] = case
    await session.flush()
    return out


async def test_the_measures_per_township_and_in_total(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await _hand_built(session)
    h = auth_headers(await get_user(session, "admin"))
    r = await client.get(STATS, params={"from": "2019-01-01", "to": "2019-12-31"}, headers=h)
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["period_from"], body["period_to"]) == ("2019-01-01", "2019-12-31")
    row = next(row for row in body["rows"] if row["org"]["code"] == "410326206")
    # 7 due for a decision, 5 on time (the four closed ones and "prompt").
    assert (row["acceptance_due"], row["accepted_in_time"], row["timely_acceptance_rate"]) == (7, 5, "0.714286")
    # 6 decided, all due within 2019; the four closed ones were handled within a week, the other two never.
    assert (row["handling_due"], row["handled_in_time"], row["on_time_completion_rate"]) == (6, 4, "0.666667")
    assert (row["closed"], row["rated"], row["satisfied"]) == (4, 3, 2)
    assert (row["satisfaction_rate"], row["rating_rate"]) == ("0.666667", "0.750000")
    assert row["accepted"] == 7 and row["resolved"] == 4
    # Only these cases fall in 2019: the total is the row, every other row has no rate.
    total = body["total"]
    assert (total["accepted"], total["acceptance_due"], total["closed"]) == (7, 7, 4)
    assert all(r["timely_acceptance_rate"] is None for r in body["rows"] if r["org"]["code"] != "410326206")
    # By department, the same total.
    dept = (
        await client.get(STATS, params={"from": "2019-01-01", "to": "2019-12-31", "group_by": "department"}, headers=h)
    ).json()
    assert dept["total"]["satisfaction_rate"] == "0.666667"
    # No period: every case received by today (the demo's 346 and these 7).
    assert (await client.get(STATS, headers=h)).json()["total"]["accepted"] == 353


async def test_a_secretary_sees_only_their_townships_measures(client: httpx.AsyncClient, session: AsyncSession) -> None:
    await _hand_built(session)
    clerk = auth_headers(await get_user(session, "s410326104"))  # 小店镇 secretary: none of these cases
    body = (await client.get(STATS, params={"from": "2019-01-01", "to": "2019-12-31"}, headers=clerk)).json()
    assert body["total"]["acceptance_due"] == 0 and body["total"]["timely_acceptance_rate"] is None
    assert [r["org"]["code"] for r in body["rows"]] == ["410326104"]


async def test_bad_periods_are_refused_naming_the_field(client: httpx.AsyncClient, session: AsyncSession) -> None:
    h = auth_headers(await get_user(session, "admin"))
    for params, field in (
        ({"from": "2019-13-01"}, "from"),
        ({"to": "yesterday"}, "to"),
        ({"from": "1999-12-31"}, "from"),
        ({"from": "2019-06-01", "to": "2019-05-31"}, "to"),
    ):
        for headers in (h, {**h, **CHINESE}):
            r = await client.get(STATS, params=params, headers=headers)
            assert r.status_code == 422, (params, r.text)
            assert r.headers["content-type"].startswith("application/problem+json")
            assert r.json()["errors"][0]["loc"] == ["query", field], r.text
    en = (await client.get(STATS, params={"from": "2019-06-01", "to": "2019-05-31"}, headers=h)).json()
    zh = (await client.get(STATS, params={"from": "2019-06-01", "to": "2019-05-31"}, headers={**h, **CHINESE})).json()
    assert en["errors"][0]["msg"] == "The period ends (to) before it starts (from)"
    assert zh["errors"][0]["msg"] == "统计期间的结束日期（to）早于开始日期（from）"
    r = await client.get(
        "/api/v1/petitions/appointments",
        params={"since": "2026-03-02T00:00:00Z", "until": "2026-03-01T00:00:00Z"},
        headers={**h, **CHINESE},
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["query", "until"]
    assert r.json()["errors"][0]["msg"] == "期间的结束时间（until）早于开始时间（since）"


async def test_closing_takes_the_rating_and_reopening_clears_it(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    case = await make_case(session)
    h = auth_headers(await get_user(session, "admin"))
    url = f"/api/v1/petitions/cases/{case.id}/transitions"
    r = await client.post(url, json={"to_status": "in_progress", "satisfaction": "satisfied"}, headers=h)
    assert r.status_code == 400 and r.json()["errors"][0]["loc"] == ["body", "satisfaction"]
    r = await client.post(url, json={"to_status": "in_progress"}, headers=h)
    assert r.json()["accepted_date"] == r.json()["stage_started_date"]
    dept = await get_org(session, "410326-D29")
    await client.post(url, json={"to_status": "assigned", "holder_org_id": dept.id}, headers=h)
    resolved = (await client.post(url, json={"to_status": "resolved"}, headers=h)).json()
    assert resolved["handled_date"] == resolved["resolved_date"] and resolved["closed_date"] is None
    r = await client.post(url, json={"to_status": "closed", "satisfaction": "bogus"}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "satisfaction"]
    closed = (
        await client.post(url, json={"to_status": "closed", "satisfaction": "basically_satisfied"}, headers=h)
    ).json()
    assert closed["satisfaction"] == "basically_satisfied" and closed["closed_date"] == resolved["resolved_date"]
    reopened = (await client.post(url, json={"to_status": "in_progress"}, headers=h)).json()
    assert reopened["satisfaction"] is None and reopened["closed_date"] is None
    assert reopened["handled_date"] == resolved["handled_date"]  # the first handling stage's end stays
    # Closing without a rating leaves it unrated.
    await client.post(url, json={"to_status": "assigned", "holder_org_id": dept.id}, headers=h)
    await client.post(url, json={"to_status": "resolved"}, headers=h)
    unrated = (await client.post(url, json={"to_status": "closed"}, headers=h)).json()
    assert unrated["status"] == "closed" and unrated["satisfaction"] is None


async def test_formulas_use_the_cycles_period_and_freeze_with_its_snapshot(session: AsyncSession) -> None:
    wire()
    await _hand_built(session)
    town = await get_org(session, "410326206")
    cycle_id = int((await make_cycle(session)).cycle_id)
    await session.execute(
        update(Cycle)
        .where(Cycle.id == cycle_id)
        .values(period_start=date(2019, 1, 1), period_end=date(2019, 12, 31), stage=CycleStage.assessment)
    )
    report = SimpleNamespace(id=1, org_id=town.id, cycle_id=cycle_id)
    item = SimpleNamespace(max_points=Decimal("10"))
    expected = {
        "petition_timely_acceptance_rate": Decimal("7.14286"),
        "petition_on_time_completion_rate": Decimal("6.66667"),
        "petition_satisfaction_rate": Decimal("6.66667"),
        "petition_rating_rate": Decimal("7.5"),
    }

    async def points() -> dict[str, Decimal | None]:
        out = {}
        for name in expected:
            compute = formulas.computing(name)
            assert compute is not None, name
            out[name] = (await compute(session, [report], item))[1]
        return out

    assert {k: v.normalize() if v is not None else None for k, v in (await points()).items()} == {
        k: v.normalize() for k, v in expected.items()
    }
    await stats.snapshot_stats(session, cycle_id=cycle_id)
    frozen = await stats.snapshot_read(session, cycle_id=cycle_id, group_by=StatsGroup.org)
    assert frozen is not None and (frozen.period_from, frozen.period_to) == (date(2019, 1, 1), date(2019, 12, 31))
    row = next(r for r in frozen.rows if r.org.id == town.id)
    assert (row.rated, row.satisfaction_rate) == (3, Decimal("0.666667"))
    assert frozen.total.closed == 4
    # A case closed later in 2019 changes the live figures, not the frozen ones.
    late = await make_case(session, org=town, received=date(2019, 5, 6))
    await session.execute(
        update(PetitionCase)
        .where(PetitionCase.id == late.id)
        .values(status="closed", closed_date=date(2019, 6, 1), satisfaction=S.dissatisfied)
    )
    await session.flush()
    assert (await points())["petition_satisfaction_rate"] == expected["petition_satisfaction_rate"]
    assert formulas.get("petition_rating_rate") is not None and formulas.is_known("petition_satisfaction_rate")
