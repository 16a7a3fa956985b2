"""The scoring rules of DESIGN §3, table-driven, with figures checked by hand."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction as F

import pytest

from shuping.scoring.rules import (
    Aggregation,
    Ballot,
    Grading,
    GradingMethod,
    Group,
    Item,
    ReportInput,
    Rubric,
    ScoringError,
    Tier,
    aggregate,
    competition_ranks,
    compute,
    display,
    score_ballot,
)

RUBRIC = Rubric(
    items=(
        Item("duty", D("30")),
        Item("overall", D("60"), kind="tier"),
        Item("petition_rate", D("10"), source="indicator", kind=None),
    )
)
ONE_GROUP = [Group("all", D("1"))]


def b(total: float | str | F, group: str = "all", tier: Tier | None = None, ref: str | None = None) -> Ballot:
    return Ballot(group=group, total=F(str(total)) if not isinstance(total, F) else total, first_tier=tier, ref=ref)


def report(rid: int, *totals: float | str, group: str = "all", **kw: object) -> ReportInput:
    return ReportInput(rid, [b(t, group) for t in totals], **kw)  # type: ignore[arg-type]


# ------------------------------------------------------------------ ballot totals


@pytest.mark.parametrize(
    ("items", "total", "first_tier"),
    [
        ({"duty": D("30"), "overall": "good"}, F(90), Tier.good),
        ({"duty": D("25.5"), "overall": "fairly_good"}, F("25.5") + F(51), Tier.fairly_good),  # 0.85 × 60 = 51
        ({"duty": 0, "overall": "average"}, F(42), Tier.average),  # 0.70 × 60
        ({"duty": D("12.25"), "overall": "poor"}, F("12.25") + F(30), Tier.poor),  # 0.50 × 60
    ],
)
def test_ballot_total(items: dict[str, object], total: F, first_tier: Tier) -> None:
    ballot = score_ballot(RUBRIC, "all", items)
    assert ballot.total == total
    assert ballot.first_tier == first_tier


def test_configured_tier_fractions_are_used() -> None:
    rubric = Rubric(
        items=RUBRIC.items,
        tier_fractions={Tier.good: D("0.95"), Tier.fairly_good: D("0.8"), Tier.average: D("0.6"), Tier.poor: D("0.4")},
    )
    assert score_ballot(rubric, "all", {"duty": 10, "overall": "good"}).total == F(10) + F("0.95") * 60


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ({"duty": 10}, "missing items: overall"),
        ({"duty": 10, "overall": "good", "extra": 1}, "unknown items: extra"),
        ({"duty": D("30.01"), "overall": "good"}, "outside 0..30"),
        ({"duty": D("-1"), "overall": "good"}, "outside 0..30"),
        ({"duty": D("1.005"), "overall": "good"}, "at most 2 decimal places"),
        ({"duty": True, "overall": "good"}, "expected a number"),
        ({"duty": "12", "overall": "good"}, "expected a number"),
        ({"duty": 10, "overall": "excellent"}, "expected one of"),
        ({"duty": D("NaN"), "overall": "good"}, "outside"),
    ],
)
def test_partial_or_bad_ballots_are_rejected(items: dict[str, object], message: str) -> None:
    with pytest.raises(ScoringError, match=message):
        score_ballot(RUBRIC, "all", items)


def test_straight_lining_is_detected() -> None:
    assert score_ballot(RUBRIC, "all", {"duty": 30, "overall": "good"}).straight
    assert score_ballot(RUBRIC, "all", {"duty": 21, "overall": "average"}).straight  # 0.7 of each
    assert not score_ballot(RUBRIC, "all", {"duty": 30, "overall": "average"}).straight


# ------------------------------------------------------------------ group scores


@pytest.mark.parametrize(
    ("totals", "aggregation", "trim", "score", "dropped"),
    [
        ([80, 90, 100], Aggregation.mean, 0, F(90), 0),
        ([70, 80, 85, 90, 100], Aggregation.trimmed_mean, 1, F(85), 2),  # drop 70 and 100
        ([70, 90], Aggregation.trimmed_mean, 1, F(80), 0),  # n = 2k: plain mean
        ([70], Aggregation.trimmed_mean, 1, F(70), 0),
        ([60, 70, 90], Aggregation.trimmed_mean, 1, F(70), 2),  # n = 3 > 2: keep the middle one
        ([50, 60, 70, 80, 90, 100], Aggregation.trimmed_mean, 2, F(75), 4),  # (70 + 80) / 2
        ([50, 60, 70, 80], Aggregation.trimmed_mean, 2, F(65), 0),  # n = 4 = 2k: plain mean
        ([80, 80, 80, 80], Aggregation.trimmed_mean, 1, F(80), 2),
        ([1, 2, 2], Aggregation.mean, 0, F(5, 3), 0),  # exact thirds, no rounding
    ],
)
def test_group_aggregation(totals: list[int], aggregation: Aggregation, trim: int, score: F, dropped: int) -> None:
    got, dropped_idx = aggregate([F(t) for t in totals], aggregation, trim)
    assert got == score
    assert len(dropped_idx) == dropped


def test_dropped_ballots_are_the_extremes() -> None:
    result = compute(
        RUBRIC,
        [Group("all", D("1"), Aggregation.trimmed_mean, 1)],
        Grading(),
        [ReportInput(1, [b(70, ref="low"), b(80, ref="a"), b(85, ref="b"), b(100, ref="high")])],
    )[0]
    assert sorted(result.groups[0].dropped_refs) == ["high", "low"]  # type: ignore[type-var]
    assert result.groups[0].score == F(165, 2)


# ------------------------------------------------------------------ weighting and totals

GROUPS = [Group("leaders", D("0.4")), Group("deputies", D("0.3")), Group("members", D("0.3"))]


def test_weighted_ballot_part_over_all_groups() -> None:
    r = compute(
        RUBRIC,
        GROUPS,
        Grading(),
        [ReportInput(1, [b(90, "leaders"), b(80, "deputies"), b(70, "members")], indicators={"petition_rate": D("8")})],
    )[0]
    assert r.ballot_part == F(81)  # 0.4·90 + 0.3·80 + 0.3·70
    assert r.total == F(89)
    assert r.missing_indicators == []


def test_absent_group_is_left_out_of_the_weights() -> None:
    r = compute(RUBRIC, GROUPS, Grading(), [ReportInput(1, [b(90, "leaders"), b(80, "deputies")])])[0]
    assert r.ballot_part == F(60) / F("0.7")  # (36 + 24) / 0.7 = 85.714…
    assert display(r.ballot_part) == "85.71"
    assert r.missing_indicators == ["petition_rate"]
    assert r.total == r.ballot_part  # a missing indicator counts 0
    assert not r.quorum_ok  # members gave no ballot


def test_report_without_ballots_is_incomplete_not_ranked() -> None:
    results = compute(RUBRIC, ONE_GROUP, Grading(), [report(1, 80), ReportInput(2, [], {"petition_rate": D(10)})])
    assert [r.report_id for r in results] == [1, 2]
    assert results[1].incomplete
    assert results[1].rank is None and results[1].tier is None and not results[1].flagged


# ------------------------------------------------------------------ ranks


@pytest.mark.parametrize(
    ("totals", "ranks"),
    [
        ([90, 85, 85, 70], [1, 2, 2, 4]),
        ([70, 85, 90, 85], [4, 2, 1, 2]),
        ([80, 80, 80], [1, 1, 1]),
        ([50], [1]),
        ([F(1, 3), F("0.3333")], [1, 2]),  # compared exactly, not after rounding
    ],
)
def test_competition_ranking(totals: list[int | F], ranks: list[int]) -> None:
    assert competition_ranks([F(t) for t in totals]) == ranks


def test_totals_equal_after_rounding_but_not_exactly_do_not_tie() -> None:
    results = compute(
        RUBRIC,
        ONE_GROUP,
        Grading(),
        [
            ReportInput(1, [b(F(2000, 3))]),  # 666.666…
            ReportInput(2, [b(F("666.67"))]),
        ],
    )
    assert display(results[0].total) == display(results[1].total) == "666.67"
    assert [r.rank for r in results] == [1, 2]
    assert results[0].report_id == 2


# ------------------------------------------------------------------ tiers


@pytest.mark.parametrize(
    ("total", "tier"),
    [
        ("100", Tier.good),
        ("90", Tier.good),
        ("89.99", Tier.fairly_good),
        ("80", Tier.fairly_good),
        ("79.99", Tier.average),
        ("60", Tier.average),
        ("59.99", Tier.poor),
        ("0", Tier.poor),
    ],
)
def test_tiers_by_thresholds_of_the_rubric_maximum(total: str, tier: Tier) -> None:
    # Two reports so that the lower one is flagged, not this one by being last.
    results = compute(RUBRIC, ONE_GROUP, Grading(), [report(1, total), report(2, "-1")])
    mine = next(r for r in results if r.report_id == 1)
    assert (mine.tier, mine.tier_rule) == (tier, "thresholds")


QUOTA = Grading(
    method=GradingMethod.quota, quotas={Tier.good: D("0.3"), Tier.fairly_good: D("0.4"), Tier.average: D("0.2")}
)


def test_tiers_by_quota() -> None:
    totals = [100, 99, 98, 97, 96, 95, 94, 93, 92, 91]  # n = 10: 3 good, 4 fairly good, 2 average, 1 poor
    results = compute(RUBRIC, ONE_GROUP, QUOTA, [report(i, t) for i, t in enumerate(totals, 1)])
    assert [r.tier for r in results] == [Tier.good] * 3 + [Tier.fairly_good] * 4 + [Tier.average] * 2 + [Tier.poor]
    assert all(r.tier_rule == "quota" for r in results)


def test_quota_ties_share_the_tier_their_rank_earns() -> None:
    totals = [100, 99, 98, 98, 96, 95, 94, 94, 94, 91]  # ranks 1 2 3 3 5 6 7 7 7 10
    results = compute(RUBRIC, ONE_GROUP, QUOTA, [report(i, t) for i, t in enumerate(totals, 1)])
    assert [r.rank for r in results] == [1, 2, 3, 3, 5, 6, 7, 7, 7, 10]
    assert [r.tier for r in results] == [Tier.good] * 4 + [Tier.fairly_good] * 5 + [Tier.poor]


def test_quota_floors_the_shares() -> None:
    # n = 7: good ≤ ⌊2.1⌋ = 2, fairly good ≤ ⌊4.9⌋ = 4, average ≤ ⌊6.3⌋ = 6, else poor.
    results = compute(RUBRIC, ONE_GROUP, QUOTA, [report(i, 100 - i) for i in range(1, 8)])
    assert [r.tier for r in results] == [Tier.good] * 2 + [Tier.fairly_good] * 2 + [Tier.average] * 2 + [Tier.poor]


def test_all_equal_totals_share_rank_one_and_are_all_flagged() -> None:
    results = compute(RUBRIC, ONE_GROUP, Grading(), [report(i, 85) for i in range(1, 5)])
    assert {r.rank for r in results} == {1}
    assert {r.tier for r in results} == {Tier.fairly_good}
    assert all(r.flagged for r in results)  # none has a strictly lower total below it


def test_veto_forces_poor() -> None:
    results = compute(
        RUBRIC, ONE_GROUP, Grading(), [report(1, 99, vetoes={"major_incident": "2013-04 重大安全事故"}), report(2, 50)]
    )
    vetoed = next(r for r in results if r.report_id == 1)
    assert (vetoed.rank, vetoed.tier, vetoed.tier_rule, vetoed.flagged) == (1, Tier.poor, "veto:major_incident", True)


@pytest.mark.parametrize(
    ("tiers", "limit", "poor"),
    [
        ([Tier.poor, Tier.good, Tier.good, Tier.good], D("0.25"), True),  # exactly at the limit
        ([Tier.poor, Tier.good, Tier.good, Tier.good, Tier.good], D("0.25"), False),  # 0.2
        ([Tier.poor, Tier.good, Tier.good], D("0.3333"), True),  # 1/3 ≥ 0.3333
        ([Tier.poor, Tier.good, Tier.good], D("0.3334"), False),
    ],
)
def test_poor_vote_share_override(tiers: list[Tier], limit: D, poor: bool) -> None:
    ballots = [Ballot("leaders" if i % 2 else "deputies", F(95), first_tier=t) for i, t in enumerate(tiers)]
    grading = Grading(poor_vote_share=limit)
    groups = [Group("leaders", D("0.5")), Group("deputies", D("0.5"), Aggregation.trimmed_mean, 1)]
    results = compute(RUBRIC, groups, grading, [ReportInput(1, ballots), report(2, 10, group="leaders")])
    mine = next(r for r in results if r.report_id == 1)
    assert (mine.tier == Tier.poor) is poor
    if poor:
        assert mine.tier_rule == "poor_vote_share"


def test_poor_share_counts_every_ballot_even_dropped_ones() -> None:
    # Trimmed mean drops the poor ballot's total, but its vote still counts towards the share.
    ballots = [Ballot("all", F(30), Tier.poor)] + [Ballot("all", F(90), Tier.good) for _ in range(2)]
    results = compute(
        RUBRIC, [Group("all", D("1"), Aggregation.trimmed_mean, 1)], Grading(), [ReportInput(1, ballots), report(2, 10)]
    )
    mine = next(r for r in results if r.report_id == 1)
    assert mine.groups[0].dropped == 2
    assert mine.tier == Tier.poor


def test_no_tier_item_means_no_poor_share_rule() -> None:
    rubric = Rubric(items=(Item("duty", D("100")),))
    results = compute(rubric, ONE_GROUP, Grading(poor_vote_share=D("0")), [report(1, 95), report(2, 10)])
    assert results[0].tier == Tier.good


# ------------------------------------------------------------------ flags


@pytest.mark.parametrize(
    ("totals", "count", "flagged"),
    [
        ([90, 80, 70, 60], 1, [False, False, False, True]),
        ([90, 80, 70, 60], 2, [False, False, True, True]),
        ([90, 80, 70, 70], 1, [False, False, True, True]),  # tied with the last
        ([90, 80, 70, 70], 2, [False, False, True, True]),
        ([90, 80, 80, 70], 2, [False, True, True, True]),  # only one report is strictly below 80
    ],
)
def test_flagged_for_consequences(totals: list[int], count: int, flagged: list[bool]) -> None:
    grading = Grading(
        consequence_count=count, thresholds={Tier.good: D("0"), Tier.fairly_good: D("0"), Tier.average: D("0")}
    )
    results = compute(RUBRIC, ONE_GROUP, grading, [report(i, t) for i, t in enumerate(totals, 1)])
    assert [r.flagged for r in sorted(results, key=lambda r: r.report_id)] == flagged


def test_approval_rate_and_tier_counts_per_group() -> None:
    ballots = [Ballot("all", F(80), t) for t in (Tier.good, Tier.fairly_good, Tier.average, Tier.poor, Tier.good)]
    r = compute(RUBRIC, [Group("all", D("1"), Aggregation.trimmed_mean, 1)], Grading(), [ReportInput(1, ballots)])[0]
    g = r.groups[0]
    assert g.approval_rate == F(3, 5)  # none dropped for the approval rate
    assert g.tier_counts == {Tier.good: 2, Tier.fairly_good: 1, Tier.average: 1, Tier.poor: 1}


def test_quorum() -> None:
    groups = [Group("leaders", D("0.5"), quorum=2), Group("deputies", D("0.5"), quorum=1)]
    ok = compute(RUBRIC, groups, Grading(), [ReportInput(1, [b(80, "leaders"), b(80, "leaders"), b(80, "deputies")])])
    short = compute(RUBRIC, groups, Grading(), [ReportInput(1, [b(80, "leaders"), b(80, "deputies")])])
    assert ok[0].quorum_ok and not short[0].quorum_ok
    assert [g.quorum_ok for g in short[0].groups] == [False, True]


def test_consistency_flags() -> None:
    same = [score_ballot(RUBRIC, "deputies", {"duty": 30, "overall": "good"}) for _ in range(4)]
    leaders = [score_ballot(RUBRIC, "leaders", {"duty": 5, "overall": "poor"}) for _ in range(2)]
    r = compute(
        RUBRIC, [Group("leaders", D("0.5")), Group("deputies", D("0.5"))], Grading(), [ReportInput(1, same + leaders)]
    )[0]
    assert "identical_ballots:deputies" in r.consistency_flags
    assert "straight_lining:deputies" in r.consistency_flags
    assert "group_divergence:leaders" in r.consistency_flags  # 35 vs 90: beyond 15 % of 90
    mixed = [
        score_ballot(RUBRIC, "deputies", {"duty": d, "overall": t})
        for d, t in ((30, "good"), (25, "good"), (28, "fairly_good"), (22, "good"))
    ]
    calm = compute(RUBRIC, [Group("deputies", D("1"))], Grading(), [ReportInput(1, mixed)])[0]
    assert calm.consistency_flags == []


# ------------------------------------------------------------------ display


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (F(1, 200), "0.01"),  # .005 rounds up
        (F("12.345"), "12.35"),
        (F("12.344999"), "12.34"),
        (F(2, 3) * 100, "66.67"),
        (D("89.995"), "90.00"),
        (F(0), "0.00"),
        (F(60, 7) * 10, "85.71"),
        (None, None),
    ],
)
def test_display_rounds_half_up(value: F | D | None, text: str | None) -> None:
    assert display(value) == text


def test_quota_and_threshold_methods_disagree_as_expected() -> None:
    reports = [report(i, t) for i, t in enumerate([95, 94, 93, 92, 91, 90, 89, 88, 87, 86], 1)]
    by_threshold = compute(RUBRIC, ONE_GROUP, Grading(), reports)
    by_quota = compute(RUBRIC, ONE_GROUP, QUOTA, reports)
    assert [r.tier for r in by_threshold][:6] == [Tier.good] * 6
    assert [r.tier for r in by_quota][:6] == [Tier.good] * 3 + [Tier.fairly_good] * 3
