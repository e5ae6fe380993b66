"""Stored rows of runs, payslips, enrollments and attendance as domain records."""

from __future__ import annotations

from decimal import Decimal

from payroll.db.models import (
    AttendanceCorrection,
    AttendanceRow,
    EnrollmentRow,
    Participant,
)
from payroll.domain.model import AttendanceRecord, Status
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
