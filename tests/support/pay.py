"""Shared helpers of the pay-engine tests: the shipped rate book, a calendar, a fake tax table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from payroll.domain.calendar import HolidayCalendar
from payroll.domain.engine import PayContext, calculate_month
from payroll.domain.model import (
    Adjustment,
    AttendanceRecord,
    Enrollment,
    Line,
    Payslip,
    RateBook,
    Status,
)
from payroll.reference.catalog import shipped_catalog

RATES: RateBook = shipped_catalog().rate_book
CALENDAR = HolidayCalendar()


class FakeTaxTable:
    """Stands in for the 간이세액표: 1,000 won per full 100,000 won of pay, less 500 per extra
    dependant (never below 0). Easy to compute by hand in a test."""

    def tax(self, taxable_pay: int, dependents: int) -> int:
        return max(0, taxable_pay // 100_000 * 1_000 - 500 * (dependents - 1))


FAKE_TAX = FakeTaxTable()


def fake_tax(pay: int, dependents: int = 1) -> int:
    return FAKE_TAX.tax(pay, dependents)


def enrollment(
    start: str = "2025-01-10",
    end: str = "2025-06-30",
    *,
    program: str = "dongheng",
    birth: str = "1970-05-01",
    dependents: int = 1,
    daily_hours: str | None = None,
    weekdays: frozenset[int] | None = None,
    participant: str = "P-001",
    children: int = 0,
    declared: int | None = None,
) -> Enrollment:
    return Enrollment(
        participant_id=participant,
        program=program,
        start=date.fromisoformat(start),
        end=date.fromisoformat(end),
        birth_date=date.fromisoformat(birth),
        dependents=dependents,
        daily_hours=Decimal(daily_hours) if daily_hours is not None else None,
        weekdays=weekdays,
        children=children,
        declared_monthly_pay=declared,
    )


def worked(day: str, hours: str | int) -> AttendanceRecord:
    return AttendanceRecord(date.fromisoformat(day), Status.WORKED, Decimal(str(hours)))


def absent(day: str) -> AttendanceRecord:
    return AttendanceRecord(date.fromisoformat(day), Status.ABSENT)


def annual_leave(day: str) -> AttendanceRecord:
    return AttendanceRecord(date.fromisoformat(day), Status.ANNUAL_LEAVE)


def official_leave(day: str) -> AttendanceRecord:
    return AttendanceRecord(date.fromisoformat(day), Status.OFFICIAL_LEAVE)


def payslip(
    e: Enrollment,
    month: str,
    attendance: Sequence[AttendanceRecord] = (),
    adjustments: Sequence[Adjustment] = (),
    table: object = FAKE_TAX,
) -> Payslip:
    ctx = PayContext(e, attendance, month, RATES, CALENDAR, table)  # type: ignore[arg-type]
    return calculate_month(ctx, adjustments)


def amounts(lines: Sequence[Line]) -> dict[str, int]:
    return {line.code: line.amount for line in lines}


def explanation(lines: Sequence[Line], code: str) -> str:
    return next(line.explanation for line in lines if line.code == code)
