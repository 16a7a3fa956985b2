"""Completion, ranks, lights and the veto fact on a hand-built programme with hand-checked answers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shuping.targets.completion import (
    Light,
    MeasureSpec,
    ProjectFacts,
    UnitResult,
    competition_ranks,
    compute,
    expected_pace,
    light_for,
    measure_completion,
    previous_month_end,
    stage_on,
)
from shuping.targets.models import MeasureBasis, ProjectStage

N, S, L, ST = ProjectStage.negotiating, ProjectStage.signed, ProjectStage.landed, ProjectStage.started
START, END = date(2013, 9, 1), date(2013, 12, 31)  # 122 days
A, B, C, D = 1, 2, 3, 4
D_ = Decimal

MEASURES = [
    MeasureSpec("signed", D_(30), S, MeasureBasis.projects),
    MeasureSpec("contract", D_(30), S, MeasureBasis.contract_amount),
    MeasureSpec("landed", D_(40), L, MeasureBasis.projects),
]
# B has no contract-amount target (not counted, not zero); D has no target at all.
TARGETS = {
    (A, "signed"): D_(4),
    (A, "contract"): D_(1000),
    (A, "landed"): D_(2),
    (B, "signed"): D_(2),
    (B, "landed"): D_(1),
    (C, "signed"): D_(2),
    (C, "contract"): D_(500),
    (C, "landed"): D_(1),
}
PROJECTS = [
    ProjectFacts(A, [(date(2013, 9, 1), N), (date(2013, 9, 10), S), (date(2013, 10, 15), L)], D_(600)),
    ProjectFacts(A, [(date(2013, 9, 5), N), (date(2013, 10, 20), S)], D_(500)),
    # B's one landed project moves back to 签约 on 10 November.
    ProjectFacts(
        B,
        [(date(2013, 9, 2), N), (date(2013, 9, 20), S), (date(2013, 10, 1), L), (date(2013, 11, 10), S)],
        D_(300),
    ),
    ProjectFacts(B, [(date(2013, 9, 3), N), (date(2013, 10, 5), S)], D_(100)),
    ProjectFacts(C, [(date(2013, 9, 1), N), (date(2013, 11, 25), S), (date(2013, 11, 28), L)], D_(250)),
    ProjectFacts(D, [(date(2013, 9, 15), S)], D_(80)),
]


def run(day: date) -> dict[int, UnitResult]:
    return compute(start=START, end=END, day=day, measures=MEASURES, targets=TARGETS, projects=PROJECTS)


def test_october_end() -> None:
    units = run(date(2013, 10, 31))
    a, b, c, d = units[A], units[B], units[C], units[D]
    # A: 签约 2/4, 合同 1100/1000 (110 %, counted as 100 %), 落地 1/2 → (30×0.5 + 30×1 + 40×0.5) / 100.
    assert (a.measures["signed"].actual, a.measures["contract"].actual, a.measures["landed"].actual) == (
        D_(2),
        D_(1100),
        D_(1),
    )
    assert a.measures["contract"].completion == D_("1.1")
    assert a.weighted == D_("0.65")
    # B: no contract target, so its weighted completion is over 签约 and 落地 only: (30×1 + 40×1) / 70.
    assert b.measures["contract"].target is None and b.measures["contract"].completion is None
    assert b.measures["contract"].actual == 400 and b.measures["contract"].light is None
    assert b.weighted == 1
    assert c.weighted == 0
    assert d.weighted is None and d.rank is None and d.light is None
    assert (b.rank, a.rank, c.rank) == (1, 2, 3)
    # 61 of 122 days gone: pace 0.5; A's 0.65 is green, C's 0 red.
    assert expected_pace(START, END, date(2013, 10, 31)) == D_("0.5")
    assert (a.light, b.light, c.light) == (Light.green, Light.green, Light.red)
    assert (a.measures["signed"].light, a.measures["landed"].light) == (Light.green, Light.green)
    assert [units[u].no_project_landed for u in (A, B, C, D)] == [False, False, True, True]


def test_november_end_after_a_move_back() -> None:
    units = run(date(2013, 11, 30))
    a, b, c = units[A], units[B], units[C]
    assert a.weighted == D_("0.65")
    # B's project moved back to 签约: nothing landed now, so 落地 0/1 and the veto fact holds.
    assert b.measures["landed"].actual == 0 and b.measures["signed"].actual == 2
    assert b.weighted == D_(30) / D_(70)
    assert b.no_project_landed
    # C: 签约 1/2, 合同 250/500, 落地 1/1 → (15 + 15 + 40) / 100.
    assert c.weighted == D_("0.7")
    assert (c.rank, a.rank, b.rank) == (1, 2, 3)
    # 91 of 122 days: pace ≈ 0.7459, red below ≈ 0.4475.
    assert (c.light, a.light, b.light) == (Light.yellow, Light.yellow, Light.red)
    # The October bulletin keeps what was true then.
    assert run(date(2013, 10, 31))[B].measures["landed"].actual == 1


def test_after_the_period_the_end_counts() -> None:
    assert run(date(2014, 3, 1))[C].weighted == run(END)[C].weighted == D_("0.7")
    assert expected_pace(START, END, date(2014, 3, 1)) == 1


def test_before_the_period_nothing_is_expected() -> None:
    units = run(date(2013, 8, 31))
    assert expected_pace(START, END, date(2013, 8, 31)) == 0
    assert all(u.light in (Light.green, None) for u in units.values())
    assert units[A].weighted == 0


@pytest.mark.parametrize(
    ("completion", "pace", "light"),
    [
        (D_("0.30"), D_("0.5"), Light.yellow),
        (D_("0.29"), D_("0.5"), Light.red),
        (D_("0.49"), D_("0.5"), Light.yellow),
        (D_("0.5"), D_("0.5"), Light.green),
        (D_("0"), D_("0"), Light.green),
    ],
)
def test_lights(completion: Decimal, pace: Decimal, light: Light) -> None:
    assert light_for(completion, pace) == light


def test_ties_share_a_rank() -> None:
    assert competition_ranks({1: D_("0.5"), 2: D_("0.7"), 3: D_("0.7"), 4: D_("0.2")}) == {1: 3, 2: 1, 3: 1, 4: 4}


def test_less_is_better_and_zero_targets() -> None:
    assert measure_completion(D_(3), D_(2), more_is_better=False) == D_(2) / D_(3)
    assert measure_completion(D_(1), D_(2), more_is_better=False) == 1
    assert measure_completion(D_(0), D_(0), more_is_better=True) == 1


def test_stage_on_and_month_ends() -> None:
    moves = [(date(2013, 9, 1), N), (date(2013, 10, 1), ST), (date(2013, 10, 1), S)]
    assert stage_on(moves, date(2013, 8, 31)) is None
    assert stage_on(moves, date(2013, 9, 30)) == N
    assert stage_on(moves, date(2013, 10, 1)) == S  # two moves on one day: the later recorded wins
    assert previous_month_end(date(2013, 10, 31)) == date(2013, 9, 30)
    assert previous_month_end(date(2013, 3, 15)) == date(2013, 2, 28)
