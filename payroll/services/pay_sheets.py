"""What a run's printed sheets show per participant: the review workbook and the register.

:func:`run_sheet` reads one run: every payslip with its participant, enrollment, line
amounts by (kind, code), worked days and hours, overtime and holiday-work hours; the
participants the run could not pay (exceptions); the line codes in payslip order; and the
Korean names of the district and program.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from payroll.db.catalog_store import holiday_calendar, read_catalog
from payroll.db.models import (
    AttendanceRow,
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipRow,
    RunException,
)
from payroll.db.stores.run_rows import domain_enrollment, to_record
from payroll.db.uow import joined_unit_of_work
from payroll.domain.calendar import month_range
from payroll.domain.runs import RunState
from payroll.domain.work_hours import extra_hours
from payroll.services.lookup import district_names, program_names
from payroll.services.payslip_store import LINE_KINDS, lines_by_payslip

Amounts = dict[tuple[str, str], int]


@dataclass
class SheetRow:
    """One participant of a run."""

    participant: Participant
    enrollment: EnrollmentRow
    slip: PayslipRow | None  # None: an exception, not paid
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

    run: PayrollRun
    district_name: str
    program_name: str
    rows: list[SheetRow]
    codes: dict[str, list[str]]

    @property
    def title(self) -> str:
        year, month = self.run.month.split("-")
        return f"{int(year)}년 {int(month)}월 {self.district_name} {self.program_name}"


def run_sheet(session: Session, run: PayrollRun) -> RunSheet:
    """Everything the review workbook and the register print for ``run``."""
    found = session.execute(
        select(PayslipRow, EnrollmentRow, Participant)
        .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
        .join(Participant, Participant.id == EnrollmentRow.participant_pk)
        .where(PayslipRow.run_id == run.id)
        .order_by(Participant.name, Participant.participant_id)
    ).all()
    lines = lines_by_payslip(joined_unit_of_work(session), [slip.id for slip, _, _ in found])
    codes: dict[str, list[str]] = {kind: [] for kind in LINE_KINDS}
    rows = []
    for slip, enrollment, person in found:
        amounts: Amounts = {}
        for line in lines.get(slip.id, []):
            key = (line.kind, line.code)
            amounts[key] = amounts.get(key, 0) + line.amount
            if line.code not in codes[line.kind]:
                codes[line.kind].append(line.code)
        rows.append(SheetRow(person, enrollment, slip, amounts))
    _add_extra_hours(session, run.month, rows)
    for exception, enrollment, person in session.execute(
        select(RunException, EnrollmentRow, Participant)
        .join(EnrollmentRow, EnrollmentRow.id == RunException.enrollment_id)
        .join(Participant, Participant.id == EnrollmentRow.participant_pk)
        .where(RunException.run_id == run.id)
        .order_by(Participant.name, Participant.participant_id)
    ):
        excluded = (
            f"제외: {exception.excluded_reason} ({exception.excluded_by})"
            if exception.excluded
            else ""
        )
        rows.append(
            SheetRow(person, enrollment, None, exception=exception.reason, excluded=excluded)
        )
    districts, programs = district_names(session), program_names(session)
    return RunSheet(
        run,
        districts.get(run.district_code, run.district_code),
        programs.get(run.program_code, run.program_code),
        rows,
        codes,
    )


def _add_extra_hours(session: Session, month: str, rows: list[SheetRow]) -> None:
    if not rows:
        return
    first, last = month_range(month)
    records = defaultdict(list)
    ids = [r.enrollment.id for r in rows]
    for start in range(0, len(ids), 900):
        for row in session.scalars(
            select(AttendanceRow).where(
                AttendanceRow.enrollment_id.in_(ids[start : start + 900]),
                AttendanceRow.day >= first,
                AttendanceRow.day <= last,
            )
        ):
            records[row.enrollment_id].append(to_record(row))
    book = read_catalog(session).rate_book
    calendar = holiday_calendar(session)
    for row in rows:
        enrollment = domain_enrollment(row.enrollment, row.participant)
        row.overtime_hours, row.holiday_hours = extra_hours(
            enrollment,
            sorted(records[row.enrollment.id], key=lambda r: r.day),
            month,
            book.program(enrollment.program),
            calendar,
        )


def previous_amounts(session: Session, run: PayrollRun) -> dict[int, tuple[Amounts, int]]:
    """Enrollment -> (line amounts, net) of the previous month's run of the same district
    and program (the latest not cancelled), for highlighting what changed."""
    year, month = (int(x) for x in run.month.split("-"))
    previous = f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"
    earlier = session.scalars(
        select(PayrollRun).where(
            PayrollRun.month == previous,
            PayrollRun.district_code == run.district_code,
            PayrollRun.program_code == run.program_code,
            PayrollRun.state != RunState.CANCELLED,
        )
    ).first()
    if earlier is None:
        return {}
    slips = list(session.scalars(select(PayslipRow).where(PayslipRow.run_id == earlier.id)))
    lines = lines_by_payslip(joined_unit_of_work(session), [s.id for s in slips])
    out: dict[int, tuple[Amounts, int]] = {}
    for slip in slips:
        amounts: Amounts = {}
        for line in lines.get(slip.id, []):
            key = (line.kind, line.code)
            amounts[key] = amounts.get(key, 0) + line.amount
        out[slip.enrollment_id] = (amounts, slip.net)
    return out
