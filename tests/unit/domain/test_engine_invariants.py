"""Properties every payslip keeps, whatever the attendance (how-pay-is-calculated.md §4–§9)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from payroll.domain.model import (
    AttendanceError,
    AttendanceRecord,
    Enrollment,
    NegativeNetPay,
    Payslip,
    Status,
)
from tests.support.pay import CALENDAR, enrollment, payslip

ENROLLMENTS = {
    "dongheng": enrollment("2025-01-10", "2025-06-30"),
    "maeryeok": enrollment("2025-03-01", "2025-12-31", program="maeryeok"),
}
MONTH = "2025-03"
# Weekdays of 24 Feb – 6 Apr: March plus the edges of its first and last weeks.
POOL = [
    day
    for day in (date(2025, 2, 24) + timedelta(days=n) for n in range(42))
    if day.weekday() < 5 and day >= date(2025, 3, 1)
]
HOURS = st.integers(min_value=0, max_value=48).map(lambda half: Decimal(half) / 2)
STATUS = st.sampled_from(list(Status))

SETTINGS = settings(max_examples=40, deadline=None)


@st.composite
def records(draw: st.DrawFn) -> list[AttendanceRecord]:
    days = draw(st.lists(st.sampled_from(POOL), unique=True, max_size=12))
    result = []
    for day in days:
        status = Status.WORKED if CALENDAR.is_holiday(day) else draw(STATUS)
        hours = draw(HOURS) if status is Status.WORKED else None
        result.append(AttendanceRecord(day, status, hours))
    return result


def compute(e: Enrollment, attendance: list[AttendanceRecord]) -> Payslip:
    try:
        return payslip(e, MONTH, attendance)
    except (AttendanceError, NegativeNetPay):  # e.g. leave with no accrued day left
        assume(False)
        raise


@SETTINGS
@given(program=st.sampled_from(sorted(ENROLLMENTS)), attendance=records())
def test_net_is_gross_minus_deductions(program: str, attendance: list[AttendanceRecord]) -> None:
    slip = compute(ENROLLMENTS[program], attendance)
    assert slip.gross == sum(line.amount for line in slip.earnings)
    assert slip.total_deductions == sum(line.amount for line in slip.deductions)
    assert slip.net == slip.gross - slip.total_deductions
    assert slip.gross == slip.taxable + slip.non_taxable


@SETTINGS
@given(program=st.sampled_from(sorted(ENROLLMENTS)), attendance=records())
def test_lines_are_whole_non_negative_won(program: str, attendance: list[AttendanceRecord]) -> None:
    slip = compute(ENROLLMENTS[program], attendance)
    for line in (*slip.earnings, *slip.deductions, *slip.employer):
        assert isinstance(line.amount, int) and line.amount != 0
        assert (line.amount < 0) is (line.code == "absence_deduction")
    for line in (*slip.deductions, *slip.employer):
        if line.code not in ("income_tax",):
            assert line.amount % 10 == 0  # Floor10


@SETTINGS
@given(
    program=st.sampled_from(sorted(ENROLLMENTS)),
    attendance=records(),
    day=st.sampled_from(POOL),
    low=HOURS,
    extra=HOURS,
)
def test_more_hours_on_a_day_never_lower_gross(
    program: str, attendance: list[AttendanceRecord], day: date, low: Decimal, extra: Decimal
) -> None:
    others = [r for r in attendance if r.day != day]
    high = min(Decimal(24), low + extra)
    fewer = compute(ENROLLMENTS[program], [*others, AttendanceRecord(day, Status.WORKED, low)])
    more = compute(ENROLLMENTS[program], [*others, AttendanceRecord(day, Status.WORKED, high)])
    assert more.gross >= fewer.gross


@SETTINGS
@given(
    program=st.sampled_from(sorted(ENROLLMENTS)),
    attendance=records(),
    data=st.data(),
)
def test_order_of_records_does_not_matter(
    program: str, attendance: list[AttendanceRecord], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(attendance))
    assert compute(ENROLLMENTS[program], attendance) == compute(ENROLLMENTS[program], shuffled)
