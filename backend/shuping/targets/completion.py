"""Completion of a target programme at a date, pure (no I/O): actuals, completion, weighted
completion, ranks, traffic lights and the veto fact, in exact decimals.

Rules:

* A project counts for a measure at date *d* when the stage it stood at on *d* (its last stage
  move dated on or before *d*, see `stage_on`) is the measure's stage or a later one; a project
  moved back counts from the day of the move back as its lower stage, so a bulletin of an earlier
  date keeps what was true then. A measure sums 1 per project, its contract amount or its funds in
  place (the amounts as they stand now: they carry no history). *d* is clamped to the period's end.
* Completion of a measure = actual ÷ target (a "less is better" measure: target ÷ actual, 1 when
  the actual is within the target). A unit without a target for a measure has no completion for
  it: the measure is left out of its weighted completion, not counted as zero.
* Weighted completion = Σ weight × min(completion, 1) ÷ Σ weight over the measures the unit has
  targets for. Capped at 100 %: each measure is a duty of its own, and overshooting one (a single
  large contract) must not hide a shortfall in another; the per-measure completion is shown
  uncapped.
* Ranks: by weighted completion, highest first, competition ranking (1, 2, 2, 4) on the exact
  values; a unit without any target is listed but not ranked.
* Lights against the time elapsed: expected pace = elapsed days ÷ period days (both counting the
  first and last day); red below `RED_BELOW` of the expected pace, yellow below `YELLOW_BELOW` of it,
  green at or above. Before the period starts nothing is expected and every light is green.
* Veto fact (项目落地一票否决): the unit has no project that stood at 落地 or later on *d*.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from shuping.targets.models import STAGE_ORDER, MeasureBasis, ProjectStage

RED_BELOW = Decimal("0.6")  # red below 60 % of the expected pace
YELLOW_BELOW = Decimal("1")  # yellow below the expected pace, green at or above it
CAP = Decimal("1")  # a measure's completion counts at most 100 % in the weighted completion
PLACES = Decimal("0.000001")


class Light(StrEnum):
    red = "red"
    yellow = "yellow"
    green = "green"


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    key: str
    weight: Decimal
    stage: ProjectStage
    basis: MeasureBasis
    more_is_better: bool = True


@dataclass(frozen=True, slots=True)
class ProjectFacts:
    org_id: int
    # (date, stage reached on it), in the order they were recorded.
    moves: Sequence[tuple[date, ProjectStage]]
    contract_amount: Decimal = Decimal(0)
    funds_in_place: Decimal = Decimal(0)


@dataclass(slots=True)
class MeasureResult:
    key: str
    target: Decimal | None
    actual: Decimal
    completion: Decimal | None
    light: Light | None


@dataclass(slots=True)
class UnitResult:
    org_id: int
    measures: dict[str, MeasureResult] = field(default_factory=dict)
    weighted: Decimal | None = None
    rank: int | None = None
    light: Light | None = None
    landed_projects: int = 0

    @property
    def no_project_landed(self) -> bool:
        return self.landed_projects == 0


def stage_on(moves: Sequence[tuple[date, ProjectStage]], day: date) -> ProjectStage | None:
    """The stage a project stood at on `day`: its last move dated on or before it (None before its first)."""
    current: ProjectStage | None = None
    for on, stage in moves:
        if on <= day:
            current = stage
    return current


def reached(stage: ProjectStage | None, wanted: ProjectStage) -> bool:
    return stage is not None and STAGE_ORDER[stage] >= STAGE_ORDER[wanted]


def expected_pace(start: date, end: date, day: date) -> Decimal:
    """The share of the period gone by the end of `day` (0 before it starts, 1 from its last day)."""
    if day < start:
        return Decimal(0)
    total = (end - start).days + 1
    elapsed = (min(day, end) - start).days + 1
    return Decimal(elapsed) / Decimal(total)


def light_for(completion: Decimal, pace: Decimal) -> Light:
    if pace == 0 or completion >= YELLOW_BELOW * pace:
        return Light.green
    if completion < RED_BELOW * pace:
        return Light.red
    return Light.yellow


def measure_completion(actual: Decimal, target: Decimal, more_is_better: bool) -> Decimal:
    """actual ÷ target; for a "less is better" measure target ÷ actual, 1 while within the target."""
    if more_is_better:
        return Decimal(1) if target == 0 else actual / target
    return Decimal(1) if actual <= target else target / actual


def competition_ranks(values: Mapping[int, Decimal]) -> dict[int, int]:
    """Rank by value, highest first; equal values share a rank and the next rank skips (1, 2, 2, 4)."""
    ordered = sorted(values.values(), reverse=True)
    return {key: ordered.index(value) + 1 for key, value in values.items()}


def previous_month_end(day: date) -> date:
    """The last day of the month before `day`'s month."""
    return day.replace(day=1) - timedelta(days=1)


def compute(
    *,
    start: date,
    end: date,
    day: date,
    measures: Sequence[MeasureSpec],
    targets: Mapping[tuple[int, str], Decimal],
    projects: Iterable[ProjectFacts],
    units: Iterable[int] = (),
) -> dict[int, UnitResult]:
    """Every unit's results on `day`: the units named, those with a target and those owning a project."""
    on = min(day, end)
    pace = expected_pace(start, end, day)
    projects = list(projects)
    org_ids = set(units) | {org for org, _ in targets} | {p.org_id for p in projects}
    out = {org: UnitResult(org) for org in org_ids}
    actuals: dict[tuple[int, str], Decimal] = {}
    for p in projects:
        stage = stage_on(p.moves, on)
        if reached(stage, ProjectStage.landed):
            out[p.org_id].landed_projects += 1
        for m in measures:
            if not reached(stage, m.stage):
                continue
            amount = {
                MeasureBasis.projects: Decimal(1),
                MeasureBasis.contract_amount: p.contract_amount,
                MeasureBasis.funds_in_place: p.funds_in_place,
            }[m.basis]
            actuals[p.org_id, m.key] = actuals.get((p.org_id, m.key), Decimal(0)) + amount
    for org, unit in out.items():
        weighted_sum, weights = Decimal(0), Decimal(0)
        for m in measures:
            target = targets.get((org, m.key))
            actual = actuals.get((org, m.key), Decimal(0))
            completion = None if target is None else measure_completion(actual, target, m.more_is_better)
            light = None if completion is None else light_for(completion, pace)
            unit.measures[m.key] = MeasureResult(m.key, target, actual, completion, light)
            if completion is not None:
                weighted_sum += m.weight * min(completion, CAP)
                weights += m.weight
        if weights > 0:
            unit.weighted = weighted_sum / weights
            unit.light = light_for(unit.weighted, pace)
    ranks = competition_ranks({org: u.weighted for org, u in out.items() if u.weighted is not None})
    for org, rank in ranks.items():
        out[org].rank = rank
    return out


def rounded(value: Decimal | None) -> Decimal | None:
    """For showing: six places, half up (ranks and lights are decided on the exact values)."""
    return None if value is None else value.quantize(PLACES, rounding=ROUND_HALF_UP)
