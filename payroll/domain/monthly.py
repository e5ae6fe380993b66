"""Monthly-basis earnings (월급제, how-pay-is-calculated.md §6): base salary, absence deduction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from payroll.domain.attendance import Schedule, ScheduledDay
from payroll.domain.model import Line, Status
from payroll.domain.money import number, round_half_up, truncate, won
from payroll.domain.weekly_allowance import Week, allowance_hours

DAYS_PER_YEAR = Decimal(365)
DAYS_PER_WEEK = Decimal(7)
MONTHS_PER_YEAR = Decimal(12)


def monthly_hours(weekly_hours: Decimal) -> int:
    """월 소정근로시간: round((weekly + allowance hours) × 365 / 7 / 12); 40 h → 209."""
    total = weekly_hours + allowance_hours(weekly_hours)
    return round_half_up(total * DAYS_PER_YEAR / DAYS_PER_WEEK / MONTHS_PER_YEAR)


def base_salary(schedule: Schedule, month_start: date, month_end: date, rate: int) -> Line:
    """``base_salary`` (기본급): W, or W × enrolled calendar days / days in M for a part month."""
    hours = monthly_hours(schedule.weekly_hours)
    wage = hours * rate
    days_in_month = (month_end - month_start).days + 1
    first = max(schedule.start, month_start)
    last = min(schedule.end, month_end)
    enrolled = max(0, (last - first).days + 1)
    if enrolled == days_in_month:
        return Line("base_salary", wage, f"{hours}시간 × {won(rate)}")
    amount = truncate(Decimal(wage) * enrolled / days_in_month)
    return Line(
        "base_salary",
        amount,
        f"{hours}시간 × {won(rate)} × {enrolled}/{days_in_month}일",
    )


def absence_deduction(
    days: Sequence[ScheduledDay], weeks: Sequence[Week], schedule: Schedule, rate: int
) -> Line:
    """``absence_deduction`` (결근공제, < 0): absent days × H × r + lost weeks × allowance h × r.

    A lost week is one that met §7's conditions 1–2 but has an absent day; the positive
    amount is truncated to the won and then negated.
    """
    absent = sum(1 for d in days if d.status is Status.ABSENT)
    lost = [w for w in weeks if w.lost]
    weekly_hours = allowance_hours(schedule.weekly_hours)
    positive = absent * schedule.daily_hours * rate + len(lost) * weekly_hours * rate
    text = f"-(결근 {absent}일 × {number(schedule.daily_hours)}시간 × {won(rate)}"
    if lost:
        sundays = ", ".join(f"{w.sunday.month}/{w.sunday.day}" for w in lost)
        text += f" + 주휴 {len(lost)}주 × {number(weekly_hours)}시간 × {won(rate)} ({sundays} 주)"
    return Line("absence_deduction", -truncate(positive), text + ")")
