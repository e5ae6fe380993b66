"""Weekly allowance (주휴수당, how-pay-is-calculated.md §7), paid in the month of its Sunday."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from payroll.domain.attendance import Schedule
from payroll.domain.calendar import weeks_ending_in
from payroll.domain.model import Line
from payroll.domain.money import number, truncate, won
from payroll.domain.part_time import MIN_WEEKLY_HOURS as MIN_WEEKLY_HOURS
from payroll.domain.part_time import under_15_hours

FULL_WEEK_HOURS = Decimal(40)
MAX_ALLOWANCE_HOURS = Decimal(8)


def allowance_hours(weekly_hours: Decimal) -> Decimal:
    """Paid hours of one weekly allowance: min(8, weekly hours / 40 × 8); 30 h gives 6 h.

    0 for a schedule under 15 hours a week (§7, v3): wherever these hours are used, in
    the allowance itself, §6's monthly hours and D of §9.
    """
    if under_15_hours(weekly_hours):
        return Decimal(0)
    return min(MAX_ALLOWANCE_HOURS, weekly_hours / FULL_WEEK_HOURS * MAX_ALLOWANCE_HOURS)


@dataclass(frozen=True)
class Week:
    """A Monday-to-Sunday week and its weekly-allowance outcome."""

    monday: date
    sunday: date
    eligible: bool  # conditions 1–2: ≥ 15 h a week and the enrollment covers the whole week
    absent: bool  # condition 3 broken: a scheduled day of the week is absent

    @property
    def earned(self) -> bool:
        return self.eligible and not self.absent

    @property
    def lost(self) -> bool:
        """Lost by an absence (결근으로 주휴 미발생); weeks never eligible are not lost."""
        return self.eligible and self.absent


def weeks_of_month(month: str, schedule: Schedule, absent: Collection[date]) -> list[Week]:
    """Every week whose Sunday is in ``month``, judged by §7's three conditions.

    An absence on a day of the week in the previous month counts too.
    """
    enough_hours = not under_15_hours(schedule.weekly_hours)
    weeks = []
    for monday, sunday in weeks_ending_in(month):
        eligible = enough_hours and schedule.start <= monday and schedule.end >= sunday
        broken = any(monday <= day <= sunday and schedule.is_scheduled(day) for day in absent)
        weeks.append(Week(monday, sunday, eligible, broken))
    return weeks


def weekly_allowance_line(weeks: list[Week], weekly_hours: Decimal, rate: int) -> Line:
    """``weekly_allowance``: earned weeks × allowance hours × r."""
    earned = [w for w in weeks if w.earned]
    hours = allowance_hours(weekly_hours)
    amount = truncate(len(earned) * hours * rate)
    sundays = ", ".join(f"{w.sunday.month}/{w.sunday.day}" for w in earned)
    return Line(
        "weekly_allowance",
        amount,
        f"주 {len(earned)}회 × {number(hours)}시간 × {won(rate)} ({sundays} 주)",
    )
