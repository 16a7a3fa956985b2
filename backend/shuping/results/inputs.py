"""Build the scoring engine's inputs from the stored rubric and cycle."""

from __future__ import annotations

from shuping.cycles.models import Cycle, EvaluatorGroup
from shuping.results import scoring
from shuping.rubrics.models import Rubric


def scoring_rubric(rubric: Rubric) -> scoring.Rubric:
    return scoring.Rubric(
        items=tuple(
            scoring.Item(
                key=i.key,
                max_points=i.max_points,
                source=i.source.value,
                kind=i.kind.value if i.kind is not None else None,
            )
            for i in rubric.items
        ),
        tier_fractions={t: rubric.tier_fraction(t) for t in scoring.Tier},
    )


def scoring_group(group: EvaluatorGroup) -> scoring.Group:
    return scoring.Group(
        key=group.key,
        weight=group.weight,
        aggregation=group.aggregation,
        trim=group.trim,
        quorum=group.quorum,
    )


def scoring_grading(cycle: Cycle) -> scoring.Grading:
    shares = {
        scoring.Tier.good: cycle.grade_good,
        scoring.Tier.fairly_good: cycle.grade_fairly_good,
        scoring.Tier.average: cycle.grade_average,
    }
    method = cycle.grading_method
    return scoring.Grading(
        method=method,
        thresholds=shares if method == scoring.GradingMethod.thresholds else dict(scoring.DEFAULT_THRESHOLDS),
        quotas=shares if method == scoring.GradingMethod.quota else {},
        poor_vote_share=cycle.poor_vote_share,
        consequence_count=cycle.consequence_count,
    )
