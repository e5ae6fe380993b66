"""Annual leave (연차, how-pay-is-calculated.md §8): accrual, balance, payout of unused days."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from decimal import Decimal

from payroll.domain.calendar import monthly_anniversaries
from payroll.domain.model import LeaveBalance, Line
from payroll.domain.money import number, truncate, won
from payroll.domain.part_time import under_15_hours


def accrual_dates(start: date, end: date, absent: Collection[date]) -> list[date]:
    """Days on which one leave day accrues: S + k months (≤ E), period k free of absence.

    Period k runs from S + (k−1) months to the day before S + k months (1개월 개근 시 1일).
    """
    dates = []
    period_start = start
    for accrues in monthly_anniversaries(start, end):
        if not any(period_start <= day < accrues for day in absent):
            dates.append(accrues)
        period_start = accrues
    return dates


def leave_accruals(
    start: date, end: date, weekly_hours: Decimal, absent: Collection[date]
) -> list[date]:
    """:func:`accrual_dates` of a schedule; none at all under 15 hours a week (§8, v3:
    근로기준법 §18③, §60 does not apply), so no day can be taken and none is paid out."""
    if under_15_hours(weekly_hours):
        return []
    return accrual_dates(start, end, absent)


def balance_on(accruals: Iterable[date], used: Iterable[date], day: date) -> LeaveBalance:
    """Leave accrued and used on or before ``day``, and the balance left."""
    accrued = sum(1 for a in accruals if a <= day)
    taken = sum(1 for u in used if u <= day)
    return LeaveBalance(accrued=accrued, used=taken, balance=accrued - taken)


def payout_line(unused_days: int, daily_hours: Decimal, rate: int) -> Line:
    """``annual_leave_payout``: unused days × H × r, in the month that holds E."""
    amount = truncate(unused_days * daily_hours * rate)
    return Line(
        "annual_leave_payout",
        amount,
        f"미사용 연차 {unused_days}일 × {number(daily_hours)}시간 × {won(rate)}",
    )
