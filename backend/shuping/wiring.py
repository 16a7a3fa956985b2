"""The one place the domains are plugged into each other.

Nothing registers itself by being imported: `create_app`, the command line and the benchmarks call
`wire()` (it is idempotent), so what a cycle's stage change sets off, what gates a stage, what holds
the parts of a cycle, who reports in a cycle, who uses a rubric and which formulas compute
indicators can all be read here.
"""

from __future__ import annotations

from shuping.cycles import freeze, gates, holdings
from shuping.cycles import reporting as cycles_reporting
from shuping.cycles import service as cycles_service
from shuping.cycles.holdings import Part
from shuping.cycles.models import CycleStage
from shuping.ledger import duplicates as ledger_duplicates
from shuping.ledger import holdings as ledger_holdings
from shuping.ledger import stats as ledger_stats
from shuping.meetings import holdings as meetings_holdings
from shuping.meetings import service as meetings_service
from shuping.petitions import measures as petition_measures
from shuping.petitions import stats as petition_stats
from shuping.reports import reporting as reports_reporting
from shuping.results import consequences as results_consequences
from shuping.results import holdings as results_holdings
from shuping.rubrics import formulas, veto_facts
from shuping.rubrics import usage as rubrics_usage
from shuping.targets import assessment as targets_assessment


def wire() -> None:
    # Indicators computed from other domains' data: petitions (信访) and the ledger (整改).
    formulas.register("petition_resolution_rate", petition_stats.resolution_points)
    for measure in petition_measures.MEASURES:
        formulas.register(f"petition_{measure}", petition_stats.measure_points(measure))
    formulas.register("ledger_completion", ledger_stats.completion_points)
    # Target-responsibility supervision (目标责任): the unit's weighted completion, frozen at assessment.
    formulas.register(targets_assessment.FORMULA, targets_assessment.completion_points, targets_assessment.DESCRIPTION)
    # …and the veto fact 项目落地一票否决: no project of the unit landed in the programme feeding the cycle.
    veto_facts.register(targets_assessment.VETO_FACT, targets_assessment.no_landing_vetoes)
    # A rectification notice lists the ledger's items for the organisation, each problem once.
    results_consequences.plug_ledger_findings(ledger_duplicates.notice_findings)
    # Who uses a rubric (how many cycles, frozen, their hosts): the cycles.
    rubrics_usage.plug(cycles_service.rubric_usage)
    # Who reports in a cycle (who sees it, its report counts): the reports.
    cycles_reporting.plug(reports_reporting.REPORTING)
    # Gates: evaluation needs every report accepted; no meeting may be live when assessment begins;
    # rectification needs published results.
    gates.register_gate_check(CycleStage.evaluation, reports_reporting.all_accepted)
    gates.register_gate_check(CycleStage.assessment, meetings_service.no_live_meeting)
    gates.register_gate_check(CycleStage.rectification, freeze.published_gate)
    # Stage changes: petitions and targets freeze their figures entering assessment; published results hold the cycle.
    gates.register_stage_hook(petition_stats.snapshot_on_entering_assessment)
    gates.register_stage_hook(targets_assessment.freeze_on_entering_assessment)
    gates.register_stage_hook(freeze.refuse_going_back_past_published)
    # What holds a part of a cycle from a change that would orphan it (409 still-held), in the order named.
    for part, what, count in (
        (Part.cycle, "ballots", meetings_holdings.ballots_by_cycle),
        (Part.group, "ballots", meetings_holdings.ballots_by_group),
        (Part.group, "paper ballot entries", meetings_holdings.paper_by_group),
        (Part.report, "ballots", meetings_holdings.ballots_by_report),
        (Part.report, "paper ballot entries", meetings_holdings.paper_by_report),
        (Part.report, "meeting agenda places", meetings_holdings.agenda_by_report),
        (Part.report, "results", results_holdings.results_by_report),
        (Part.report, "interviews", results_holdings.interviews_by_report),
        (Part.report, "rectification notices", results_holdings.notices_by_report),
        (Part.report, "opinions", ledger_holdings.opinions_by_report),
        (Part.report, "ledger items", ledger_holdings.items_by_report),
        (Part.category, "opinions", ledger_holdings.opinions_by_category),
        (Part.category, "ledger items", ledger_holdings.items_by_category),
        (Part.category, "ballot comments", meetings_holdings.comments_by_category),
        (Part.evaluator, "ballots", meetings_holdings.ballots_by_member),
    ):
        holdings.register(part, what, count)
