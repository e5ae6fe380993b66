"""Declared monthly pay D (신고 보수월액·기준소득월액, how-pay-is-calculated.md §9).

Pension and health insurance are billed on D every month, not on the month's pay. D is
per enrollment and never changes during it: the figure the district declared (roster
column 보수월액), or by default the monthly paid hours × the hourly rate of S's year.
"""

from __future__ import annotations

from decimal import Decimal

from payroll.domain.attendance import schedule_of
from payroll.domain.model import Enrollment, RateBook
from payroll.domain.monthly import monthly_hours


def declared_pay_for(weekly_hours: Decimal, hourly_rate: int) -> int:
    """round((weekly hours + weekly-allowance hours) × 365 / 7 / 12) × rate; 30 h → 156 h."""
    return monthly_hours(weekly_hours) * hourly_rate


def default_declared_monthly_pay(enrollment: Enrollment, rates: RateBook) -> int:
    """The default D of an enrollment: its schedule's monthly hours × the rate of S's year
    (동행 2025: 156 h × 10,030 = 1,564,680; 매력 2025: 209 h × 11,779 = 2,461,811)."""
    schedule = schedule_of(enrollment, rates.program(enrollment.program))
    rate = rates.hourly_rate(enrollment.program, enrollment.start.year)
    return declared_pay_for(schedule.weekly_hours, rate)


def declared_monthly_pay(enrollment: Enrollment, rates: RateBook) -> int:
    """D: the declared figure when the enrollment has one, otherwise the default."""
    if enrollment.declared_monthly_pay is not None:
        return enrollment.declared_monthly_pay
    return default_declared_monthly_pay(enrollment, rates)
