"""The database tallies a cycle's ballots exactly as the rules count them one by one."""

from __future__ import annotations

import hashlib
import json
import random
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.auth.models import User
from shuping.cycles import service as cycles_service
from shuping.cycles.models import Aggregation, GradingMethod
from shuping.meetings.models import Meeting
from shuping.results import service as results_service
from shuping.results.models import ResultEntry
from shuping.results.schemas import ResultItem
from shuping.scoring import rules
from shuping.scoring.inputs import scoring_rubric
from tests.results.test_results import TIERS, random_cycle
from tests.support.evaluation import paper_ballot

# Answers giving every item the same share of its maximum (duty of 30, overall of 60), written two ways.
STRAIGHT = [{"duty": "30", "overall": "good"}, {"duty": "25.5", "overall": "fairly_good"}]
SAME_AS_SECOND = {"duty": "25.50", "overall": "fairly_good"}


async def test_database_tallies_equal_the_count_ballot_by_ballot(session: AsyncSession) -> None:
    rng = random.Random(5)
    sim = await random_cycle(session, rng, GradingMethod.thresholds)
    # One group of each kind: plain mean, one dropped at each end (sum less min and max), two (ranked).
    for group, (aggregation, trim) in zip(
        sim.ev.groups.values(),
        [(Aggregation.mean, 0), (Aggregation.trimmed_mean, 1), (Aggregation.trimmed_mean, 2)],
        strict=True,
    ):
        group.aggregation, group.trim = aggregation, trim
    await session.flush()
    cycle = await cycles_service.get_cycle(session, sim.ev.cycle.id)
    assert cycle.rubric is not None
    rubric = scoring_rubric(cycle.rubric)
    meeting_id = await session.scalar(select(Meeting.id).where(Meeting.cycle_id == cycle.id))
    for report in sim.ev.reports:
        for key, group in sim.ev.groups.items():
            for _ in range(rng.randint(0, 9)):
                items = rng.choice(
                    [*STRAIGHT, SAME_AS_SECOND, {"duty": f"{rng.randint(0, 3000) / 100}", "overall": rng.choice(TIERS)}]
                )
                scored = rules.score_ballot(rubric, key, {"duty": Decimal(items["duty"]), "overall": items["overall"]})
                session.add(paper_ballot(meeting_id, report.id, group.id, items, **scored.stored()))
    await session.flush()

    inputs = await results_service.gather(session, cycle)
    seen = {"straight": 0, "identical": 0, "deep_trim": 0}
    for report in inputs.reports:
        assert report.tallies is not None
        ballots = await results_service.report_ballots(session, cycle, report.report_id)
        for group in inputs.groups:
            mine = [b for b in ballots if b.group == group.key]
            want = rules.tally(group, mine)
            got = report.tallies.get(group.key, rules.GroupTally(0, 0, want.kept_sum * 0, want.tier_counts))
            assert (got.ballots, got.kept, got.kept_sum, dict(got.tier_counts)) == (
                want.ballots,
                want.kept,
                want.kept_sum,
                dict(want.tier_counts),
            ), (report.report_id, group.key)
            if want.ballots:
                assert (got.straight, got.most_identical) == (want.straight, want.most_identical)
            seen["straight"] += want.straight
            seen["identical"] += want.most_identical >= 2
            seen["deep_trim"] += group.trim == 2 and want.ballots > 4
    assert all(seen.values()), seen  # every path had something to count

    # And the whole result is the same whether a report's ballots come tallied or one by one.
    one_by_one = [
        rules.ReportInput(
            r.report_id,
            await results_service.report_ballots(session, cycle, r.report_id),
            r.indicators,
            r.vetoes,
        )
        for r in inputs.reports
    ]
    tallied = rules.compute(inputs.rubric, inputs.groups, inputs.grading, inputs.reports)
    counted = rules.compute(inputs.rubric, inputs.groups, inputs.grading, one_by_one)
    assert [(r.report_id, r.total, r.rank, r.tier, r.flagged, r.consistency_flags) for r in tallied] == [
        (r.report_id, r.total, r.rank, r.tier, r.flagged, r.consistency_flags) for r in counted
    ]


async def test_stored_result_items_have_exactly_the_published_shape(session: AsyncSession) -> None:
    """The result document is built as plain data; it must be what `ResultItem` reads and writes back."""
    sim = await random_cycle(session, random.Random(3), GradingMethod.quota)
    cycle = await cycles_service.get_cycle(session, sim.ev.cycle.id)
    admin = await session.scalar(select(User).where(User.username == "admin"))
    assert admin is not None
    summary = await results_service.compute(session, cycle=cycle, actor=admin)
    stored = (
        await session.scalars(
            select(ResultEntry.item).where(ResultEntry.cycle_id == cycle.id).order_by(ResultEntry.position)
        )
    ).all()
    assert len(stored) == summary.reports > 0
    for text in stored:
        item = json.loads(text)
        assert ResultItem.model_validate(item).model_dump(mode="json") == item
        # Stored canonically (sorted keys, no blanks), as the hash reads it.
        assert text == json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # The hash is SHA-256 of the canonical JSON of the max total and every item in ranking order.
    document = {"max_total": summary.max_total, "items": [json.loads(t) for t in stored]}
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert summary.hash == hashlib.sha256(canonical.encode()).hexdigest()
