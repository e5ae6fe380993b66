"""The §16 invariant: each correction of a finalized month is paid once, exactly.

For an enrollment e and a finalized month M, the retro lines for (e, M) in finalized runs
must add up to M recalculated with the corrected record less M as finalized. Approval and
finalization refuse a run whose retro lines no longer match what is due (an earlier run
was finalized, or a correction arrived, after it was calculated), and ``reconcile`` names
every (participant, month) where the invariant does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from payroll.domain.calendar import HolidayCalendar
from payroll.domain.deductions import TaxTable
from payroll.domain.model import PayrollError, RateBook
from payroll.domain.money import won
from payroll.domain.pay_context import PayContext
from payroll.domain.retro import (
    RETRO_CODE,
    RETRO_CODES,
    MonthPay,
    corrected_attendance,
    recalculated_pay,
)
from payroll.domain.run_member import EnrolledParticipant, due_retro_lines, month_payslip
from payroll.domain.runs import RunRecord
from payroll.services.runs.inputs import load_inputs
from payroll.services.unit_of_work import UnitOfWork

_LAST = "9999-12"


@dataclass(frozen=True)
class RetroDifference:
    """A (participant, corrected month) whose finalized retro lines do not add up."""

    participant_id: str
    month: str
    due: int  # recalculated less finalized own pay
    paid: int  # retro lines in finalized runs
    pending: bool  # not paid at all yet and no later finalized run: paid by the next run

    @property
    def message(self) -> str:
        return (
            f"{self.participant_id} {self.month} 정정분: 지급해야 할 {won(self.due)}, "
            f"확정된 소급 정산 {won(self.paid)} (차이 {won(self.due - self.paid)})"
        )


def stale_participants(uow: UnitOfWork, run: RunRecord) -> list[str]:
    """Participants of ``run`` whose stored retro lines differ from what is due now."""
    with uow:
        stored: dict[int, dict[tuple[str, str | None], int]] = {}
        for enrollment, code, ref, amount in uow.payslips.retro_amounts(run.id):
            lines = stored.setdefault(enrollment, {})
            lines[(code, ref)] = lines.get((code, ref), 0) + amount
        in_run = uow.payslips.enrollments_of_run(run.id)
        candidates = sorted(uow.run_inputs.corrected(sorted(in_run)) | set(stored))
        if not candidates:
            return []
        people = load_inputs(uow, run.month, uow.run_inputs.members_by_id(candidates))
        rates = uow.catalog.read().rate_book
        calendar, table = uow.catalog.holidays(), uow.catalog.tax_tables()
    stale = []
    for person in people:
        expected: dict[tuple[str, str | None], int] = {}
        for code, ref, amount in _retro_due(person, run.month, rates, calendar, table):
            expected[(code, ref)] = expected.get((code, ref), 0) + amount
        if expected != stored.get(person.enrollment_id, {}):
            stale.append(person.participant_id)
    return sorted(stale)


def _retro_due(
    person: EnrolledParticipant,
    month: str,
    rates: RateBook,
    calendar: HolidayCalendar,
    table: TaxTable,
) -> list[tuple[str, str | None, int]]:
    """(code, corrected month, amount) of the retro lines the run of ``month`` pays
    ``person``: as its payslip carries them (a lowering limited by net pay), or all that
    is due when the month cannot be calculated (an exception)."""
    try:
        slip = month_payslip(person, month, rates, calendar, table)
    except PayrollError:
        return [
            (line.adjustment.code, line.month, line.adjustment.amount)
            for line in due_retro_lines(person, month, rates, calendar, table)
        ]
    return [(x.code, x.ref_month, x.amount) for x in slip.earnings if x.code in RETRO_CODES]


def retro_differences(uow: UnitOfWork, month: str) -> list[RetroDifference]:
    """Every (participant, corrected month) touched by ``month``'s finalized runs (they
    carry retro lines for it, or it is the corrected month) where paid ≠ due.

    A difference is ``pending`` when a correction was recorded after the last finalized
    run that could have paid it was calculated: the next run pays it.
    """
    with uow:
        in_month = uow.payslips.finalized_enrollments(month)
        carried = uow.payslips.finalized_enrollments(month, with_retro=True)
        candidates = sorted(uow.run_inputs.corrected(sorted(in_month)) | carried)
        if not candidates:
            return []
        rates = uow.catalog.read().rate_book
        calendar, table = uow.catalog.holidays(), uow.catalog.tax_tables()
        runs = uow.run_inputs.finalized_run_times(candidates)
        corrected_at = uow.run_inputs.last_corrections(candidates)
        people = load_inputs(uow, _LAST, uow.run_inputs.members_by_id(candidates))
    out = []
    for person in people:
        fixed = corrected_attendance(person.attendance, person.corrections)
        cut = person.pay_cut_percent
        months = {m for m in person.retro_paid if m <= month}
        if month in person.finalized and person.corrections:
            months.add(month)
        for past in sorted(m for m in months if m in person.finalized):
            ctx = PayContext(person.enrollment, fixed, past, rates, calendar, table)
            due = recalculated_pay(ctx, cut) - person.finalized[past]
            paid = person.retro_paid.get(past, MonthPay())
            if due == paid:
                continue
            calculated = [at for m, at in runs.get(person.enrollment_id, ()) if m > past]
            last = corrected_at.get(person.enrollment_id)
            pending = not calculated or (last is not None and last > max(calculated))
            # a lowering recovered in part (net pay kept >= 0): the next run takes the rest
            pending = pending or due.total < paid.total <= 0
            out.append(RetroDifference(person.participant_id, past, due.total, paid.total, pending))
    return out


__all__ = ["RETRO_CODE", "RetroDifference", "retro_differences", "stale_participants"]
