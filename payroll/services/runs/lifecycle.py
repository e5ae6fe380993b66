"""Monthly payroll runs: calculate → approve → finalize (or cancel), per (month, district, program).

A run is one transaction per (month, district, program): killed at any point it leaves
either the old results or the new ones, and calculating again gives the same stored
results. The database's unique constraints make sure no enrollment is paid twice for a
month, and its triggers refuse any change to a finalized run. Which action is allowed in
which state is :mod:`payroll.domain.runs`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime

from payroll.domain.calendar import HolidayCalendar
from payroll.domain.deductions import TaxTable
from payroll.domain.labels import RUN_STATE_NAMES
from payroll.domain.model import PayrollError, Payslip, RateBook
from payroll.domain.report_records import ExceptionRecord, LineRecord, PayslipRecord
from payroll.domain.run_member import RunMember, month_payslip
from payroll.domain.runs import (
    RunAction,
    RunConflict,
    RunError,
    RunRecord,
    RunState,
    RunTotals,
    allows,
    check_transition,
)
from payroll.domain.year_figures import refuse_missing
from payroll.formats.inputs import InputError, parse_month
from payroll.reference.banks import payee_problem
from payroll.services.admin import city_settings
from payroll.services.common import audit, lookup
from payroll.services.common.free_text import capped
from payroll.services.common.gc_pause import cycle_collection_paused
from payroll.services.common.identity import same_person
from payroll.services.enrollment.early_end import ended_since_calculated
from payroll.services.runs import approval_guard, carryovers
from payroll.services.runs import payees as run_payees
from payroll.services.runs.inputs import load_inputs, run_sizes
from payroll.services.runs.order import skipped_months
from payroll.services.runs.payee_snapshot import take_snapshot
from payroll.services.runs.pool import Task, UowFactory, calculate_in_pool, start_early
from payroll.services.runs.retro_check import stale_participants
from payroll.services.unit_of_work import UnitOfWork

Progress = Callable[[int], None]


STATE_NAMES = RUN_STATE_NAMES


@dataclass(frozen=True)
class RunSummary:
    """What a run holds, for listings and the CLI."""

    id: int
    month: str
    district: str
    program: str
    state: str
    participants: int
    exceptions: int
    gross: int
    deductions: int
    net: int
    employer: int
    note: str = ""
    district_name: str = ""  # 종로구
    program_name: str = ""  # 서울 동행일자리


@dataclass
class Calculated:
    payslips: list[tuple[int, Payslip]] = field(default_factory=list)
    exceptions: dict[int, str] = field(default_factory=dict)
    held: dict[int, tuple[int, int]] = field(default_factory=dict)  # (taxable, non-taxable)


def summary(
    uow: UnitOfWork,
    run: RunRecord,
    note: str = "",
    names: tuple[dict[str, str], dict[str, str]] | None = None,
) -> RunSummary:
    """``run`` with its district and program names (inside ``with uow:``; ``names``:
    the district and program names when already read)."""
    districts, programs = names or (lookup.district_names(uow), lookup.program_names(uow))
    return RunSummary(
        run.id,
        run.month,
        run.district_code,
        run.program_code,
        str(run.state),
        run.participant_count,
        run.exception_count,
        run.gross,
        run.total_deductions,
        run.net,
        run.employer_total,
        note,
        districts.get(run.district_code, run.district_code),
        programs.get(run.program_code, run.program_code),
    )


# --- calculate -----------------------------------------------------------------------


def calculate_runs(
    uow: UnitOfWork,
    month: str,
    district: str | None = None,
    program: str | None = None,
    progress: Progress | None = None,
    actor: str = "system",
    workers: int = 1,
    uow_factory: UowFactory | None = None,
) -> list[RunSummary]:
    """Calculate every run of ``month`` (optionally one district / program).

    Runs already finalized are left as they are; any other run is replaced. Each run is
    its own transaction. With ``workers`` > 1 and a ``uow_factory`` (a picklable maker of
    new units of work), the runs are calculated in that many processes
    (:mod:`payroll.services.runs.pool`): a failing run is named in :class:`RunsFailed`
    and the others are stored all the same.
    """
    month = parse_month(month)
    if workers > 1 and uow_factory is not None:
        start_early(uow_factory)
    with uow:
        district = lookup.district_code(uow, district) if district else None
        program = lookup.program_code(uow, program) if program else None
        rates = uow.catalog.read().rate_book
        calendar = uow.catalog.holidays()
        calendar.build_years(int(month[:4]))  # once here, not again in every worker
        withholding = uow.catalog.tax_tables()
        groups = run_sizes(uow, month, district, program)
        codes = sorted({p for _, p in groups})
        refuse_missing(rates, {c: rates.program(c).name for c in codes}, month)
    shared = (month, rates, calendar, withholding, actor, audit.actor_kind())
    if workers > 1 and uow_factory is not None and len(groups) > 1:
        return _calculate_in_pool(uow_factory, month, groups, shared, workers, progress, uow)
    return [
        calculate_one(uow, district_code, program_code, *shared, progress=progress)
        for district_code, program_code in groups
    ]


class RunsFailed(RunError):
    """Some runs of a parallel calculation failed; the others were calculated and stored
    (``done``)."""

    def __init__(self, message: str, done: list[RunSummary]) -> None:
        super().__init__(message)
        self.done = done


def calculate_one(
    uow: UnitOfWork,
    district: str,
    program: str,
    month: str,
    rates: RateBook,
    calendar: HolidayCalendar,
    withholding: TaxTable,
    actor: str,
    actor_kind: str = "operator",
    progress: Progress | None = None,
) -> RunSummary:
    """Calculate and store one run in its own transaction, which also reads its enrollments
    (so a worker process reads its runs' members itself, not the parent for all runs);
    audited as ``actor`` of ``actor_kind``, in whichever process it runs."""
    try:
        with cycle_collection_paused(), audit.acting_as(actor_kind), uow:
            return _calculate_run(
                uow,
                month,
                district,
                program,
                uow.run_inputs.members(month, district, program),
                rates,
                calendar,
                withholding,
                progress,
                actor,
            )
    except RunConflict:
        raise RunError(
            f"{month} {district} {program}: 다른 프로세스가 같은 급여를 동시에 "
            "계산해 이 계산은 저장하지 않았습니다; `payroll run list` 로 결과를 확인하세요 "
            "(another process calculated the same run at the same time)"
        ) from None


def _calculate_in_pool(
    factory: UowFactory,
    month: str,
    groups: dict[tuple[str, str], int],
    shared: tuple[object, ...],
    workers: int,
    progress: Progress | None,
    here: UnitOfWork,
) -> list[RunSummary]:
    """The runs in ``workers`` processes, this one among them; every run is tried,
    failures named together."""
    tasks = [Task(d, p, size) for (d, p), size in groups.items()]
    outcomes = calculate_in_pool(factory, calculate_one, tasks, shared, workers, progress, here)
    done = [found for found, _ in outcomes if found is not None]
    failed = [(t, why) for t, (_, why) in zip(tasks, outcomes, strict=True) if why is not None]
    if failed:
        listed = "\n".join(f"- {month} {t.district} {t.program}: {why}" for t, why in failed)
        raise RunsFailed(
            f"급여 실행 {len(failed)}건을 계산하지 못했습니다 (나머지 {len(done)}건은 "
            f"계산해 저장했습니다):\n{listed}",
            done,
        )
    return done


def _calculate_run(
    uow: UnitOfWork,
    month: str,
    district: str,
    program: str,
    members: Sequence[RunMember],
    rates: RateBook,
    calendar: HolidayCalendar,
    withholding: TaxTable,
    progress: Progress | None,
    actor: str,
) -> RunSummary:
    run = _find_run(uow, month, district, program)
    if run is not None and not allows(run.state, RunAction.CALCULATE):
        if progress:
            progress(len(members))
        return summary(uow, run, "이미 확정됨; 바꾸지 않음")
    result = Calculated()
    for person in load_inputs(uow, month, members):
        unpayable = payee_problem(person.member.bank_code, person.member.account)
        if unpayable:
            result.exceptions[person.enrollment_id] = unpayable
            # kept for a hold (지급 보류): the month is calculated all the same
            with suppress(PayrollError):
                result.held[person.enrollment_id] = carryovers.held_figures(
                    person, month, rates, calendar, withholding
                )
        else:
            try:
                payslip = month_payslip(person, month, rates, calendar, withholding)
                result.payslips.append((person.enrollment_id, payslip))
            except PayrollError as exc:
                result.exceptions[person.enrollment_id] = str(exc)
        if progress:
            progress(1)
    return summary(uow, _store(uow, run, month, district, program, result, actor))


def _find_run(uow: UnitOfWork, month: str, district: str, program: str) -> RunRecord | None:
    return uow.runs.find(month, district, program)


def _store(
    uow: UnitOfWork,
    run: RunRecord | None,
    month: str,
    district: str,
    program: str,
    result: Calculated,
    actor: str,
) -> RunRecord:
    """Replace the run's payslips and exceptions with ``result`` (same transaction)."""
    now = datetime.now(UTC)
    previous_state = None
    kept: dict[int, ExceptionRecord] = {}
    if run is None:
        run_id = uow.runs.add(month, district, program)
    else:
        run_id, previous_state = run.id, str(run.state)
        kept = {x.enrollment_id: x for x, _pid in uow.runs.exceptions(run.id) if x.excluded}
        uow.runs.clear(run.id)
        uow.catalog.clear_recalculation_mark(run.id)
    uow.payslips.add(run_id, result.payslips)
    uow.runs.add_exceptions(
        run_id,
        [
            ExceptionRecord(
                reason,
                enrollment_id=enrollment_id,
                excluded=enrollment_id in kept,
                excluded_reason=kept[enrollment_id].excluded_reason
                if enrollment_id in kept
                else None,
                excluded_by=kept[enrollment_id].excluded_by if enrollment_id in kept else None,
            )
            for enrollment_id, reason in sorted(result.exceptions.items())
        ],
    )
    if run is not None:  # recalculated: its held months (지급 보류) follow the new figures
        uow.carryovers.drop_held(run_id, set(kept) & set(result.exceptions))
        carryovers.rehold(uow, run_id, month, result.held)
    slips = [p for _e, p in result.payslips]
    totals = RunTotals(
        participants=len(slips),
        exceptions=len(result.exceptions),
        gross=sum(p.gross for p in slips),
        deductions=sum(p.total_deductions for p in slips),
        net=sum(p.net for p in slips),
        employer=sum(line.amount for p in slips for line in p.employer),
    )
    uow.runs.save_calculation(run_id, totals, actor, now)
    audit.record(
        uow,
        actor,
        "run.calculated",
        "payroll_run",
        run_id,
        month=month,
        district=district,
        program=program,
        previous_state=previous_state,
        participants=totals.participants,
        exceptions=totals.exceptions,
        gross=totals.gross,
        net=totals.net,
    )
    return _get(uow, run_id)


def _get(uow: UnitOfWork, run_id: int) -> RunRecord:
    run = uow.runs.get(run_id)
    assert run is not None
    return run


# --- state changes -------------------------------------------------------------------


class UnknownRun(RunError, InputError):
    """A run reference that names no run (bad input: exit code 2)."""


def find_run(uow: UnitOfWork, ref: str) -> RunRecord:
    """A run by id (``12``) or key ``MONTH/DISTRICT/PROGRAM``: month in any form
    :func:`parse_month` reads, district and program by code or Korean name
    (``2025-03/종로구/매력일자리``)."""
    run: RunRecord | None
    ref = ref.strip()
    with uow:
        if ref.isdigit():
            run = uow.runs.get(int(ref))
        else:
            parts = [p.strip() for p in ref.split("/")]
            if len(parts) != 3:
                raise UnknownRun(
                    f"실행 {ref!r}: 번호 또는 월/자치구/사업으로 지정하세요 "
                    "(예: 2025-03/종로구/동행일자리)"
                )
            month = parse_month(parts[0])
            district = lookup.district_code(uow, parts[1])
            run = _find_run(uow, month, district, lookup.program_code(uow, parts[2]))
    if run is None:
        raise UnknownRun(f"급여 실행 {ref!r}이 없습니다 (`payroll run list`로 확인하세요)")
    return run


def approve_run(uow: UnitOfWork, ref: str, by: str) -> RunSummary:
    """Approve a calculated run; every exception must be fixed or excluded first.

    One approval or finalization of a run at a time (:func:`_one_at_a_time`): who loses a
    race reads the winner's state and is refused in Korean."""
    with _one_at_a_time(uow, ref):
        run = find_run(uow, ref)
        state = check_transition(run, RunAction.APPROVE)
        _require_in_order(uow, run, "승인")
        open_exceptions = uow.runs.open_exception_count(run.id)
        if open_exceptions:
            raise RunError(
                f"급여 실행 {run.id}에 처리되지 않은 예외 {open_exceptions}건이 있습니다: 자료를 "
                "고쳐 다시 계산하거나, 한 명씩 지급 보류하세요 (`payroll run hold`)"
            )
        if same_person(run.calculated_by, by):
            raise RunError(
                f"급여 실행 {run.id}: {by}님이 계산한 급여는 {by}님이 승인할 수 없습니다 "
                "(업무 분리: 계산한 사람과 승인하는 사람은 달라야 합니다)"
            )
        uow.runs.set_state(run.id, state, by, datetime.now(UTC))
        approval_guard.record_approval(uow, _get(uow, run.id), by)
        return summary(uow, _get(uow, run.id))


def finalize_run(uow: UnitOfWork, ref: str, by: str) -> RunSummary:
    """Finalize an approved run: from now on its payslips and month never change.

    A run whose figures, payees or attendance changed since its approval is returned to
    계산됨 with the change named, and refused."""
    run = find_run(uow, ref)
    if run.state is RunState.APPROVED:
        changes = approval_guard.changes_since_approval(uow, run)
        if changes:
            note = approval_guard.reopen(uow, run, changes, by)
            raise RunError(
                f"급여 실행 {run.id} ({run.month})을 확정할 수 없습니다: 승인한 내용과 다릅니다. "
                f"{note} (`payroll run show {run.id}`로 확인 후 다시 계산·승인하세요)"
            )
    with _one_at_a_time(uow, ref):
        run = find_run(uow, ref)
        state = check_transition(run, RunAction.FINALIZE)
        _require_in_order(uow, run, "확정")
        relaxed = same_person(run.approved_by, by)
        if relaxed and not city_settings.self_finalize_allowed(uow):
            raise RunError(
                f"급여 실행 {run.id}: {by}님이 승인한 급여는 {by}님이 확정할 수 없습니다 "
                "(업무 분리: 다른 팀장이 확정합니다; 1인 사무소는 시 관리자가 "
                "`payroll setting self-finalize on`으로 허용)"
            )
        take_snapshot(uow, run)
        carryovers.settle_run(uow, run)
        uow.runs.set_state(run.id, state, by, datetime.now(UTC))
        extra = {"separation_of_duties_relaxed": True} if relaxed else {}
        audit.record(
            uow,
            by,
            "run.finalized",
            "payroll_run",
            run.id,
            gross=run.gross,
            net=run.net,
            **extra,
        )
        return summary(uow, _get(uow, run.id))


def _one_at_a_time(uow: UnitOfWork, ref: str) -> AbstractContextManager[UnitOfWork]:
    """A transaction no other approval or finalization overlaps (they are short): the
    loser of a race waits, then reads the winner's state."""
    return uow.serialized("run-state")


def cancel_run(uow: UnitOfWork, ref: str, by: str, reason: str) -> RunSummary:
    """Cancel a run that is not finalized; its payslips are removed."""
    reason = capped(reason, "취소 사유")
    with uow:
        run = find_run(uow, ref)
        state = check_transition(run, RunAction.CANCEL)
        uow.runs.clear(run.id)
        uow.runs.set_state(run.id, state, by, datetime.now(UTC))
        audit.record(uow, by, "run.cancelled", "payroll_run", run.id, reason=reason)
        return summary(uow, _get(uow, run.id))


def exclude_participant(
    uow: UnitOfWork, ref: str, participant_id: str, reason: str, by: str
) -> RunSummary:
    """Hold an exception's participant out of a run (지급 보류), with a reason: the month
    is calculated and kept, and paid once a manager releases it (or in the final month)."""
    reason = capped(reason, "보류 사유")
    with uow:
        run = find_run(uow, ref)
        carryovers.hold_participant(uow, run, participant_id, reason, by)
        return summary(uow, run)


hold_participant = exclude_participant


def _require_in_order(uow: UnitOfWork, run: RunRecord, verb: str) -> None:
    """§16: earlier months of the district and program are finalized first, and the run's
    retro lines still match what is due (nothing finalized or corrected since)."""
    earlier = uow.runs.earliest_open_before(run)
    if earlier is not None:
        raise RunError(
            f"급여 실행 {run.id} ({run.month})을 {verb}할 수 없습니다: 같은 자치구·사업의 이전 달 "
            f"{earlier.month} 실행 {earlier.id}이 아직 확정되지 않았습니다 "
            f"({earlier.state.korean}); 이전 달부터 확정하세요"
        )
    skipped = skipped_months(uow, run)
    if skipped:
        raise RunError(
            f"급여 실행 {run.id} ({run.month})을 {verb}할 수 없습니다: 같은 자치구·사업의 이전 달 "
            f"{', '.join(skipped)}에 참여자가 있는데 급여가 계산되지 않았습니다; "
            f"`payroll run calculate --month {skipped[0]}`로 이전 달부터 계산·확정하세요"
        )
    changed = uow.catalog.recalculation_marks().get(run.id)
    if changed:
        raise RunError(
            f"급여 실행 {run.id} ({run.month})을 {verb}할 수 없습니다: 계산 후 {changed}; "
            f"`payroll run calculate --month {run.month} --district {run.district_code} "
            f"--program {run.program_code}`로 다시 계산하세요"
        )
    ended = ended_since_calculated(uow, run.id, run.calculated_at)
    carried = carryovers.stale_carryovers(uow, run)
    stale = sorted(set(stale_participants(uow, run)) | set(ended) | set(carried))
    if stale:
        shown = ", ".join(stale[:5]) + (f" 외 {len(stale) - 5}명" if len(stale) > 5 else "")
        raise RunError(
            f"급여 실행 {run.id} ({run.month})을 {verb}할 수 없습니다: 계산 후 정정분·이월분 "
            f"지급액 또는 종료일이 바뀌었습니다 ({shown}); "
            f"`payroll run calculate --month {run.month} --district {run.district_code} "
            f"--program {run.program_code}`로 다시 계산하세요"
        )


def list_runs(uow: UnitOfWork, month: str | None = None) -> list[RunSummary]:
    with uow:
        names = lookup.district_names(uow), lookup.program_names(uow)
        found = uow.runs.list(parse_month(month) if month else None)
        return [summary(uow, r, names=names) for r in found]


def run_details(uow: UnitOfWork, ref: str) -> RunDetails:
    """A run with its payslips (and lines) and exceptions, for ``payroll run show``."""
    with uow:
        run = find_run(uow, ref)
        slips = uow.payslips.of_run(run.id)
        return RunDetails(
            run,
            summary(uow, run),
            slips,
            uow.pay_sheets.lines([s.id for s, _ in slips]),
            uow.runs.exceptions(run.id),
            run_payees.held_months(uow, run),
            run_payees.run_payees(uow, run),
        )


@dataclass(frozen=True)
class RunDetails:
    """Everything ``payroll run show`` prints about one run."""

    run: RunRecord
    summary: RunSummary
    payslips: list[tuple[PayslipRecord, str]]  # with participant ids
    lines: dict[int, list[LineRecord]]
    exceptions: list[tuple[ExceptionRecord, str]]  # with participant ids
    held: list[run_payees.Held] = field(default_factory=list)  # months held (지급 보류)
    payees: list[run_payees.Payee] = field(default_factory=list)  # bank, account, holder


def calculation_size(
    uow: UnitOfWork, month: str, district: str | None, program: str | None
) -> tuple[str | None, int]:
    """The district code ``district`` names and how many enrollments a calculation pays."""
    with uow:
        code = lookup.district_code(uow, district) if district else None
        return code, sum(run_sizes(uow, month, code, program).values())
