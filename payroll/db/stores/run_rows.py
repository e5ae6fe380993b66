"""Stored rows of runs, payslips, enrollments and attendance as domain records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select

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


def roster_overlapping(
    stmt: Select[Any],
    first: date,
    last: date,
    district: str | None = None,
    program: str | None = None,
) -> Select[Any]:
    """``stmt`` over the roster enrollments (with their participants) overlapping
    ``first`` – ``last``, of one district and one program when given: the enrollments a
    month's runs pay, wherever they are listed or counted."""
    stmt = (
        stmt.select_from(EnrollmentRow)
        .join(Participant, EnrollmentRow.participant_pk == Participant.id)
        .where(
            EnrollmentRow.source == "roster",
            EnrollmentRow.start <= last,
            EnrollmentRow.end >= first,
        )
    )
    if district:
        stmt = stmt.where(Participant.district_code == district)
    if program:
        stmt = stmt.where(EnrollmentRow.program_code == program)
    return stmt


MEMBER_COLUMNS = (
    EnrollmentRow.id,
    EnrollmentRow.participant_pk,
    EnrollmentRow.program_code,
    EnrollmentRow.start,
    EnrollmentRow.end,
    EnrollmentRow.daily_hours,
    EnrollmentRow.weekdays,
    EnrollmentRow.declared_monthly_pay,
    EnrollmentRow.pay_cut_percent,
    Participant.participant_id,
    Participant.district_code,
    Participant.bank_code,
    Participant.account,
    Participant.birth_date,
    Participant.dependents,
    Participant.children,
)
"""What :func:`run_member` reads of an enrollment joined with its participant: selected as
plain columns, a row is both its ``row`` and its ``participant`` (no ORM entities)."""


def run_member(row: Any, participant: Any) -> RunMember:
    """A run member from an enrollment and its participant (ORM objects, or one row of
    :data:`MEMBER_COLUMNS` passed twice)."""
    percent = row.pay_cut_percent
    return RunMember(
        enrollment_id=row.id,
        participant_pk=row.participant_pk,
        participant_id=participant.participant_id,
        district=participant.district_code,
        bank_code=participant.bank_code,
        account=participant.account,
        enrollment=domain_enrollment(row, participant),
        pay_cut_percent=Decimal(str(percent)) if percent else None,
    )
