"""The ledger state machine, table-driven: every pair of statuses for each party."""

from __future__ import annotations

import pytest

from shuping.ledger.statemachine import (
    Action,
    IllegalTransition,
    ItemStatus,
    NotPermitted,
    Party,
    allowed_targets,
    check,
)

S = ItemStatus
OWNER = frozenset({Party.owner})
STAFF = frozenset({Party.staff})
BOTH = OWNER | STAFF
NOBODY: frozenset[Party] = frozenset()

# (from, to, parties) -> the step, or the exception it raises
CASES = [
    (S.open, S.in_progress, OWNER, Action.start),
    (S.open, S.in_progress, STAFF, Action.start),
    (S.open, S.in_progress, NOBODY, NotPermitted),
    (S.in_progress, S.done, OWNER, Action.complete),
    (S.in_progress, S.done, STAFF, NotPermitted),
    (S.in_progress, S.done, BOTH, Action.complete),
    (S.done, S.verified, STAFF, Action.verify),
    (S.done, S.verified, OWNER, NotPermitted),
    (S.done, S.in_progress, STAFF, Action.send_back),
    (S.done, S.in_progress, OWNER, NotPermitted),
    (S.open, S.rejected, STAFF, Action.reject),
    (S.in_progress, S.rejected, STAFF, Action.reject),
    (S.done, S.rejected, STAFF, Action.reject),
    (S.open, S.rejected, OWNER, NotPermitted),
    (S.rejected, S.open, STAFF, Action.reopen),
    (S.rejected, S.open, OWNER, NotPermitted),
    (S.open, S.done, OWNER, IllegalTransition),
    (S.open, S.verified, STAFF, IllegalTransition),
    (S.in_progress, S.verified, STAFF, IllegalTransition),
    (S.in_progress, S.open, BOTH, IllegalTransition),
    (S.verified, S.in_progress, STAFF, IllegalTransition),
    (S.verified, S.rejected, STAFF, IllegalTransition),
    (S.rejected, S.in_progress, STAFF, IllegalTransition),
    (S.open, S.open, STAFF, IllegalTransition),
]


@pytest.mark.parametrize(("current", "target", "parties", "expected"), CASES)
def test_steps(current: ItemStatus, target: ItemStatus, parties: frozenset[Party], expected: object) -> None:
    if isinstance(expected, type) and issubclass(expected, Exception):
        with pytest.raises(expected):
            check(current, target, parties)
    else:
        assert check(current, target, parties) == expected


def test_every_pair_is_decided() -> None:
    decided = {(c, t) for c, t, _, _ in CASES}
    legal = {(c, t) for c in S for t in allowed_targets(c)}
    assert legal <= decided
    for c in S:
        for t in S:
            if (c, t) not in legal:
                with pytest.raises(IllegalTransition):
                    check(c, t, BOTH)


@pytest.mark.parametrize(
    ("current", "parties", "allowed"),
    [
        (S.open, None, (S.in_progress, S.rejected)),
        (S.open, OWNER, (S.in_progress,)),
        (S.in_progress, OWNER, (S.done,)),
        (S.in_progress, STAFF, (S.rejected,)),
        (S.done, STAFF, (S.verified, S.in_progress, S.rejected)),
        (S.done, OWNER, ()),
        (S.verified, None, ()),
        (S.rejected, STAFF, (S.open,)),
    ],
)
def test_allowed_targets(
    current: ItemStatus, parties: frozenset[Party] | None, allowed: tuple[ItemStatus, ...]
) -> None:
    assert allowed_targets(current, parties) == allowed


def test_messages_name_the_allowed_and_who_may() -> None:
    with pytest.raises(IllegalTransition) as illegal:
        check(S.open, S.verified, STAFF)
    assert str(illegal.value) == "An item that is open cannot become verified; allowed: in_progress, rejected"
    with pytest.raises(NotPermitted) as refused:
        check(S.done, S.verified, OWNER)
    assert str(refused.value) == "Only the organisation department may verify an item"
