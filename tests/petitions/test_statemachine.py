"""The case state machine: every legal and every illegal step, and multi-step paths."""

from __future__ import annotations

import itertools

import pytest

from shuping.petitions.calendar import Stage
from shuping.petitions.statemachine import (
    TRANSITIONS,
    Action,
    CaseStatus,
    IllegalTransition,
    action_for,
    allowed_targets,
    path,
    stage_after,
    target_of,
)

S = CaseStatus
LEGAL = {
    (S.accepted, S.in_progress): Action.start,
    (S.in_progress, S.assigned): Action.assign,
    (S.in_progress, S.transferred): Action.transfer,
    (S.assigned, S.resolved): Action.resolve,
    (S.transferred, S.resolved): Action.resolve,
    (S.resolved, S.closed): Action.close,
    (S.resolved, S.in_progress): Action.reopen,
    (S.closed, S.in_progress): Action.reopen,
}
ALLOWED = {
    S.accepted: (S.in_progress,),
    S.in_progress: (S.assigned, S.transferred),
    S.assigned: (S.resolved,),
    S.transferred: (S.resolved,),
    S.resolved: (S.closed, S.in_progress),
    S.closed: (S.in_progress,),
}


def test_the_table_is_exactly_the_specified_one() -> None:
    assert TRANSITIONS == LEGAL


@pytest.mark.parametrize(("current", "target"), list(LEGAL))
def test_legal_steps(current: CaseStatus, target: CaseStatus) -> None:
    assert action_for(current, target) == LEGAL[(current, target)]
    assert target_of(current, LEGAL[(current, target)]) == target


@pytest.mark.parametrize(
    ("current", "target"), [p for p in itertools.product(CaseStatus, CaseStatus) if p not in LEGAL]
)
def test_illegal_steps_name_the_allowed_ones(current: CaseStatus, target: CaseStatus) -> None:
    with pytest.raises(IllegalTransition) as info:
        action_for(current, target)
    assert info.value.allowed == ALLOWED[current]
    for allowed in ALLOWED[current]:
        assert allowed.value in str(info.value)


@pytest.mark.parametrize("current", list(CaseStatus))
def test_allowed_targets(current: CaseStatus) -> None:
    assert allowed_targets(current) == ALLOWED[current]


@pytest.mark.parametrize(
    ("current", "target", "actions"),
    [
        (S.accepted, S.accepted, []),
        (S.accepted, S.resolved, [Action.start, Action.assign, Action.resolve]),
        (S.accepted, S.transferred, [Action.start, Action.transfer]),
        (S.in_progress, S.closed, [Action.assign, Action.resolve, Action.close]),
        (S.closed, S.assigned, [Action.reopen, Action.assign]),
        (S.resolved, S.in_progress, [Action.reopen]),
        (S.resolved, S.accepted, None),
        (S.closed, S.accepted, None),
        (S.in_progress, S.accepted, None),
    ],
)
def test_paths(current: CaseStatus, target: CaseStatus, actions: list[Action] | None) -> None:
    steps = path(current, target)
    if actions is None:
        assert steps is None
    else:
        assert steps is not None
        assert [a for _, a in steps] == actions
        if steps:
            assert steps[-1][0] == target


@pytest.mark.parametrize(
    ("action", "stage", "reopened", "expected"),
    [
        (Action.start, Stage.acceptance, 0, Stage.handling),
        (Action.assign, Stage.handling, 0, Stage.handling),
        (Action.transfer, Stage.review, 1, Stage.review),
        (Action.resolve, Stage.handling, 0, Stage.done),
        (Action.close, Stage.done, 0, Stage.done),
        (Action.reopen, Stage.done, 0, Stage.review),
        (Action.reopen, Stage.done, 1, Stage.re_review),
        (Action.reopen, Stage.done, 2, Stage.re_review),
    ],
)
def test_stage_after(action: Action, stage: Stage, reopened: int, expected: Stage) -> None:
    assert stage_after(action, stage, reopened) == expected
