"""The console's holds, releases, returned transfers and write-offs (with access checks).

What the run page shows beside its payslips: the note of a run reopened after approval,
the months it holds, its payees (changes since last month marked) and the amounts
returned by the bank.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from payroll.domain.carryover import CarryKind, Carryover
from payroll.domain.runs import RunState
from payroll.services.common import audit
from payroll.services.common.access import Action, Actor, require
from payroll.services.console.runs import load_run
from payroll.services.runs import carryovers
from payroll.services.runs import payees as run_payees
from payroll.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class RunExtras:
    """The run page's sections about who is paid and what is carried over."""

    reopened_note: str | None
    held: list[run_payees.Held]
    payees: list[run_payees.Payee]
    returned: list[tuple[str, Carryover]] = field(default_factory=list)
    may_release: bool = False
    may_return: bool = False
    finalized: bool = False


def run_extras(uow: UnitOfWork, actor: Actor, run_id: int) -> RunExtras:
    run = load_run(uow, actor, run_id)
    require(actor, Action.VIEW_PEOPLE)
    with uow:
        items = [c for c in uow.carryovers.of_run(run.id) if c.kind is CarryKind.RETURNED]
        ids = uow.carryovers.payees([c.enrollment_id for c in items])
    return RunExtras(
        run.reopened_note,
        run_payees.held_months(uow, run),
        run_payees.run_payees(uow, run),
        [(ids.get(c.enrollment_id, ("",))[0], c) for c in items],
        actor.may(Action.RELEASE),
        actor.may(Action.RETURNED),
        run.state is RunState.FINALIZED,
    )


def release(uow: UnitOfWork, actor: Actor, run_id: int, participant_id: str) -> Carryover:
    run = load_run(uow, actor, run_id)
    require(actor, Action.RELEASE)
    with audit.acting_as(actor.kind):
        return carryovers.release_hold(uow, run, participant_id, actor.name)


def returned(
    uow: UnitOfWork, actor: Actor, run_id: int, participant_id: str, reason: str
) -> Carryover:
    run = load_run(uow, actor, run_id)
    require(actor, Action.RETURNED)
    with audit.acting_as(actor.kind):
        return carryovers.payment_returned(uow, run, participant_id, reason, actor.name)


def write_off(uow: UnitOfWork, actor: Actor, run_id: int, carry_id: int, reason: str) -> Carryover:
    run = load_run(uow, actor, run_id)
    require(actor, Action.RELEASE)
    with uow:
        item = uow.carryovers.get(carry_id)
    if item is None or item.source_run_id != run.id:
        raise carryovers.RunError(f"이월 항목 {carry_id}은(는) 급여 실행 {run.id}의 것이 아닙니다")
    with audit.acting_as(actor.kind):
        return carryovers.write_off(uow, carry_id, reason, actor.name)
