"""Hourly-basis earnings (시급제, how-pay-is-calculated.md §5) and the premiums both bases share."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from payroll.domain.attendance import ScheduledDay
from payroll.domain.model import Line, Status
from payroll.domain.money import number, truncate, won
from payroll.domain.part_time import RULE, under_15_hours

OVERTIME_PREMIUM = Decimal("1.5")  # 연장근로 가산 50 %
HOLIDAY_PREMIUM = Decimal("1.5")  # 휴일근로 8시간 이내 가산 50 %
HOLIDAY_OVER_8_PREMIUM = Decimal("2.0")  # 휴일근로 8시간 초과 가산 100 %
HOLIDAY_BASE_HOURS = Decimal(8)
LEAVE_STATUSES = (Status.ANNUAL_LEAVE, Status.OFFICIAL_LEAVE)
EXPENSE_ALLOWANCE_TAXABLE = "expense_allowance_taxable"  # meal allowance above the cap


def _md(days: Sequence[ScheduledDay]) -> str:
    return ", ".join(f"{d.day.month}/{d.day.day}" for d in days)


def base_pay(days: Sequence[ScheduledDay], daily_hours: Decimal, rate: int) -> Line:
    """``base_pay`` (기본급): Σ over non-holiday days worked of min(h, H) × r."""
    worked = [d for d in days if d.worked and not d.paid_holiday]
    hours = sum((min(d.hours, daily_hours) for d in worked), Decimal(0))
    amount = truncate(hours * rate)
    if hours == len(worked) * daily_hours:
        text = f"{len(worked)}일 × {number(daily_hours)}시간 × {won(rate)}"
    else:
        text = f"{number(hours)}시간 × {won(rate)} ({len(worked)}일)"
    return Line("base_pay", amount, text)


def overtime_pay(days: Sequence[ScheduledDay], daily_hours: Decimal, rate: int) -> Line:
    """``overtime_pay`` (연장근로수당): Σ non-holiday days worked: max(0, h − H) × r × 1.5."""
    over = [d for d in days if d.worked and not d.paid_holiday and d.hours > daily_hours]
    hours = sum((d.hours - daily_hours for d in over), Decimal(0))
    amount = truncate(hours * rate * OVERTIME_PREMIUM)
    return Line(
        "overtime_pay",
        amount,
        f"{number(hours)}시간 × {won(rate)} × {OVERTIME_PREMIUM} ({_md(over)})",
    )


def holiday_pay(
    days: Sequence[ScheduledDay], daily_hours: Decimal, rate: int, weekly_hours: Decimal
) -> Line:
    """``holiday_pay`` (유급휴일수당): H × r for each paid holiday; none for a schedule under
    15 hours a week (근로기준법 §18③: §55 does not apply; v3)."""
    if under_15_hours(weekly_hours):
        return Line("holiday_pay", 0, f"주 15시간 미만: 유급휴일 없음 ({RULE})")
    holidays = [d for d in days if d.paid_holiday]
    amount = truncate(len(holidays) * daily_hours * rate)
    names = ", ".join(f"{d.day.month}/{d.day.day} {d.holiday}" for d in holidays)
    return Line(
        "holiday_pay",
        amount,
        f"{len(holidays)}일 × {number(daily_hours)}시간 × {won(rate)} ({names})",
    )


def holiday_work_pay(days: Sequence[ScheduledDay], rate: int) -> Line:
    """``holiday_work_pay`` (휴일근로수당): min(h, 8) × r × 1.5 + max(0, h − 8) × r × 2.0."""
    worked = [d for d in days if d.worked and d.paid_holiday]
    within = sum((min(d.hours, HOLIDAY_BASE_HOURS) for d in worked), Decimal(0))
    beyond = sum((max(Decimal(0), d.hours - HOLIDAY_BASE_HOURS) for d in worked), Decimal(0))
    amount = truncate(within * rate * HOLIDAY_PREMIUM + beyond * rate * HOLIDAY_OVER_8_PREMIUM)
    text = f"{number(within)}시간 × {won(rate)} × {HOLIDAY_PREMIUM}"
    if beyond:
        text += f" + {number(beyond)}시간 × {won(rate)} × {HOLIDAY_OVER_8_PREMIUM}"
    return Line("holiday_work_pay", amount, f"{text} ({_md(worked)})")


def paid_leave_pay(days: Sequence[ScheduledDay], daily_hours: Decimal, rate: int) -> Line:
    """``paid_leave_pay`` (유급휴가수당): H × r per annual_leave (연차) or official_leave (공가)."""
    annual = sum(1 for d in days if d.status is Status.ANNUAL_LEAVE)
    official = sum(1 for d in days if d.status is Status.OFFICIAL_LEAVE)
    count = annual + official
    kinds = ", ".join(f"{name} {n}일" for name, n in (("연차", annual), ("공가", official)) if n)
    amount = truncate(count * daily_hours * rate)
    return Line(
        "paid_leave_pay",
        amount,
        f"{count}일 × {number(daily_hours)}시간 × {won(rate)} ({kinds})",
    )


def expense_allowance(days: Sequence[ScheduledDay], daily_allowance: int) -> Line:
    """``expense_allowance`` (식비·간식비): daily allowance × days worked (holidays only if
    worked), before the tax-free cap of :func:`meal_allowance_lines`."""
    worked = sum(1 for d in days if d.worked)
    return Line(
        "expense_allowance", worked * daily_allowance, f"{worked}일 × {won(daily_allowance)}"
    )


def meal_allowance_lines(allowance: Line, monthly_cap: int) -> tuple[Line, Line]:
    """§5: the meal allowance is non-taxable up to the month's cap; the excess is the
    taxable, insurable ``expense_allowance_taxable`` line (0 when within the cap)."""
    if allowance.amount <= monthly_cap:
        return allowance, Line(EXPENSE_ALLOWANCE_TAXABLE, 0, "")
    excess = allowance.amount - monthly_cap
    return (
        Line(
            allowance.code,
            monthly_cap,
            f"{allowance.explanation} = {won(allowance.amount)} 중 비과세 한도 {won(monthly_cap)}",
        ),
        Line(
            EXPENSE_ALLOWANCE_TAXABLE,
            excess,
            f"{won(allowance.amount)} - 비과세 한도 {won(monthly_cap)} (과세)",
        ),
    )
