"""The petition case state machine: which status may follow which, and what each step does (pure)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import StrEnum

from shuping.core.i18n import N_
from shuping.petitions.calendar import Stage


class CaseStatus(StrEnum):
    accepted = "accepted"  # 受理
    in_progress = "in_progress"  # 办理中
    assigned = "assigned"  # 交办: handled elsewhere, the assigning body stays responsible
    transferred = "transferred"  # 转办: handed over, ownership moves
    resolved = "resolved"  # 已化解
    closed = "closed"  # 已办结


class Action(StrEnum):
    start = "start"
    assign = "assign"
    transfer = "transfer"
    resolve = "resolve"
    close = "close"
    reopen = "reopen"


S = CaseStatus

# Every legal step: (from, to) -> what the step is called. Anything else is refused.
TRANSITIONS: dict[tuple[CaseStatus, CaseStatus], Action] = {
    (S.accepted, S.in_progress): Action.start,
    (S.in_progress, S.assigned): Action.assign,
    (S.in_progress, S.transferred): Action.transfer,
    (S.assigned, S.resolved): Action.resolve,
    (S.transferred, S.resolved): Action.resolve,
    (S.resolved, S.closed): Action.close,
    (S.resolved, S.in_progress): Action.reopen,
    (S.closed, S.in_progress): Action.reopen,
}

OPEN_STATUSES = frozenset({S.accepted, S.in_progress, S.assigned, S.transferred})
RESOLVED_STATUSES = frozenset({S.resolved, S.closed})
HANDED_ON_STATUSES = frozenset({S.assigned, S.transferred})


@dataclass(frozen=True)
class IllegalTransition(Exception):
    current: CaseStatus
    target: CaseStatus
    allowed: tuple[CaseStatus, ...]

    def __str__(self) -> str:
        allowed = N_("{statuses}", statuses=list(self.allowed)) if self.allowed else N_("none")
        return N_(
            "A case that is {current} cannot become {target}; allowed: {allowed}",
            current=self.current,
            target=self.target,
            allowed=allowed,
        )


def allowed_targets(current: CaseStatus) -> tuple[CaseStatus, ...]:
    """The statuses a case may move to next, in declaration order."""
    return tuple(to for (frm, to) in TRANSITIONS if frm == current)


def action_for(current: CaseStatus, target: CaseStatus) -> Action:
    """Name the step from current to target, or raise IllegalTransition naming the allowed ones."""
    try:
        return TRANSITIONS[(current, target)]
    except KeyError:
        raise IllegalTransition(current, target, allowed_targets(current)) from None


def target_of(current: CaseStatus, action: Action) -> CaseStatus:
    """The status an action leads to from current, or raise IllegalTransition."""
    for (frm, to), act in TRANSITIONS.items():
        if frm == current and act == action:
            return to
    raise IllegalTransition(current, current, allowed_targets(current))


def path(current: CaseStatus, target: CaseStatus) -> list[tuple[CaseStatus, Action]] | None:
    """The shortest chain of legal steps from current to target ([] when equal, None when unreachable).

    An external system may report a case several steps further on than we last saw it.
    """
    if current == target:
        return []
    previous: dict[CaseStatus, tuple[CaseStatus, Action]] = {}
    queue = deque([current])
    while queue:
        node = queue.popleft()
        for (frm, to), action in TRANSITIONS.items():
            if frm != node or to in previous or to == current:
                continue
            previous[to] = (node, action)
            if to == target:
                steps: list[tuple[CaseStatus, Action]] = []
                at = target
                while at != current:
                    before, act = previous[at]
                    steps.append((at, act))
                    at = before
                return steps[::-1]
            queue.append(to)
    return None


def stage_after(action: Action, stage: Stage, reopen_count: int) -> Stage:
    """The stage whose clock runs after a step; reopen_count counts earlier reopenings."""
    if action == Action.start:
        return Stage.handling
    if action in (Action.resolve, Action.close):
        return Stage.done
    if action == Action.reopen:
        return Stage.review if reopen_count == 0 else Stage.re_review
    return stage  # assign and transfer keep the running clock


def clock_restarts(action: Action) -> bool:
    """Whether a step starts a new stage clock (rather than keeping or stopping the current one)."""
    return action in (Action.start, Action.reopen)
