"""Hours a wage register shows beside the pay (근로기준법 시행령 §27): overtime and holiday work."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from payroll.domain.attendance import records_by_day, schedule_of, scheduled_days_between
from payroll.domain.calendar import HolidayCalendar, month_range
from payroll.domain.model import AttendanceRecord, Enrollment, Program


def extra_hours(
    enrollment: Enrollment,
    attendance: Sequence[AttendanceRecord],
    month: str,
    program: Program,
    calendar: HolidayCalendar,
) -> tuple[Decimal, Decimal]:
    """(overtime hours, holiday work hours) of ``month``, as §5 pays them: hours beyond the
    daily hours on a workday, and hours worked on a paid holiday."""
    schedule = schedule_of(enrollment, program)
    first, last = month_range(month)
    days = scheduled_days_between(schedule, records_by_day(attendance), calendar, first, last)
    daily = schedule.daily_hours
    overtime = sum(
        (d.hours - daily for d in days if d.worked and not d.paid_holiday and d.hours > daily),
        Decimal(0),
    )
    holiday = sum((d.hours for d in days if d.worked and d.paid_holiday), Decimal(0))
    return overtime, holiday
