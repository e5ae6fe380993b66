"""The daily integrity check: nobody left unpaid, and ledgers agree with payslips."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine, func, select

from payroll.db.engine import transaction
from payroll.db.models import EnrollmentRow, Participant, PayrollRun, PayslipRow, RunException
from payroll.domain.calendar import month_code, month_range, months_between
from payroll.services.reconcile import reconcile_month


@dataclass
class IntegrityReport:
    problems: list[str] = field(default_factory=list)
    months_checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def integrity_check(engine: Engine, today: date) -> IntegrityReport:
    """Check every closed month (before ``today``'s month) since the first payroll run.

    1. every enrolled participant has a payslip or an exception in that month's run;
    2. the month's ledger totals equal its payslip totals (``payroll reconcile``).
    """
    report = IntegrityReport()
    with transaction(engine) as session:
        first = session.scalar(select(func.min(PayrollRun.month)))
    if first is None:
        return report
    current = month_code(today)
    start, _ = month_range(first)
    for month in months_between(start, today):
        if month >= current:
            break
        report.months_checked.append(month)
        report.problems += _unpaid(engine, month)
        reconciled = reconcile_month(engine, month)
        if not reconciled.ok:
            report.problems += [f"{month}: {d}" for d in reconciled.differences]
    return report


def _unpaid(engine: Engine, month: str) -> list[str]:
    first, last = month_range(month)
    with transaction(engine) as session:
        rows = session.execute(
            select(Participant.participant_id, EnrollmentRow.id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(
                EnrollmentRow.source == "roster",
                EnrollmentRow.start <= last,
                EnrollmentRow.end >= first,
            )
        ).all()
        paid = set(
            session.scalars(select(PayslipRow.enrollment_id).where(PayslipRow.month == month))
        )
        held = set(
            session.scalars(
                select(RunException.enrollment_id).join(PayrollRun).where(PayrollRun.month == month)
            )
        )
    return [
        f"{month}: participant {pid} has no payslip and no exception"
        for pid, enrollment_id in rows
        if enrollment_id not in paid | held
    ]
