"""Every number of one report's result, step by step (the explanation drawer)."""

from __future__ import annotations

from fractions import Fraction

from sqlalchemy.ext.asyncio import AsyncSession

from shuping.core.errors import NotFound
from shuping.core.i18n import N_, Msg, translate
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
        name = names[spec.key]
        if why == Withheld.few_ballots:
            steps.append(
                N_("{group}: {count} ballot(s), figures withheld (fewer than {k})", group=name, count=g.ballots, k=k)
            )
        elif why:
            steps.append(
                N_(
                    "{group}: {count} ballot(s), figures withheld (shown, they would give away the score of a group "
                    "of fewer than {k})",
                    group=name,
                    count=g.ballots,
                    k=k,
                )
            )
        elif g.score is not None:
            figures = {"score": show(g.score), "weight": spec.weight, "weighted": show(Fraction(spec.weight) * g.score)}
            steps.append(
                N_(
                    "{group}: drop {drop} highest and lowest, mean of {kept} = {score}; × {weight} = {weighted}",
                    group=name,
                    drop=g.dropped // 2,
                    kept=g.ballots - g.dropped,
                    **figures,
                )
                if g.dropped
                else N_(
                    "{group}: mean of {kept} = {score}; × {weight} = {weighted}", group=name, kept=g.ballots, **figures
                )
            )
        else:
            steps.append(N_("{group}: no ballots, left out of the weights", group=name))
    present = [Fraction(s.weight) for s, g in zip(inputs.groups, r.groups, strict=True) if g.score is not None]
    weight_sum = sum(present, Fraction(0)) if present else None
    if r.ballot_part is not None:
        steps.append(
            N_(
                "ballot part = Σ weight × score / Σ weight ({weight_sum}) = {value}",
                weight_sum=show(weight_sum),
                value=show(r.ballot_part),
            )
        )
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
    titles = await item_titles(session, cycle)
    points = show(r.indicator_points)
    steps.append(
        N_(
            "indicators = {value} (missing, counted 0: {missing})",
            value=points,
            missing=[titles.get(key, key) for key in r.missing_indicators],
        )
        if r.missing_indicators
        else N_("indicators = {value}", value=points)
    )
    # Each veto with its reason in words: as a clerk entered it, or as a veto fact decided it from the data.
    for key, reason in sorted(r.vetoes.items()):
        steps.append(N_("one-vote veto {title}: {reason}", title=titles.get(key, key), reason=reason))
    if r.total is not None:
        steps.append(
            N_(
                "total = {ballot_part} + {indicators} = {total}",
                ballot_part=show(r.ballot_part),
                indicators=points,
                total=show(r.total),
            )
        )
        tier = r.tier if r.tier else "-"
        rule = _rule(r.tier_rule, titles)
        steps.append(
            N_(
                "tier {tier} by {rule}; rank {rank}; flagged for interview and notice",
                tier=tier,
                rule=rule,
                rank=r.rank,
            )
            if r.flagged
            else N_("tier {tier} by {rule}; rank {rank}", tier=tier, rule=rule, rank=r.rank)
        )
    else:
        steps.append(N_("no ballot in any group: incomplete, neither ranked nor tiered"))
    org = inputs.orgs[inputs.report_org[report_id]]
    poor_shown = pooled_shown(counts, k)
    return ExplainRead(
        report_id=report_id,
        org_name=org.name,
        groups=groups,
        weight_sum=show(weight_sum, 4) if weight_sum is not None else None,
        ballot_part=show(r.ballot_part),
        ballot_part_rule=N_("Σ w(g)·G(r,g) / Σ w(g) over the groups with at least one ballot"),
        indicators=indicators,
        indicator_points=show(r.indicator_points) or "0.00",
        total=show(r.total),
        vetoes={key: translate(reason) for key, reason in r.vetoes.items()},
        poor_share=share(r.poor_share) if poor_shown else None,
        poor_share_withheld=r.poor_share is not None and not poor_shown,
        poor_vote_share_limit=format(inputs.grading.poor_vote_share, "f"),
        min_ballots_shown=k,
        tier=r.tier.value if r.tier else None,
        tier_rule=r.tier_rule,
        rank=r.rank,
        flagged=r.flagged,
        steps=steps,
        item_titles=titles,
    )


def _rule(rule: str | None, titles: dict[str, str]) -> Msg | str:
    """The rule that set a tier, in words: vetoes by their titles."""
    if rule == "thresholds":
        return N_("the score thresholds")
    if rule == "quota":
        return N_("the quota")
    if rule == "poor_vote_share":
        return N_("the share of poor votes")
    if rule and rule.startswith("veto:"):
        return N_("veto: {items}", items=[titles.get(key, key) for key in rule.removeprefix("veto:").split(",")])
    return rule or "-"
