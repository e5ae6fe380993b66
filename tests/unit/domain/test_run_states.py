"""The run's states and transitions as pure rules."""

from __future__ import annotations

import pytest

from payroll.domain.labels import RUN_STATE_NAMES, run_state_name
from payroll.domain.runs import (
    TRANSITIONS,
    RunAction,
    RunError,
    RunRecord,
    RunState,
    allows,
    check_transition,
)


def run(state: RunState) -> RunRecord:
    return RunRecord(4, "2025-03", "11110", "dongheng", state)


def test_states_are_plain_strings() -> None:
    assert RunState.FINALIZED == "finalized"
    assert f"{RunState.APPROVED}" == "approved"
    assert RunState("cancelled") is RunState.CANCELLED


@pytest.mark.parametrize(
    ("state", "action", "target"),
    [
        (RunState.CALCULATED, RunAction.CALCULATE, RunState.CALCULATED),
        (RunState.APPROVED, RunAction.CALCULATE, RunState.CALCULATED),
        (RunState.CANCELLED, RunAction.CALCULATE, RunState.CALCULATED),
        (RunState.CALCULATED, RunAction.APPROVE, RunState.APPROVED),
        (RunState.APPROVED, RunAction.FINALIZE, RunState.FINALIZED),
        (RunState.CALCULATED, RunAction.CANCEL, RunState.CANCELLED),
        (RunState.APPROVED, RunAction.CANCEL, RunState.CANCELLED),
        (RunState.CALCULATED, RunAction.EXCLUDE, RunState.CALCULATED),
    ],
)
def test_allowed_transitions(state: RunState, action: RunAction, target: RunState) -> None:
    assert allows(state, action)
    assert check_transition(run(state), action) is target


def test_a_finalized_run_allows_nothing() -> None:
    assert not any(allows(RunState.FINALIZED, action) for action in RunAction)
    with pytest.raises(RunError, match="확정되었으므로 바뀌지 않습니다"):
        check_transition(run(RunState.FINALIZED), RunAction.CANCEL)


def test_only_a_new_run_is_calculated_from_nothing() -> None:
    assert allows(None, RunAction.CALCULATE)
    assert not allows(None, RunAction.APPROVE)


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        (
            RunState.APPROVED,
            RunAction.APPROVE,
            "급여 실행 4 (2025-03 11110 dongheng)은(는) 승인할 수 없습니다: "
            "지금 승인됨 상태입니다 (계산됨 상태에서만 승인)",
        ),
        (
            RunState.CALCULATED,
            RunAction.FINALIZE,
            "급여 실행 4 (2025-03 11110 dongheng)은(는) 확정할 수 없습니다: "
            "지금 계산됨 상태입니다 (승인됨 상태에서만 확정)",
        ),
        (
            RunState.CANCELLED,
            RunAction.EXCLUDE,
            "급여 실행 4 (2025-03 11110 dongheng)은(는) 참여자 제외할 수 없습니다: "
            "지금 취소됨 상태입니다 (계산됨 상태에서만 참여자 제외)",
        ),
    ],
)
def test_refusals_name_the_run_and_the_state(
    state: RunState, action: RunAction, message: str
) -> None:
    with pytest.raises(RunError) as refused:
        check_transition(run(state), action)
    assert str(refused.value) == message


def test_every_action_has_a_transition_and_the_korean_names_agree() -> None:
    assert set(TRANSITIONS) == set(RunAction)
    assert {s.value: s.korean for s in RunState} == RUN_STATE_NAMES
    assert run_state_name("finalized") == "확정됨"
    assert run_state_name("unknown") == "unknown"
