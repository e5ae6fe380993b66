"""Attendance validation (how-pay-is-calculated.md §4): refusals name participant, date, reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from payroll.domain.engine import validate_attendance
from payroll.domain.model import AttendanceError, AttendanceRecord, Status
from tests.support.pay import (
    CALENDAR,
    RATES,
    absent,
    annual_leave,
    enrollment,
    payslip,
    worked,
)

H1 = enrollment("2025-01-10", "2025-06-30", participant="P-042")


def refusal(records: list[AttendanceRecord]) -> AttendanceError:
    with pytest.raises(AttendanceError) as caught:
        validate_attendance(H1, records, RATES, CALENDAR)
    return caught.value


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (worked("2025-03-15", 6), "근무하는 요일이 아닙니다"),  # Saturday
        (absent("2025-01-09"), "참여 기간("),  # the day before S
        (absent("2025-07-01"), "참여 기간("),  # the day after E
        (worked("2025-03-12", -1), "시간이 음수입니다"),
        (worked("2025-03-12", 25), "하루 24시간을 넘습니다"),
        (AttendanceRecord(date(2025, 3, 12), Status.WORKED), "근무에는 근무 시간이 필요합니다"),
        (AttendanceRecord(date(2025, 3, 12), Status.ABSENT, Decimal(3)), "시간을 적지 않습니다"),
        (absent("2025-03-03"), "유급휴일"),  # 삼일절 대체 휴일
        (annual_leave("2025-02-07"), "남은 연차가 없습니다"),  # first day accrues 10 Feb
    ],
)
def test_each_reason_is_refused(record: AttendanceRecord, reason: str) -> None:
    error = refusal([record])
    assert error.participant == "P-042"
    assert error.day == record.day
    assert reason in error.reason
    assert str(error).startswith(f"participant P-042, {record.day.isoformat()}: ")


def test_duplicate_dates_are_refused() -> None:
    error = refusal([absent("2025-03-12"), worked("2025-03-12", 3)])
    assert error.day == date(2025, 3, 12) and "기록이 둘 이상" in error.reason


def test_leave_on_the_accrual_day_is_allowed_and_each_day_is_used_once() -> None:
    validate_attendance(H1, [annual_leave("2025-02-10")], RATES, CALENDAR)
    error = refusal([annual_leave("2025-02-10"), annual_leave("2025-02-11")])
    assert error.day == date(2025, 2, 11)
    validate_attendance(
        H1, [annual_leave("2025-02-10"), annual_leave("2025-03-10")], RATES, CALENDAR
    )


def test_an_absence_that_cancelled_the_accrual_leaves_no_day() -> None:
    """§8: absent 20 Jan (period 1) -> nothing accrues on 10 Feb."""
    error = refusal([absent("2025-01-20"), annual_leave("2025-02-12")])
    assert error.day == date(2025, 2, 12) and "남은 연차가 없습니다" in error.reason


def test_work_on_a_paid_holiday_is_allowed() -> None:
    validate_attendance(H1, [worked("2025-03-03", 8)], RATES, CALENDAR)


def test_zero_hours_worked_is_allowed() -> None:
    validate_attendance(H1, [worked("2025-03-12", 0)], RATES, CALENDAR)


def test_custom_weekdays_decide_what_is_scheduled() -> None:
    e = enrollment(weekdays=frozenset({0, 2, 4}), participant="P-7")
    with pytest.raises(AttendanceError, match="tue; 근무 요일 mon,wed,fri"):
        validate_attendance(e, [absent("2025-03-11")], RATES, CALENDAR)


def test_calculate_month_validates_the_whole_attendance() -> None:
    with pytest.raises(AttendanceError, match="2025-05-17"):
        payslip(H1, "2025-03", [absent("2025-05-17")])  # a Saturday in another month
