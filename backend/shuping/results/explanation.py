"""Every number of one report's result, step by step (the explanation drawer)."""

from __future__ import annotations

from fractions import Fraction

from sqlalchemy.ext.asyncio import AsyncSession

from shuping.core.errors import NotFound
from shuping.core.i18n import N_
from shuping.cycles.models import Cycle
from shuping.results.schemas import ExplainBallot, ExplainGroup, ExplainIndicator, ExplainRead
from shuping.results.service import gather, item_titles, share
from shuping.rubrics.models import ItemSource
from shuping.scoring import rules
from shuping.scoring.withholding import Withheld, pooled_shown, withheld_groups

show = rules.display


async def explain(session: AsyncSession, *, cycle: Cycle, report_id: int) -> ExplainRead:
    """Every number of one report's result, step by step; ballots are named by receipt only."""
    inputs = await gather(session, cycle, ballots_of=report_id)
    target = next((r for r in inputs.reports if r.report_id == report_id), None)
    if target is None:
        raise NotFound(N_("Report {report_id} is not a report of this cycle", report_id=report_id))
    results = {r.report_id: r for r in rules.compute(inputs.rubric, inputs.groups, inputs.grading, inputs.reports)}
    r = results[report_id]
    names = {g.key: g.name for g in cycle.groups}
    k = cycle.min_ballots_shown
    counts = {g.key: g.ballots for g in r.groups}
    withheld = withheld_groups(counts, k)
    steps: list[str] = []
    groups: list[ExplainGroup] = []
    for spec, g in zip(inputs.groups, r.groups, strict=True):
        why = withheld.get(spec.key)
        # A withheld group has not even one line: a ballot's total next to its receipt is that evaluator's score.
        mine = [] if why else [b for b in target.ballots if b.group == spec.key]
        score = None if why else g.score
        dropped = set(g.dropped_refs)
        groups.append(
            ExplainGroup(
                key=spec.key,
                name=names[spec.key],
                aggregation=spec.aggregation.value,
                trim=spec.trim,
                weight=format(spec.weight, "f"),
                ballots=[
                    ExplainBallot(
                        ref=b.ref or "",
                        total=show(b.total) or "",
                        dropped=b.ref in dropped,
                        first_tier=b.first_tier.value if b.first_tier else None,
                    )
                    for b in mine
                ],
                ballot_count=g.ballots,
                kept=g.ballots - g.dropped,
                score=show(score),
                weighted=show(Fraction(spec.weight) * score) if score is not None else None,
                withheld=why,
                hidden_below=k if why else None,
            )
        )
        if why:
            reason = (
                f"fewer than {k}"
                if why == Withheld.few_ballots
                else f"shown, they would give away a group's of fewer than {k}"
            )
            steps.append(f"{names[spec.key]}: {g.ballots} ballot(s), figures withheld ({reason})")
        elif g.score is not None:
            how = (
                f"drop {g.dropped // 2} highest and lowest, mean of {g.ballots - g.dropped}"
                if g.dropped
                else f"mean of {g.ballots}"
            )
            steps.append(
                f"{names[spec.key]}: {how} = {show(g.score)}; × {spec.weight} = {show(Fraction(spec.weight) * g.score)}"
            )
        else:
            steps.append(f"{names[spec.key]}: no ballots, left out of the weights")
    present = [Fraction(s.weight) for s, g in zip(inputs.groups, r.groups, strict=True) if g.score is not None]
    weight_sum = sum(present, Fraction(0)) if present else None
    if r.ballot_part is not None:
        steps.append(f"ballot part = Σ weight × score / Σ weight ({show(weight_sum)}) = {show(r.ballot_part)}")
    indicators = []
    for item in cycle.rubric.items if cycle.rubric else []:
        if item.source != ItemSource.indicator:
            continue
        value = target.indicators.get(item.key)
        indicators.append(
            ExplainIndicator(
                key=item.key,
                title=item.title,
                formula=item.formula,
                max_points=format(item.max_points, "f"),
                points=show(value) if value is not None else None,
                missing=value is None,
            )
        )
    steps.append(
        f"indicators = {show(r.indicator_points)}"
        + (f" (missing, counted 0: {', '.join(r.missing_indicators)})" if r.missing_indicators else "")
    )
    if r.total is not None:
        steps.append(f"total = {show(r.ballot_part)} + {show(r.indicator_points)} = {show(r.total)}")
        steps.append(
            f"tier {r.tier.value if r.tier else '-'} by {r.tier_rule}; rank {r.rank}"
            + ("; flagged for interview and notice" if r.flagged else "")
        )
    else:
        steps.append("no ballot in any group: incomplete, neither ranked nor tiered")
    org = inputs.orgs[inputs.report_org[report_id]]
    poor_shown = pooled_shown(counts, k)
    return ExplainRead(
        report_id=report_id,
        org_name=org.name,
        groups=groups,
        weight_sum=show(weight_sum, 4) if weight_sum is not None else None,
        ballot_part=show(r.ballot_part),
        ballot_part_rule="Σ w(g)·G(r,g) / Σ w(g) over the groups with at least one ballot",
        indicators=indicators,
        indicator_points=show(r.indicator_points) or "0.00",
        total=show(r.total),
        vetoes=r.vetoes,
        poor_share=share(r.poor_share) if poor_shown else None,
        poor_share_withheld=r.poor_share is not None and not poor_shown,
        poor_vote_share_limit=format(inputs.grading.poor_vote_share, "f"),
        min_ballots_shown=k,
        tier=r.tier.value if r.tier else None,
        tier_rule=r.tier_rule,
        rank=r.rank,
        flagged=r.flagged,
        steps=steps,
        item_titles=await item_titles(session, cycle),
    )
