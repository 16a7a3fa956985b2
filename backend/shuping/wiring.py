"""The one place the domains are plugged into each other.

Nothing registers itself by being imported: `create_app`, the command line and the benchmarks call
`wire()` (it is idempotent), so what a cycle's stage change sets off, what gates a stage and which
formulas compute indicators can all be read here.
"""

from __future__ import annotations

from shuping.cycles import freeze
from shuping.cycles import service as cycles_service
from shuping.cycles.models import CycleStage
from shuping.meetings import service as meetings_service
from shuping.petitions import stats as petition_stats
from shuping.results import indicators


def wire() -> None:
    # Indicators computed from other domains' data: petitions (信访) and the ledger (整改).
    indicators.register_formulas()
    # Gates: no meeting may be live when assessment begins; rectification needs published results.
    cycles_service.register_gate_check(CycleStage.assessment, meetings_service.no_live_meeting)
    cycles_service.register_gate_check(CycleStage.rectification, freeze.published_gate)
    # Stage changes: petitions freeze their figures entering assessment; published results hold the cycle.
    cycles_service.register_stage_hook(petition_stats.snapshot_on_entering_assessment)
    cycles_service.register_stage_hook(freeze.refuse_going_back_past_published)
