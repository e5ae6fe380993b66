"""A payroll run's states and the transitions between them.

A run of one (month, district, program) is calculated (again as often as needed), approved
by someone other than who calculated it, and finalized; from then on it never changes. A
run not yet finalized may be cancelled. :data:`TRANSITIONS` says which action is allowed in
which state; :func:`check_transition` refuses the others with the message users read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from payroll.domain.model import PayrollError


class RunState(StrEnum):
    """Where a run is; a ``str`` so stored values and comparisons stay plain text."""

    CALCULATED = "calculated"
    APPROVED = "approved"
    FINALIZED = "finalized"
    CANCELLED = "cancelled"

    @property
    def korean(self) -> str:
        """The state as users read it (계산됨)."""
        return STATE_NAMES[self]


STATE_NAMES: dict[RunState, str] = {
    RunState.CALCULATED: "계산됨",
    RunState.APPROVED: "승인됨",
    RunState.FINALIZED: "확정됨",
    RunState.CANCELLED: "취소됨",
}

OPEN_STATES = (RunState.CALCULATED, RunState.APPROVED)
"""States of a run that is neither finalized nor cancelled: still to be settled."""


class RunAction(StrEnum):
    """What can be done to a run."""

    CALCULATE = "calculate"  # also recalculate
    APPROVE = "approve"
    FINALIZE = "finalize"
    CANCEL = "cancel"
    EXCLUDE = "exclude"  # hold an exception's participant (지급 보류)


@dataclass(frozen=True)
class Transition:
    """An action, the states it is allowed in and the state it leads to (``None``: kept)."""

    action: RunAction
    verb: str  # Korean, as in "승인할 수 없습니다"
    sources: frozenset[RunState]
    target: RunState | None


_NOT_FINALIZED = frozenset(RunState) - {RunState.FINALIZED}

TRANSITIONS: dict[RunAction, Transition] = {
    t.action: t
    for t in (
        Transition(RunAction.CALCULATE, "계산", _NOT_FINALIZED, RunState.CALCULATED),
        Transition(RunAction.APPROVE, "승인", frozenset({RunState.CALCULATED}), RunState.APPROVED),
        Transition(RunAction.FINALIZE, "확정", frozenset({RunState.APPROVED}), RunState.FINALIZED),
        Transition(RunAction.CANCEL, "취소", _NOT_FINALIZED, RunState.CANCELLED),
        Transition(RunAction.EXCLUDE, "참여자 제외", frozenset({RunState.CALCULATED}), None),
    )
}


class RunError(PayrollError):
    """A run operation refused: wrong state, unknown run, open exceptions."""


class RunConflict(RunError):
    """Another process wrote the same run meanwhile: this write lost the race."""


@dataclass(frozen=True)
class RunTotals:
    """What a calculation leaves in a run: counts and sums in won."""

    participants: int = 0
    exceptions: int = 0
    gross: int = 0
    deductions: int = 0
    net: int = 0
    employer: int = 0


@dataclass(frozen=True)
class RunRecord:
    """A stored run: its key, state, totals and who moved it when (the columns' names)."""

    id: int
    month: str
    district_code: str
    program_code: str
    state: RunState
    participant_count: int = 0
    exception_count: int = 0
    gross: int = 0
    total_deductions: int = 0
    net: int = 0
    employer_total: int = 0
    calculated_by: str | None = None
    calculated_at: datetime | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    finalized_by: str | None = None
    finalized_at: datetime | None = None
    approved_fingerprint: str | None = None  # what the approver saw (migration 0012)
    reopened_note: str | None = None  # the change that returned it to 계산됨

    def __post_init__(self) -> None:
        if not isinstance(self.state, RunState):  # read as text
            object.__setattr__(self, "state", RunState(self.state))

    @property
    def frozen(self) -> bool:
        """Finalized: its payslips and month never change."""
        return self.state is RunState.FINALIZED


def allows(state: RunState | str | None, action: RunAction) -> bool:
    """Whether ``action`` may be done to a run in ``state`` (``None``: no run yet)."""
    if state is None:
        return action is RunAction.CALCULATE
    return RunState(state) in TRANSITIONS[action].sources


def check_transition(run: RunRecord, action: RunAction) -> RunState:
    """The state ``run`` moves to by ``action`` (its own when kept); refuses any other."""
    transition = TRANSITIONS[action]
    if run.state in transition.sources:
        return transition.target or run.state
    if len(transition.sources) > 1:  # allowed in every state but finalized
        raise RunError(
            f"급여 실행 {run.id}은(는) 확정되었으므로 바뀌지 않습니다; 이후 달에 정정하세요 "
            "(`payroll import attendance --correction`)"
        )
    (allowed,) = transition.sources
    raise RunError(
        f"급여 실행 {run.id} ({run.month} {run.district_code} {run.program_code})은(는) "
        f"{transition.verb}할 수 없습니다: 지금 {run_state_name(run.state)} 상태입니다 "
        f"({allowed.korean} 상태에서만 {transition.verb})"
    )


def run_state_name(state: str) -> str:
    """The Korean name of a run state (the code itself when unknown)."""
    try:
        return RunState(state).korean
    except ValueError:
        return state
