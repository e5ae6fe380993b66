"""Stored rows of runs, payslips, enrollments and attendance as domain records."""

from __future__ import annotations

from decimal import Decimal

from payroll.db.models import (
    AttendanceCorrection,
    AttendanceRow,
    EnrollmentRow,
    FinalizedPayee,
    Participant,
    PayslipLineRow,
    PayslipRow,
)
from payroll.domain.model import AttendanceRecord, Status
from payroll.domain.payslip_records import PayeeRecord, StoredLine, StoredPayslip
from payroll.domain.run_member import RunMember, domain_enrollment


def to_record(row: AttendanceRow | AttendanceCorrection) -> AttendanceRecord:
    return AttendanceRecord(day=row.day, status=Status(row.status), hours=row.hours)


def run_member(row: EnrollmentRow, participant: Participant) -> RunMember:
    percent = row.pay_cut_percent
    return RunMember(
        enrollment_id=row.id,
        participant_pk=participant.id,
        participant_id=participant.participant_id,
        district=participant.district_code,
        bank_code=participant.bank_code,
        account=participant.account,
        enrollment=domain_enrollment(row, participant),
        pay_cut_percent=Decimal(str(percent)) if percent else None,
    )


def payslip_record(row: PayslipRow) -> StoredPayslip:
    return StoredPayslip(
        id=row.id,
        run_id=row.run_id,
        enrollment_id=row.enrollment_id,
        month=row.month,
        gross=row.gross,
        insurable=row.insurable,
        taxable=row.taxable,
        non_taxable=row.non_taxable,
        total_deductions=row.total_deductions,
        net=row.net,
        employer_total=row.employer_total,
        hourly_rate=row.hourly_rate,
        leave_accrued=row.leave_accrued,
        leave_used=row.leave_used,
        leave_balance=row.leave_balance,
        facts=dict(row.facts or {}),
    )


def line_record(row: PayslipLineRow) -> StoredLine:
    return StoredLine(
        row.payslip_id, row.kind, row.code, row.amount, row.explanation, row.position, row.ref_month
    )


def payee_record(row: FinalizedPayee) -> PayeeRecord:
    return PayeeRecord(
        row.run_id,
        row.payslip_id,
        row.participant_id,
        row.name,
        row.birth_date,
        row.bank,
        row.account,
        row.net,
    )
