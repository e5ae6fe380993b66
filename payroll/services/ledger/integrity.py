"""The daily integrity check: nobody left unpaid, and ledgers agree with payslips."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from payroll.domain.calendar import month_code, month_range, months_between
from payroll.services.ledger.reconcile import reconcile_month
from payroll.services.unit_of_work import UnitOfWork


@dataclass
class IntegrityReport:
    problems: list[str] = field(default_factory=list)
    months_checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def integrity_check(uow: UnitOfWork, today: date) -> IntegrityReport:
    """Check every closed month (before ``today``'s month) since the first payroll run.

    1. every enrolled participant has a payslip or an exception in that month's run;
    2. the month's ledger totals equal its payslip totals (``payroll reconcile``).
    """
    report = IntegrityReport()
    with uow:
        first = uow.runs.first_month()
    if first is None:
        return report
    current = month_code(today)
    start, _ = month_range(first)
    for month in months_between(start, today):
        if month >= current:
            break
        report.months_checked.append(month)
        report.problems += _unpaid(uow, month)
        reconciled = reconcile_month(uow, month)
        if not reconciled.ok:
            report.problems += [f"{month}: {d}" for d in reconciled.differences]
    return report


def _unpaid(uow: UnitOfWork, month: str) -> list[str]:
    with uow:
        enrolled = uow.run_inputs.enrolled(month)
        paid = uow.payslips.paid_enrollments(month)
        held = uow.runs.excepted_enrollments(month)
    return [
        f"{month}: participant {pid} has no payslip and no exception"
        for pid, enrollment_id in enrolled
        if enrollment_id not in paid | held
    ]
