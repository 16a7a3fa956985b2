"""The ledger item state machine: which status may follow which, and who may take each step (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shuping.core.i18n import N_


class ItemStatus(StrEnum):
    open = "open"  # 待整改
    in_progress = "in_progress"  # 整改中
    done = "done"  # 已完成, awaiting the org department's check
    verified = "verified"  # 已验收
    rejected = "rejected"  # 不予整改, with a reason


class Party(StrEnum):
    """Who takes a step: the owner organisation, or the organisation department (staff)."""

    owner = "owner"
    staff = "staff"


class Action(StrEnum):
    start = "start"
    complete = "complete"
    verify = "verify"
    send_back = "send_back"
    reject = "reject"
    reopen = "reopen"


S = ItemStatus

# Every legal step: (from, to) -> (the step, the parties that may take it). Anything else is refused.
TRANSITIONS: dict[tuple[ItemStatus, ItemStatus], tuple[Action, frozenset[Party]]] = {
    (S.open, S.in_progress): (Action.start, frozenset({Party.owner, Party.staff})),
    (S.in_progress, S.done): (Action.complete, frozenset({Party.owner})),
    (S.done, S.verified): (Action.verify, frozenset({Party.staff})),
    (S.done, S.in_progress): (Action.send_back, frozenset({Party.staff})),
    (S.open, S.rejected): (Action.reject, frozenset({Party.staff})),
    (S.in_progress, S.rejected): (Action.reject, frozenset({Party.staff})),
    (S.done, S.rejected): (Action.reject, frozenset({Party.staff})),
    (S.rejected, S.open): (Action.reopen, frozenset({Party.staff})),
}

# Steps that must say why: a refusal and a sending back.
NEEDS_NOTE = frozenset({Action.reject, Action.send_back})
# Statuses whose deadline still runs.
ACTIVE = frozenset({S.open, S.in_progress})
CLOSED = frozenset({S.verified, S.rejected})
STATUS_ORDER: tuple[ItemStatus, ...] = tuple(ItemStatus)


@dataclass(frozen=True)
class IllegalTransition(Exception):
    current: ItemStatus
    target: ItemStatus
    allowed: tuple[ItemStatus, ...]

    def __str__(self) -> str:
        allowed = N_("{statuses}", statuses=list(self.allowed)) if self.allowed else N_("none")
        return N_(
            "An item that is {current} cannot become {target}; allowed: {allowed}",
            current=self.current,
            target=self.target,
            allowed=allowed,
        )


@dataclass(frozen=True)
class NotPermitted(Exception):
    action: Action
    parties: frozenset[Party]

    def __str__(self) -> str:
        if self.parties == {Party.owner}:
            return N_("Only the owner organisation may {action} an item", action=self.action)
        if self.parties == {Party.staff}:
            return N_("Only the organisation department may {action} an item", action=self.action)
        return N_("Only the owner organisation or the organisation department may {action} an item", action=self.action)


def allowed_targets(current: ItemStatus, parties: frozenset[Party] | None = None) -> tuple[ItemStatus, ...]:
    """The statuses an item may move to next (for the given parties, when named), in declaration order."""
    return tuple(
        to for (frm, to), (_, who) in TRANSITIONS.items() if frm == current and (parties is None or who & parties)
    )


def check(current: ItemStatus, target: ItemStatus, parties: frozenset[Party]) -> Action:
    """Name the step from current to target for someone acting as `parties`.

    Raise IllegalTransition (naming the legal next statuses) or NotPermitted (naming who may).
    """
    step = TRANSITIONS.get((current, target))
    if step is None:
        raise IllegalTransition(current, target, allowed_targets(current))
    action, who = step
    if not who & parties:
        raise NotPermitted(action, who)
    return action
