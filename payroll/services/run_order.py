"""§16 order of months: no month of a district and program may be skipped.

A later month cannot be approved or finalized while an earlier one, since the district and
program's first run, has enrolled participants but no run at all: its pay, its corrections
and its leave accrual would otherwise be settled after the month that depends on them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from payroll.db.models import EnrollmentRow, Participant, PayrollRun
from payroll.domain.calendar import month_range, months_between


def skipped_months(session: Session, run: PayrollRun) -> list[str]:
    """Months before ``run.month`` (from the first run of its district and program) that
    have roster enrollments of the district and program but no run."""
    runs = {
        month
        for (month,) in session.execute(
            select(PayrollRun.month).where(
                PayrollRun.district_code == run.district_code,
                PayrollRun.program_code == run.program_code,
                PayrollRun.month < run.month,
            )
        )
    }
    first_run = min(runs | {run.month})
    first, _ = month_range(first_run)
    last = date.fromordinal(month_range(run.month)[0].toordinal() - 1)
    if last < first:
        return []
    return [
        month
        for month in months_between(first, last)
        if month not in runs and _has_enrollments(session, run, month)
    ]


def _has_enrollments(session: Session, run: PayrollRun, month: str) -> bool:
    first, last = month_range(month)
    count = session.scalar(
        select(func.count())
        .select_from(EnrollmentRow)
        .join(Participant, EnrollmentRow.participant_pk == Participant.id)
        .where(
            Participant.district_code == run.district_code,
            EnrollmentRow.program_code == run.program_code,
            EnrollmentRow.source == "roster",
            EnrollmentRow.start <= last,
            EnrollmentRow.end >= first,
        )
    )
    return bool(count)
