"""What a payroll run reads: enrollments of a month, their attendance and corrections."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from payroll.db.models import (
    AttendanceCorrection,
    AttendanceRow,
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipLineRow,
    PayslipRow,
)
from payroll.domain.calendar import month_range
from payroll.domain.model import AttendanceRecord, Enrollment, Status
from payroll.domain.retro import RETRO_CODE, RETRO_CODES, MonthPay
from payroll.domain.settlement import MonthFigures, YearToDate
from payroll.reference.catalog import weekdays_from_codes


@dataclass
class EnrolledParticipant:
    """An enrollment due for pay in the run's month, with everything its pay depends on."""

    enrollment_id: int
    participant: Participant
    enrollment: Enrollment
    pay_cut_percent: object | None
    attendance: list[AttendanceRecord] = field(default_factory=list)
    corrections: list[AttendanceRecord] = field(default_factory=list)
    finalized: dict[str, MonthPay] = field(default_factory=dict)  # own pay, months < run's
    retro_paid: dict[str, MonthPay] = field(default_factory=dict)  # by finalized runs
    history: dict[str, MonthFigures] = field(default_factory=dict)  # final month only
    year_to_date: YearToDate | None = None  # final month only (§13)


def to_record(row: AttendanceRow | AttendanceCorrection) -> AttendanceRecord:
    return AttendanceRecord(day=row.day, status=Status(row.status), hours=row.hours)


def domain_enrollment(row: EnrollmentRow, participant: Participant) -> Enrollment:
    return Enrollment(
        participant_id=participant.participant_id,
        program=row.program_code,
        start=row.start,
        end=row.end,
        birth_date=participant.birth_date,
        dependents=participant.dependents,
        daily_hours=row.daily_hours,
        weekdays=weekdays_from_codes(row.weekdays.split(",")) if row.weekdays else None,
        children=participant.children,
        declared_monthly_pay=row.declared_monthly_pay,
    )


def run_groups(
    session: Session, month: str, district: str | None, program: str | None
) -> dict[tuple[str, str], list[tuple[EnrollmentRow, Participant]]]:
    """Roster enrollments overlapping ``month``, grouped by (district, program)."""
    first, last = month_range(month)
    stmt = (
        select(EnrollmentRow, Participant)
        .join(Participant, EnrollmentRow.participant_pk == Participant.id)
        .where(
            EnrollmentRow.source == "roster",
            EnrollmentRow.start <= last,
            EnrollmentRow.end >= first,
        )
        .order_by(Participant.district_code, EnrollmentRow.program_code, Participant.participant_id)
    )
    if district:
        stmt = stmt.where(Participant.district_code == district)
    if program:
        stmt = stmt.where(EnrollmentRow.program_code == program)
    groups: dict[tuple[str, str], list[tuple[EnrollmentRow, Participant]]] = defaultdict(list)
    for enrollment, participant in session.execute(stmt):
        groups[(participant.district_code, enrollment.program_code)].append(
            (enrollment, participant)
        )
    return groups


def load_inputs(
    session: Session, month: str, members: Sequence[tuple[EnrollmentRow, Participant]]
) -> list[EnrolledParticipant]:
    """Attendance, corrections and earlier finalized pay of a run's enrollments, in bulk."""
    first_day, last_day = month_range(month)
    people = {
        e.id: EnrolledParticipant(e.id, p, domain_enrollment(e, p), e.pay_cut_percent)
        for e, p in members
    }
    ids = list(people)
    for chunk in _chunks(ids):
        for row in session.scalars(
            select(AttendanceRow)
            .where(AttendanceRow.enrollment_id.in_(chunk))
            .order_by(AttendanceRow.day)
        ):
            people[row.enrollment_id].attendance.append(to_record(row))
        for corr in session.scalars(
            select(AttendanceCorrection)
            .where(AttendanceCorrection.enrollment_id.in_(chunk))
            .order_by(AttendanceCorrection.day)
        ):
            people[corr.enrollment_id].corrections.append(to_record(corr))
    with_corrections = [pid for pid, p in people.items() if p.corrections]
    for chunk in _chunks(with_corrections):
        for enrollment_id, slip_month, ref_month, paid in finalized_pay(session, chunk):
            person = people[enrollment_id]
            if ref_month is not None:
                person.retro_paid[ref_month] = person.retro_paid.get(ref_month, MonthPay()) + paid
            elif slip_month < month:
                person.finalized[slip_month] = person.finalized.get(slip_month, MonthPay()) + paid
    finishing = [p for p in people.values() if first_day <= p.enrollment.end <= last_day]
    load_settlement_inputs(session, month, finishing)
    return list(people.values())


YTD_CODES: dict[str, str] = {
    "income_tax": "income_tax",
    "income_tax_settlement": "income_tax",
    "local_income_tax": "local_income_tax",
    "local_income_tax_settlement": "local_income_tax",
    "national_pension": "national_pension",
    "health_insurance": "health_insurance",
    "health_insurance_settlement": "health_insurance",
    "long_term_care": "long_term_care",
    "long_term_care_settlement": "long_term_care",
    "employment_insurance": "employment_insurance",
}
"""Deduction lines of earlier enrollments and the year-to-date figure they count toward."""


def load_settlement_inputs(
    session: Session, month: str, people: Sequence[EnrolledParticipant]
) -> None:
    """For enrollments ending in ``month`` (§13): their earlier finalized months, and the
    year-to-date of the participant's earlier enrollments with the same district in E's
    year, from finalized payslips."""
    finalized = and_(PayrollRun.id == PayslipRow.run_id, PayrollRun.state == "finalized")
    by_enrollment = {p.enrollment_id: p for p in people}
    for chunk in _chunks(list(by_enrollment)):
        slips = session.scalars(
            select(PayslipRow)
            .join(PayrollRun, finalized)
            .where(PayslipRow.enrollment_id.in_(chunk), PayslipRow.month < month)
        ).all()
        amounts = _deduction_amounts(session, [s.id for s in slips])
        for slip in slips:
            by_enrollment[slip.enrollment_id].history[slip.month] = MonthFigures(
                slip.month, slip.insurable, slip.taxable, amounts.get(slip.id, {})
            )
    year = month[:4]
    by_participant: dict[int, list[EnrolledParticipant]] = defaultdict(list)
    for person in people:
        by_participant[person.participant.id].append(person)
    earlier: dict[int, list[tuple[int, int]]] = defaultdict(list)  # enrollment -> slips
    for chunk in _chunks(list(by_participant)):
        rows = session.execute(
            select(
                PayslipRow.id,
                PayslipRow.taxable,
                EnrollmentRow.participant_pk,
                EnrollmentRow.end,
                PayrollRun.district_code,
            )
            .join(PayrollRun, finalized)
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .where(
                EnrollmentRow.participant_pk.in_(chunk),
                PayslipRow.month >= f"{year}-01",
                PayslipRow.month <= f"{year}-12",
            )
        ).all()
        for slip_id, taxable, participant_pk, ended, district in rows:
            for person in by_participant[participant_pk]:
                if ended < person.enrollment.start and district == person.participant.district_code:
                    earlier[person.enrollment_id].append((slip_id, taxable))
    amounts = _deduction_amounts(session, [i for slips in earlier.values() for i, _t in slips])
    for person in people:
        slips = earlier.get(person.enrollment_id, [])
        totals = dict.fromkeys(YearToDate.field_names(), 0)
        totals["taxable"] = sum(taxable for _id, taxable in slips)
        for slip_id, _taxable in slips:
            for code, amount in amounts.get(slip_id, {}).items():
                if code in YTD_CODES:
                    totals[YTD_CODES[code]] += amount
        person.year_to_date = YearToDate(**totals)


def _deduction_amounts(session: Session, payslip_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for chunk in _chunks(list(payslip_ids)):
        for payslip_id, code, amount in session.execute(
            select(PayslipLineRow.payslip_id, PayslipLineRow.code, PayslipLineRow.amount).where(
                PayslipLineRow.payslip_id.in_(chunk), PayslipLineRow.kind == "deduction"
            )
        ):
            lines = found[payslip_id]
            lines[code] = lines.get(code, 0) + amount
    return found


def finalized_pay(
    session: Session, enrollment_ids: Sequence[int]
) -> list[tuple[int, str, str | None, MonthPay]]:
    """Finalized pay of enrollments, split for §16: (enrollment, payslip month, None, the
    payslip's own pay) and (enrollment, payslip month, corrected month, a retro line)."""
    finalized = and_(PayrollRun.id == PayslipRow.run_id, PayrollRun.state == "finalized")
    out: list[tuple[int, str, str | None, MonthPay]] = []
    own: dict[int, tuple[int, str, MonthPay]] = {}
    for slip in session.scalars(
        select(PayslipRow)
        .join(PayrollRun, finalized)
        .where(PayslipRow.enrollment_id.in_(enrollment_ids))
    ):
        own[slip.id] = (slip.enrollment_id, slip.month, MonthPay(slip.taxable, slip.non_taxable))
    retro = (
        select(
            PayslipLineRow.payslip_id,
            PayslipLineRow.code,
            PayslipLineRow.ref_month,
            PayslipLineRow.amount,
        )  # fmt: skip
        .join(PayslipRow, PayslipRow.id == PayslipLineRow.payslip_id)
        .join(PayrollRun, finalized)
        .where(
            PayslipRow.enrollment_id.in_(enrollment_ids),
            PayslipLineRow.kind == "earning",
            PayslipLineRow.code.in_(RETRO_CODES),
        )
    )
    for slip_id, code, ref_month, amount in session.execute(retro):
        enrollment_id, slip_month, pay = own[slip_id]
        line = MonthPay(amount, 0) if code == RETRO_CODE else MonthPay(0, amount)
        own[slip_id] = (enrollment_id, slip_month, pay - line)
        out.append((enrollment_id, slip_month, ref_month or slip_month, line))
    out.extend((e, m, None, pay) for e, m, pay in own.values())
    return out


def _chunks(ids: list[int], size: int = 900) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def is_day_finalized(months: set[str], day: date) -> bool:
    return day.strftime("%Y-%m") in months
