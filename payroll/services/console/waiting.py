"""What waits for the signed-in user (the count in the console's header) and a manager's
approval of a whole month at once.

A manager's work: runs of their districts calculated by someone else with no open
exception (승인 대기) and runs approved by someone else (확정 대기, or approved by
themselves when the city allows it). Bulk approval approves each such run of one month
that the manager may approve, one by one, and says which it left and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from payroll.domain.model import PayrollError
from payroll.domain.runs import RunRecord, RunState
from payroll.services.admin import city_settings
from payroll.services.common.access import Action, Actor, require
from payroll.services.console import runs as console_runs
from payroll.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class WaitingRun:
    """One run the user can move on: what to do (승인 or 확정) and where."""

    run_id: int
    month: str
    district: str  # name
    program: str  # name
    step: str  # "승인" or "확정"


@dataclass(frozen=True)
class Header:
    """The header's facts: the user's districts by name and what waits for them."""

    districts: str
    waiting: tuple[WaitingRun, ...]


@dataclass(frozen=True)
class BulkResult:
    """What a month's bulk approval did: the runs approved and those left, with why."""

    approved: tuple[str, ...]
    left: tuple[str, ...]


def _approvable(run: RunRecord, actor: Actor, open_count: int) -> str | None:
    """Why ``actor`` may not approve ``run`` now, or None when they may."""
    if run.state is not RunState.CALCULATED:
        return "계산됨 상태가 아닙니다"
    if run.calculated_by == actor.name:
        return "직접 계산한 급여는 다른 팀장이 승인합니다"
    if open_count:
        return f"처리되지 않은 예외 {open_count}건"
    return None


def waiting_for(uow: UnitOfWork, actor: Actor) -> tuple[WaitingRun, ...]:
    """The runs waiting for this user's approval or finalization, oldest month first."""
    if not (actor.may(Action.APPROVE) or actor.may(Action.FINALIZE)):
        return ()
    with uow:
        districts = uow.names.districts()
        programs = uow.names.programs()
        relaxed = city_settings.self_finalize_allowed(uow)
        candidates = [
            r
            for state in (RunState.CALCULATED, RunState.APPROVED)
            for r in uow.runs.list(state=state)
            if actor.sees(r.district_code)
        ]
        months = sorted({r.month for r in candidates if r.state is RunState.CALCULATED})
        open_counts = {
            k: v for m in months for k, v in uow.console.open_exception_counts(m).items()
        }
    found = []
    for run in sorted(candidates, key=lambda r: (r.month, r.district_code, r.program_code)):
        if run.state is RunState.CALCULATED and actor.may(Action.APPROVE):
            if _approvable(run, actor, open_counts.get(run.id, 0)) is not None:
                continue
            step = "승인"
        elif run.state is RunState.APPROVED and actor.may(Action.FINALIZE):
            if run.approved_by == actor.name and not relaxed:
                continue
            step = "확정"
        else:
            continue
        found.append(
            WaitingRun(
                run.id,
                run.month,
                districts.get(run.district_code, run.district_code),
                programs.get(run.program_code, run.program_code),
                step,
            )
        )
    return tuple(found)


def header(uow: UnitOfWork, actor: Actor) -> Header:
    """The user's districts by name and the runs waiting for them."""
    with uow:
        names = uow.names.districts()
    shown = "" if actor.city_wide else ", ".join(names.get(d, d) for d in sorted(actor.districts))
    return Header(shown, waiting_for(uow, actor))


def approve_month(uow: UnitOfWork, actor: Actor, month: str) -> BulkResult:
    """Approve every run of ``month`` this manager may approve now; the rest are listed."""
    require(actor, Action.APPROVE)
    with uow:
        districts = uow.names.districts()
        programs = uow.names.programs()
        runs = [
            r
            for r in uow.runs.list(month=month, state=RunState.CALCULATED)
            if actor.sees(r.district_code)
        ]
        open_counts = uow.console.open_exception_counts(month)
    approved: list[str] = []
    left: list[str] = []
    for run in runs:
        name = (
            f"{districts.get(run.district_code, run.district_code)} "
            f"{programs.get(run.program_code, run.program_code)}"
        )
        why = _approvable(run, actor, open_counts.get(run.id, 0))
        if why is None:
            try:
                console_runs.approve(uow, actor, run.id)
                approved.append(name)
                continue
            except PayrollError as exc:
                why = str(exc)
        left.append(f"{name}: {why}")
    return BulkResult(tuple(approved), tuple(left))


@dataclass(frozen=True)
class YearRun:
    """One run of the year's list, with names and its state in Korean."""

    run_id: int
    month: str
    district: str
    program: str
    state: str
    participants: int
    gross: int
    net: int


def runs_of_year(uow: UnitOfWork, actor: Actor, year: int) -> list[YearRun]:
    """Every run of ``year`` in the actor's districts, by month, district and program."""
    require(actor, Action.BOARD)
    with uow:
        districts = uow.names.districts()
        programs = uow.names.programs()
        found = [
            r
            for r in uow.runs.list()
            if r.month.startswith(f"{year:04d}-") and actor.sees(r.district_code)
        ]
    return [
        YearRun(
            r.id,
            r.month,
            districts.get(r.district_code, r.district_code),
            programs.get(r.program_code, r.program_code),
            r.state.korean,
            r.participant_count,
            r.gross,
            r.net,
        )
        for r in sorted(found, key=lambda r: (r.month, r.district_code, r.program_code, r.id))
    ]
