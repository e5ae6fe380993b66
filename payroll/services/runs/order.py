"""§16 order of months: no month of a district and program may be skipped.

A later month cannot be approved or finalized while an earlier one, since the district and
program's first run, has enrolled participants but no run at all: its pay, its corrections
and its leave accrual would otherwise be settled after the month that depends on them.
"""

from __future__ import annotations

from datetime import date

from payroll.domain.calendar import month_range, months_between
from payroll.domain.runs import RunRecord
from payroll.services.unit_of_work import UnitOfWork


def skipped_months(uow: UnitOfWork, run: RunRecord) -> list[str]:
    """Months before ``run.month`` (from the first run of its district and program) that
    have roster enrollments of the district and program but no run."""
    with uow:
        runs = uow.runs.months_before(run)
        first, _ = month_range(min(runs | {run.month}))
        last = date.fromordinal(month_range(run.month)[0].toordinal() - 1)
        if last < first:
            return []
        return [
            month
            for month in months_between(first, last)
            if month not in runs
            and uow.run_inputs.has_enrollments(run.district_code, run.program_code, month)
        ]
