"""Build the scoring engine's inputs from the stored rubric and cycle."""

from __future__ import annotations

from shuping.cycles.models import Cycle, EvaluatorGroup
from shuping.rubrics.models import Rubric
from shuping.scoring import rules


def scoring_rubric(rubric: Rubric) -> rules.Rubric:
    return rules.Rubric(
        items=tuple(
            rules.Item(
                key=i.key,
                max_points=i.max_points,
                source=i.source.value,
                kind=i.kind.value if i.kind is not None else None,
            )
            for i in rubric.items
        ),
        tier_fractions={t: rubric.tier_fraction(t) for t in rules.Tier},
    )


def scoring_group(group: EvaluatorGroup) -> rules.Group:
    return rules.Group(
        key=group.key,
        weight=group.weight,
        aggregation=group.aggregation,
        trim=group.trim,
        quorum=group.quorum,
    )


def scoring_grading(cycle: Cycle) -> rules.Grading:
    shares = {
        rules.Tier.good: cycle.grade_good,
        rules.Tier.fairly_good: cycle.grade_fairly_good,
        rules.Tier.average: cycle.grade_average,
    }
    method = cycle.grading_method
    return rules.Grading(
        method=method,
        thresholds=shares if method == rules.GradingMethod.thresholds else dict(rules.DEFAULT_THRESHOLDS),
        quotas=shares if method == rules.GradingMethod.quota else {},
        poor_vote_share=cycle.poor_vote_share,
        consequence_count=cycle.consequence_count,
    )
