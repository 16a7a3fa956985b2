"""A cycle's stages: the gate before each, advancing and going back.

A stage is entered only when its gate holds. Cycles check their own settings (the evaluation gate);
the domains above hold a gate with a check, or act on a stage change with a hook, both registered
by `shuping.wiring`: reports must be accepted before evaluation, no meeting may be live when
assessment begins, and so on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from shuping.audit import service as audit
from shuping.auth.models import Role, User
from shuping.core.errors import Conflict, Forbidden, InvalidState
from shuping.core.i18n import N_, Sentences
from shuping.core.values import decimal_text
from shuping.cycles.models import Cycle, CycleStage, EvaluatorGroupMember, next_stage, previous_stage
from shuping.cycles.schemas import Blocker, Gate
from shuping.db import utcnow

ONE = Decimal(1)

GateCheck = Callable[[AsyncSession, Cycle], Awaitable[list[Blocker]]]
"""What blocks a cycle from entering a stage (none: nothing does)."""
StageHook = Callable[[AsyncSession, Cycle, CycleStage, CycleStage], Awaitable[None]]
"""What follows a cycle's change of stage (from, to); raising refuses the change."""

_gate_checks: dict[CycleStage, list[GateCheck]] = defaultdict(list)
_stage_hooks: list[StageHook] = []


def register_gate_check(entering: CycleStage, check: GateCheck) -> None:
    """Let another capability hold a gate (meetings: no assessment while a meeting is live)."""
    if check not in _gate_checks[entering]:
        _gate_checks[entering].append(check)


def register_stage_hook(hook: StageHook) -> None:
    """Let another capability act when a cycle changes stage (from, to), or refuse it by raising."""
    if hook not in _stage_hooks:
        _stage_hooks.append(hook)


def weight_sum(cycle: Cycle) -> Decimal:
    return sum((g.weight for g in cycle.groups), Decimal(0))


async def _evaluation_gate(session: AsyncSession, cycle: Cycle) -> list[Blocker]:
    """The cycle's own settings: a rubric, and groups whose weights sum to 1, each named one staffed."""
    blockers: list[Blocker] = []
    if cycle.rubric_id is None:
        blockers.append(Blocker(code="no_rubric", message=N_("The cycle has no rubric")))
    if not cycle.groups:
        blockers.append(Blocker(code="no_groups", message=N_("The cycle has no evaluator groups")))
        return blockers
    total = weight_sum(cycle)
    if total != ONE:
        blockers.append(
            Blocker(
                code="weights_sum",
                message=N_("The group weights sum to {total}, not 1", total=decimal_text(total)),
                params={"sum": decimal_text(total)},
            )
        )
    staffed = set(
        (
            await session.execute(
                select(EvaluatorGroupMember.group_id).where(EvaluatorGroupMember.cycle_id == cycle.id).distinct()
            )
        ).scalars()
    )
    for g in cycle.groups:
        if not g.anonymous and g.id not in staffed:
            blockers.append(
                Blocker(
                    code="group_without_members",
                    message=N_("The named group {name} ({key}) has no evaluators assigned", name=g.name, key=g.key),
                    params={"group": g.name},
                )
            )
    return blockers


_BUILTIN_GATES: dict[CycleStage, GateCheck] = {CycleStage.evaluation: _evaluation_gate}


async def gate(session: AsyncSession, cycle: Cycle) -> Gate:
    to = next_stage(cycle.stage)
    if to is None:
        return Gate(stage=cycle.stage, to=None, ready=False, blockers=[])
    blockers: list[Blocker] = []
    checks = ([_BUILTIN_GATES[to]] if to in _BUILTIN_GATES else []) + _gate_checks.get(to, [])
    for check in checks:
        blockers += await check(session, cycle)
    return Gate(stage=cycle.stage, to=to, ready=not blockers, blockers=blockers)


async def _move(session: AsyncSession, cycle: Cycle, to: CycleStage) -> None:
    """Change the stage only if no one else has changed it meanwhile."""
    result = await session.execute(
        update(Cycle)
        .where(Cycle.id == cycle.id, Cycle.stage == cycle.stage)
        .values(stage=to, stage_changed_at=utcnow(), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise Conflict(N_("The cycle's stage changed meanwhile; reload and try again"))
    await session.refresh(cycle, ["stage", "stage_changed_at", "updated_at"])


async def _after_move(session: AsyncSession, cycle: Cycle, before: CycleStage, after: CycleStage) -> None:
    for hook in _stage_hooks:
        await hook(session, cycle, before, after)


async def advance(session: AsyncSession, *, cycle: Cycle, to: CycleStage | None, actor: User) -> None:
    nxt = next_stage(cycle.stage)
    if nxt is None:
        raise InvalidState(N_("The cycle is closed; there is no next stage"))
    if to is not None and to != nxt:
        raise InvalidState(
            N_(
                "Stages advance one at a time, in order: from {value} the next is {value2}, not {value3}",
                value=cycle.stage,
                value2=nxt,
                value3=to,
            ),
            errors=[{"loc": ["body", "to"], "msg": N_("the next stage is {value}", value=nxt)}],
        )
    g = await gate(session, cycle)
    if not g.ready:
        raise InvalidState(
            N_("Cannot enter {stage}: {blockers}", stage=nxt, blockers=Sentences(b.message for b in g.blockers)),
            extra={"blockers": [b.model_dump() for b in g.blockers]},
        )
    before = cycle.stage
    await _move(session, cycle, nxt)
    await _after_move(session, cycle, before, nxt)
    await audit.record(
        session,
        actor=actor,
        action="cycle.advance",
        entity_type="cycle",
        entity_id=cycle.id,
        data={"from": before.value, "to": nxt.value},
    )


async def revert(session: AsyncSession, *, cycle: Cycle, reason: str, actor: User) -> None:
    if actor.role != Role.admin:
        raise Forbidden(N_("Only an administrator may take a cycle back a stage"))
    prev = previous_stage(cycle.stage)
    if prev is None:
        raise InvalidState(N_("The cycle is in preparation; there is no earlier stage"))
    before = cycle.stage
    await _move(session, cycle, prev)
    await _after_move(session, cycle, before, prev)
    await audit.record(
        session,
        actor=actor,
        action="cycle.revert",
        entity_type="cycle",
        entity_id=cycle.id,
        data={"from": before.value, "to": prev.value, "reason": reason},
    )
