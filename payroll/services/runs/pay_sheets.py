"""What a run's printed sheets show per participant: the review workbook and the register.

:func:`run_sheet` reads one run: every payslip with its participant, enrollment, line
amounts by (kind, code), worked days and hours, overtime and holiday-work hours; the
participants the run could not pay (exceptions); the line codes in payslip order; and the
Korean names of the district and program.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from payroll.domain.calendar import month_range, previous_month
from payroll.domain.report_records import (
    EnrollmentRecord,
    LineRecord,
    PayslipRecord,
    PersonRecord,
    RunRecord,
)
from payroll.domain.work_hours import extra_hours
from payroll.services.common.lookup import district_names, program_names
from payroll.services.enrollment.enroll import pay_enrollment
from payroll.services.payslips.store import LINE_KINDS
from payroll.services.unit_of_work import UnitOfWork

Amounts = dict[tuple[str, str], int]


@dataclass
class SheetRow:
    """One participant of a run."""

    participant: PersonRecord
    enrollment: EnrollmentRecord
    slip: PayslipRecord | None  # None: an exception, not paid
    amounts: Amounts = field(default_factory=dict)
    overtime_hours: Decimal = Decimal(0)
    holiday_hours: Decimal = Decimal(0)
    exception: str = ""
    excluded: str = ""

    @property
    def worked_days(self) -> int:
        return int(self.slip.facts.get("worked_days", 0)) if self.slip else 0

    @property
    def worked_hours(self) -> Decimal:
        return Decimal(str(self.slip.facts.get("worked_hours", 0))) if self.slip else Decimal(0)


@dataclass
class RunSheet:
    """A run's rows (by name) and the line codes its payslips use, per kind."""

    run: RunRecord
    district_name: str
    program_name: str
    rows: list[SheetRow]
    codes: dict[str, list[str]]

    @property
    def title(self) -> str:
        year, month = self.run.month.split("-")
        return f"{int(year)}년 {int(month)}월 {self.district_name} {self.program_name}"


def _amounts(lines: Sequence[LineRecord]) -> Amounts:
    amounts: Amounts = {}
    for line in lines:
        key = (line.kind, line.code)
        amounts[key] = amounts.get(key, 0) + line.amount
    return amounts


def run_sheet(uow: UnitOfWork, run: RunRecord) -> RunSheet:
    """Everything the review workbook and the register print for ``run``."""
    with uow:
        found = uow.pay_sheets.run_payslips(run)
        lines = uow.pay_sheets.lines([f.slip.id for f in found])
        codes: dict[str, list[str]] = {kind: [] for kind in LINE_KINDS}
        rows = []
        for f in found:
            for line in lines.get(f.slip.id, []):
                if line.code not in codes[line.kind]:
                    codes[line.kind].append(line.code)
            rows.append(
                SheetRow(f.person, f.enrollment, f.slip, _amounts(lines.get(f.slip.id, [])))
            )
        _add_extra_hours(uow, run.month, rows)
        for exception, enrollment, person in uow.pay_sheets.exceptions(run.id):
            excluded = (
                f"제외: {exception.excluded_reason} ({exception.excluded_by})"
                if exception.excluded
                else ""
            )
            rows.append(
                SheetRow(person, enrollment, None, exception=exception.reason, excluded=excluded)
            )
        districts, programs = district_names(uow), program_names(uow)
    return RunSheet(
        run,
        districts.get(run.district_code, run.district_code),
        programs.get(run.program_code, run.program_code),
        rows,
        codes,
    )


def _add_extra_hours(uow: UnitOfWork, month: str, rows: list[SheetRow]) -> None:
    if not rows:
        return
    first, last = month_range(month)
    records = uow.pay_sheets.attendance([r.enrollment.id for r in rows], first, last)
    book = uow.catalog.read().rate_book
    calendar = uow.catalog.holidays()
    for row in rows:
        enrollment = pay_enrollment(row.enrollment, row.participant)
        row.overtime_hours, row.holiday_hours = extra_hours(
            enrollment,
            sorted(records.get(row.enrollment.id, []), key=lambda r: r.day),
            month,
            book.program(enrollment.program),
            calendar,
        )


def previous_amounts(uow: UnitOfWork, run: RunRecord) -> dict[int, tuple[Amounts, int]]:
    """Enrollment -> (line amounts, net) of the previous month's run of the same district
    and program (the latest not cancelled), for highlighting what changed."""
    with uow:
        earlier = uow.pay_sheets.previous_run(run, previous_month(run.month))
        if earlier is None:
            return {}
        slips = uow.pay_sheets.payslips(earlier.id)
        lines = uow.pay_sheets.lines([s.id for s in slips])
    return {s.enrollment_id: (_amounts(lines.get(s.id, [])), s.net) for s in slips}
