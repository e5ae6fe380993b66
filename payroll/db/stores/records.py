"""Rows to the report records of :mod:`payroll.domain.report_records` (same names)."""

from __future__ import annotations

from dataclasses import fields, replace
from functools import cache
from typing import Any, TypeVar

from payroll.db.models import EnrollmentRow, Participant, PayrollRun, PayslipRow
from payroll.domain.report_records import (
    EnrollmentRecord,
    PayslipOf,
    PayslipRecord,
    PersonRecord,
    RunRecord,
)

R = TypeVar("R")


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def record(cls: type[R], row: Any) -> R:
    """``cls`` with each field read from the row's attribute of the same name."""
    return cls(**{name: getattr(row, name) for name in _field_names(cls)})


def run_record(row: PayrollRun) -> RunRecord:
    return record(RunRecord, row)


def person_record(row: Participant) -> PersonRecord:
    return record(PersonRecord, row)


def enrollment_record(row: EnrollmentRow) -> EnrollmentRecord:
    return record(EnrollmentRecord, row)


def payslip_record(row: PayslipRow) -> PayslipRecord:
    found = record(PayslipRecord, row)
    return found if found.facts is not None else replace(found, facts={})


def payslip_of(
    slip: PayslipRow, run: PayrollRun | RunRecord, enrollment: EnrollmentRow, person: Participant
) -> PayslipOf:
    return PayslipOf(
        payslip_record(slip),
        run if isinstance(run, RunRecord) else run_record(run),
        enrollment_record(enrollment),
        person_record(person),
    )
