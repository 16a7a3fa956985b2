"""The scoring rules of DESIGN §3 as pure functions: exact fractions, no I/O.

Every intermediate figure is a `Fraction`, so equal totals compare equal and nothing is
rounded until display (`display`, two places, half-up).
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cache, cached_property
from typing import TypedDict

# The enumerations are the stored ones: one definition each.
from shuping.core.i18n import N_
from shuping.cycles.models import Aggregation, GradingMethod
from shuping.rubrics.models import DEFAULT_TIER_FRACTIONS, Tier

TIER_ORDER = (Tier.good, Tier.fairly_good, Tier.average, Tier.poor)
APPROVING = frozenset({Tier.good, Tier.fairly_good})

DEFAULT_THRESHOLDS = {Tier.good: Decimal("0.90"), Tier.fairly_good: Decimal("0.80"), Tier.average: Decimal("0.60")}

__all__ = [
    "DEFAULT_TIER_FRACTIONS",
    "Aggregation",
    "Ballot",
    "Grading",
    "GradingMethod",
    "Group",
    "GroupTally",
    "Item",
    "ReportInput",
    "Rubric",
    "ScoringError",
    "Tier",
    "aggregate",
    "competition_ranks",
    "compute",
    "display",
    "score_ballot",
    "score_report",
    "tally",
]


@cache
def _exact(value: Decimal) -> Fraction:
    """A configured decimal (weight, share, threshold) as a fraction; there are only a handful of them."""
    return Fraction(value)


class ScoringError(ValueError):
    """A ballot or configuration that the rules cannot score (names what is wrong)."""


@dataclass(frozen=True)
class Item:
    key: str
    max_points: Decimal
    source: str = "ballot"  # "ballot" | "indicator"
    kind: str | None = "score"  # "score" | "tier" for ballot items


@dataclass(frozen=True)
class Rubric:
    items: tuple[Item, ...]
    tier_fractions: Mapping[Tier, Decimal] = field(default_factory=lambda: dict(DEFAULT_TIER_FRACTIONS))

    @cached_property
    def ballot_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.source == "ballot")

    @cached_property
    def ballot_item(self) -> Mapping[str, Item]:
        """The ballot items by key."""
        return {i.key: i for i in self.ballot_items}

    @cached_property
    def indicator_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.source == "indicator")

    @cached_property
    def first_tier_item(self) -> Item | None:
        return next((i for i in self.ballot_items if i.kind == "tier"), None)

    @cached_property
    def max_total(self) -> Fraction:
        return sum((Fraction(i.max_points) for i in self.items), Fraction(0))

    @cached_property
    def ballot_max(self) -> Fraction:
        return sum((Fraction(i.max_points) for i in self.ballot_items), Fraction(0))


@dataclass(frozen=True)
class Group:
    key: str
    weight: Decimal
    aggregation: Aggregation = Aggregation.mean
    trim: int = 0
    quorum: int = 1


@dataclass(frozen=True)
class Grading:
    method: GradingMethod = GradingMethod.thresholds
    thresholds: Mapping[Tier, Decimal] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    quotas: Mapping[Tier, Decimal] = field(default_factory=dict)
    poor_vote_share: Decimal = Decimal("0.3333")
    consequence_count: int = 1
    divergence_margin: Decimal = Decimal("0.15")  # of the ballot maximum


@dataclass(frozen=True)
class Ballot:
    """A scored ballot: its total, its choice on the first tier item, and shape facts."""

    group: str
    total: Fraction
    first_tier: Tier | None = None
    straight: bool = False
    signature: str = ""  # a digest of the answers: equal answers, equal signature
    ref: str | None = None  # a receipt or id, for the explanation

    def stored(self) -> StoredFacts:
        """The figures a ballot row keeps beside its answers, so a cycle can be tallied in SQL."""
        return StoredFacts(
            total=Decimal(self.total.numerator) / Decimal(self.total.denominator),
            first_tier=self.first_tier.value if self.first_tier else None,
            straight=self.straight,
            signature=self.signature,
        )


class StoredFacts(TypedDict):
    total: Decimal
    first_tier: str | None
    straight: bool
    signature: str


def signature_digest(answers: tuple[object, ...]) -> str:
    """Equal answers, taken as points (so "8.5" and "8.50" agree), give equal digests."""
    return hashlib.sha256(repr(answers).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class GroupTally:
    """What the rules need of one group's ballots on one report: counted from the ballots (`tally`)
    or summed by the database over a whole cycle; both give the same figures."""

    ballots: int
    kept: int  # after trimming
    kept_sum: Fraction  # of the kept ballots' totals
    tier_counts: Mapping[Tier, int]
    straight: int = 0  # ballots giving every item the same share of its maximum
    most_identical: int = 0  # the largest number of ballots with identical answers
    dropped_refs: tuple[str | None, ...] = ()  # known only when counted from the ballots


@dataclass(frozen=True)
class ReportInput:
    report_id: int
    ballots: Sequence[Ballot] = ()
    indicators: Mapping[str, Decimal | None] = field(default_factory=dict)
    vetoes: Mapping[str, str] = field(default_factory=dict)
    # Per group key, instead of `ballots` (a group without ballots may be left out).
    tallies: Mapping[str, GroupTally] | None = None


@dataclass
class GroupResult:
    key: str
    weight: Decimal
    ballots: int
    dropped: int
    dropped_refs: list[str | None]
    score: Fraction | None
    approval_rate: Fraction | None
    tier_counts: dict[Tier, int]
    quorum_ok: bool


@dataclass
class ReportResult:
    report_id: int
    groups: list[GroupResult]
    ballot_part: Fraction | None
    indicator_points: Fraction
    missing_indicators: list[str]
    total: Fraction | None
    incomplete: bool
    vetoes: dict[str, str]
    poor_share: Fraction | None
    consistency_flags: list[str]
    quorum_ok: bool
    rank: int | None = None
    tier: Tier | None = None
    tier_rule: str | None = None
    flagged: bool = False


# ---------------------------------------------------------------- ballots


def _decimal_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def score_ballot(rubric: Rubric, group: str, items: Mapping[str, object], ref: str | None = None) -> Ballot:
    """Turn one ballot's answers into points; every ballot item must be answered, within range."""
    expected = rubric.ballot_item.keys()
    missing = sorted(expected - items.keys())
    if missing:
        raise ScoringError(N_("missing items: {missing}", missing=", ".join(missing)))
    unknown = sorted(items.keys() - expected)
    if unknown:
        raise ScoringError(N_("unknown items: {unknown}", unknown=", ".join(unknown)))
    total = Fraction(0)
    shares: list[Fraction] = []
    first_tier: Tier | None = None
    first_tier_item = rubric.first_tier_item
    answers: list[object] = []  # as points, for the signature
    for item in rubric.ballot_items:
        answer = items[item.key]
        max_points = Fraction(item.max_points)
        if item.kind == "tier":
            try:
                tier = Tier(str(answer))
            except ValueError:
                raise ScoringError(
                    N_("{key}: expected one of good, fairly_good, average, poor", key=item.key)
                ) from None
            points = Fraction(rubric.tier_fractions[tier]) * max_points
            if item is first_tier_item:
                first_tier = tier
            answers.append(tier.value)
        else:
            if isinstance(answer, bool) or not isinstance(answer, int | Decimal):
                raise ScoringError(N_("{key}: expected a number", key=item.key))
            value = Decimal(answer)
            if not value.is_finite() or value < 0 or value > item.max_points:
                raise ScoringError(
                    N_(
                        "{key}: {value} is outside 0..{max_points}",
                        key=item.key,
                        value=value,
                        max_points=item.max_points,
                    )
                )
            if _decimal_places(value) > 2:
                raise ScoringError(N_("{key}: at most 2 decimal places", key=item.key))
            points = Fraction(value)
            answers.append(points)
        total += points
        shares.append(points / max_points if max_points else Fraction(0))
    straight = len(shares) > 1 and len(set(shares)) == 1
    return Ballot(
        group=group,
        total=total,
        first_tier=first_tier,
        straight=straight,
        signature=signature_digest(tuple(answers)),
        ref=ref,
    )


# ---------------------------------------------------------------- groups


def aggregate(totals: Sequence[Fraction], aggregation: Aggregation, trim: int) -> tuple[Fraction, list[int]]:
    """Return the group score and the indexes of the dropped totals.

    A trimmed mean drops the `trim` highest and lowest totals only when there are more
    than 2·trim of them; otherwise it is the plain mean.
    """
    if not totals:
        raise ScoringError(N_("no ballots to aggregate"))
    order = sorted(range(len(totals)), key=lambda i: (totals[i], i))
    dropped: list[int] = []
    if aggregation == Aggregation.trimmed_mean and trim > 0 and len(totals) > 2 * trim:
        dropped = order[:trim] + order[-trim:]
    gone = set(dropped)
    kept = [t for i, t in enumerate(totals) if i not in gone]
    return sum(kept, Fraction(0)) / len(kept), dropped


def tally(group: Group, ballots: Sequence[Ballot]) -> GroupTally:
    """Count one group's ballots on one report."""
    counts = {t: 0 for t in TIER_ORDER}
    for b in ballots:
        if b.first_tier is not None:
            counts[b.first_tier] += 1
    if not ballots:
        return GroupTally(0, 0, Fraction(0), counts)
    totals = [b.total for b in ballots]
    score, dropped = aggregate(totals, group.aggregation, group.trim)
    kept = len(ballots) - len(dropped)
    return GroupTally(
        ballots=len(ballots),
        kept=kept,
        kept_sum=score * kept,
        tier_counts=counts,
        straight=sum(1 for b in ballots if b.straight),
        most_identical=Counter(b.signature for b in ballots).most_common(1)[0][1],
        dropped_refs=tuple(ballots[i].ref for i in dropped),
    )


def _group_result(group: Group, t: GroupTally) -> GroupResult:
    counts = {tier: t.tier_counts.get(tier, 0) for tier in TIER_ORDER}
    tiered = sum(counts.values())
    if not t.ballots:
        return GroupResult(group.key, group.weight, 0, 0, [], None, None, counts, group.quorum <= 0)
    approval = Fraction(counts[Tier.good] + counts[Tier.fairly_good], tiered) if tiered else None
    return GroupResult(
        key=group.key,
        weight=group.weight,
        ballots=t.ballots,
        dropped=t.ballots - t.kept,
        dropped_refs=list(t.dropped_refs),
        score=Fraction(t.kept_sum.numerator, t.kept_sum.denominator * t.kept),
        approval_rate=approval,
        tier_counts=counts,
        quorum_ok=t.ballots >= group.quorum,
    )


def _consistency_flags(
    rubric: Rubric, grading: Grading, results: list[GroupResult], tallies: Mapping[str, GroupTally]
) -> list[str]:
    flags: list[str] = []
    for key, t in tallies.items():
        n = t.ballots
        if n >= 4 and t.most_identical >= max(3, math.ceil(n / 2)):
            flags.append(f"identical_ballots:{key}")
        if n >= 3 and t.straight * 2 >= n:
            flags.append(f"straight_lining:{key}")
    scored = [g for g in results if g.score is not None]
    if len(scored) >= 2:
        margin = _exact(grading.divergence_margin) * rubric.ballot_max
        for g in scored:
            others = [o.score for o in scored if o is not g and o.score is not None]
            if _exceeds(g.score, others, margin):  # type: ignore[arg-type]
                flags.append(f"group_divergence:{g.key}")
    return flags


def _exceeds(score: Fraction, others: list[Fraction], margin: Fraction) -> bool:
    """|score − mean(others)| > margin, exactly; floats settle every case not within a hair of the margin."""
    # n / d rather than float(): Fraction.__float__ is Python code, called 750,000 times at province scale
    gap = abs(score.numerator / score.denominator - sum(o.numerator / o.denominator for o in others) / len(others))
    gap -= margin.numerator / margin.denominator
    if abs(gap) > 1e-9 * (1 + float(margin)):
        return gap > 0
    return abs(score - sum(others, Fraction(0)) / len(others)) > margin


# ---------------------------------------------------------------- reports and the cycle


def _ballot_part(present: list[GroupResult]) -> Fraction | None:
    """Σ weight × score / Σ weight over the groups present: whole numbers, reduced once at the end."""
    num, den = 0, 1  # Σ weight × score
    wnum, wden = 0, 1  # Σ weight
    for g in present:
        w, score = _exact(g.weight), g.score
        assert score is not None
        a, b = w.numerator * score.numerator, w.denominator * score.denominator
        num, den = num * b + a * den, den * b
        wnum, wden = wnum * w.denominator + w.numerator * wden, wden * w.denominator
    return Fraction(num * wden, den * wnum) if wnum else None


def score_report(rubric: Rubric, groups: Sequence[Group], grading: Grading, report: ReportInput) -> ReportResult:
    """Everything about one report that does not depend on the others."""
    keys = {g.key for g in groups}
    if report.tallies is not None:
        unknown = sorted(report.tallies.keys() - keys)
        if unknown:
            raise ScoringError(N_("ballots of unknown group {unknown!r}", unknown=unknown[0]))
        empty = GroupTally(0, 0, Fraction(0), {})
        tallies = {g.key: report.tallies.get(g.key, empty) for g in groups}
    else:
        by_group: dict[str, list[Ballot]] = {g.key: [] for g in groups}
        for b in report.ballots:
            if b.group not in keys:
                raise ScoringError(N_("ballot of unknown group {group!r}", group=b.group))
            by_group[b.group].append(b)
        tallies = {g.key: tally(g, by_group[g.key]) for g in groups}
    results = [_group_result(g, tallies[g.key]) for g in groups]
    ballot_part = _ballot_part([g for g in results if g.score is not None and g.weight > 0])
    indicator_points = Fraction(0)
    missing: list[str] = []
    for item in rubric.indicator_items:
        value = report.indicators.get(item.key)
        if value is None:
            missing.append(item.key)
        else:
            indicator_points += Fraction(value)
    total = None if ballot_part is None else ballot_part + indicator_points
    tiered = sum(sum(g.tier_counts.values()) for g in results)
    poor_share = Fraction(sum(g.tier_counts[Tier.poor] for g in results), tiered) if tiered else None
    return ReportResult(
        report_id=report.report_id,
        groups=results,
        ballot_part=ballot_part,
        indicator_points=indicator_points,
        missing_indicators=missing,
        total=total,
        incomplete=total is None,
        vetoes=dict(report.vetoes),
        poor_share=poor_share,
        consistency_flags=_consistency_flags(rubric, grading, results, tallies),
        quorum_ok=all(g.quorum_ok for g in results),
    )


def competition_ranks(totals: Sequence[Fraction] | Sequence[int]) -> list[int]:
    """1, 2, 2, 4: a report's rank is one more than the number of strictly higher totals."""
    ordered: list[Fraction | int] = sorted(totals, reverse=True)
    first_at: dict[Fraction | int, int] = {}
    for i, t in enumerate(ordered, start=1):
        first_at.setdefault(t, i)
    return [first_at[t] for t in totals]


def _tier_by_thresholds(total: Fraction, max_total: Fraction, thresholds: Mapping[Tier, Decimal]) -> Tier:
    for tier in (Tier.good, Tier.fairly_good, Tier.average):
        # share ≥ threshold, i.e. total ≥ threshold × maximum, without a division (a zero maximum is a share of 0)
        if (total >= _exact(thresholds[tier]) * max_total) if max_total else thresholds[tier] <= 0:
            return tier
    return Tier.poor


def _quota_cutoffs(n: int, quotas: Mapping[Tier, Decimal]) -> list[tuple[Tier, int]]:
    """The last rank of each tier under a quota: ⌊cumulative share × n⌋."""
    cumulative = Fraction(0)
    cutoffs = []
    for tier in (Tier.good, Tier.fairly_good, Tier.average):
        cumulative += _exact(quotas.get(tier, Decimal(0)))
        cutoffs.append((tier, math.floor(cumulative * n)))
    return cutoffs


def _tier_by_quota(rank: int, cutoffs: list[tuple[Tier, int]]) -> Tier:
    return next((tier for tier, last in cutoffs if rank <= last), Tier.poor)


def _ordering_keys(totals: Sequence[Fraction]) -> list[int]:
    """Integers that order (and tie) exactly as the totals: numerators over one common denominator."""
    common = math.lcm(*{t.denominator for t in totals}) if totals else 1
    return [t.numerator * (common // t.denominator) for t in totals]


def compute(
    rubric: Rubric, groups: Sequence[Group], grading: Grading, reports: Sequence[ReportInput]
) -> list[ReportResult]:
    """Score, rank, tier and flag every report of a cycle; ordered by rank, incomplete last."""
    results = [score_report(rubric, groups, grading, r) for r in reports]
    ranked = [r for r in results if r.total is not None]
    keys = _ordering_keys([r.total for r in ranked if r.total is not None])
    ascending = sorted(keys)
    max_total = rubric.max_total
    poor_limit = _exact(grading.poor_vote_share)
    cutoffs = _quota_cutoffs(len(ranked), grading.quotas)
    for r, key, rank in zip(ranked, keys, competition_ranks(keys), strict=True):
        assert r.total is not None
        r.rank = rank
        if grading.method == GradingMethod.quota:
            r.tier, r.tier_rule = _tier_by_quota(rank, cutoffs), "quota"
        else:
            r.tier, r.tier_rule = _tier_by_thresholds(r.total, max_total, grading.thresholds), "thresholds"
        if r.vetoes:
            r.tier, r.tier_rule = Tier.poor, "veto:" + ",".join(sorted(r.vetoes))
        elif rubric.first_tier_item is not None and r.poor_share is not None and r.poor_share >= poor_limit:
            r.tier, r.tier_rule = Tier.poor, "poor_vote_share"
        lower = bisect.bisect_left(ascending, key)  # reports with a strictly lower total
        r.flagged = r.tier == Tier.poor or lower < grading.consequence_count
    ranked.sort(key=lambda r: (r.rank or 0, r.report_id))
    return ranked + [r for r in results if r.total is None]


def display(value: Fraction | Decimal | None, places: int = 2) -> str | None:
    """Round half-up for display (exactly: 0.005 → 0.01), e.g. "87.35"."""
    if value is None:
        return None
    return display_ratio(*value.as_integer_ratio(), places)


def display_ratio(n: int, d: int, places: int = 2) -> str:
    """`display` of n / d (d > 0), in whole numbers only."""
    scale = 10**places
    scaled = (2 * abs(n) * scale + d) // (2 * d)  # ⌊|value| × scale + ½⌋ in whole numbers
    sign = "-" if n < 0 and scaled else ""
    whole, part = divmod(scaled, scale)
    return f"{sign}{whole}.{part:0{places}d}" if places else f"{sign}{whole}"
