"""Scheduled days (how-pay-is-calculated.md §3–§4) stay exact while the engine shares them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from payroll.domain.attendance import Schedule, scheduled_days_between
from payroll.domain.calendar import HolidayCalendar
from payroll.domain.model import Status
from tests.support.pay import CALENDAR, absent, enrollment, payslip, worked

WEEKDAYS = frozenset({0, 1, 2, 3, 4})


def schedule(daily_hours: str, participant: str = "P-001") -> Schedule:
    return Schedule(
        participant, date(2025, 1, 1), date(2025, 12, 31), Decimal(daily_hours), WEEKDAYS
    )


def test_equal_daily_hours_written_differently_keep_their_own_form() -> None:
    march = (date(2025, 3, 1), date(2025, 3, 31))
    six = scheduled_days_between(schedule("6"), {}, CALENDAR, *march)
    six_00 = scheduled_days_between(schedule("6.00"), {}, CALENDAR, *march)
    assert {str(d.hours) for d in six if d.worked} == {"6"}
    assert {str(d.hours) for d in six_00 if d.worked} == {"6.00"}
    facts = payslip(enrollment(daily_hours="6"), "2025-03").facts
    facts_00 = payslip(enrollment(daily_hours="6.00"), "2025-03").facts
    assert str(facts.worked_hours) == f"{facts.worked_days * 6}"
    assert str(facts_00.worked_hours) == f"{facts_00.worked_days * 6}.00"


def test_a_record_changes_only_its_own_day_and_only_for_its_participant() -> None:
    march = (date(2025, 3, 1), date(2025, 3, 31))
    record = absent("2025-03-12")
    with_absence = scheduled_days_between(schedule("6"), {record.day: record}, CALENDAR, *march)
    without = scheduled_days_between(schedule("6", "P-002"), {}, CALENDAR, *march)
    changed = [(a.day, a.status) for a, b in zip(with_absence, without, strict=True) if a != b]
    assert changed == [(date(2025, 3, 12), Status.ABSENT)]
    assert all(d.status is Status.WORKED for d in without if not d.paid_holiday)


def test_worked_record_on_a_paid_holiday_keeps_the_holiday() -> None:
    record = worked("2025-03-03", 4)  # 대체공휴일 for 삼일절
    days = scheduled_days_between(
        schedule("6"), {record.day: record}, CALENDAR, date(2025, 3, 3), date(2025, 3, 3)
    )
    assert [(d.holiday is not None, d.status, d.hours) for d in days] == [
        (True, Status.WORKED, Decimal(4))
    ]


def test_each_calendar_gives_its_own_holidays() -> None:
    day = (date(2025, 3, 3), date(2025, 3, 3))
    removed = HolidayCalendar(removed=frozenset({date(2025, 3, 3)}))
    assert scheduled_days_between(schedule("6"), {}, CALENDAR, *day)[0].paid_holiday
    assert not scheduled_days_between(schedule("6"), {}, removed, *day)[0].paid_holiday
    assert scheduled_days_between(schedule("6"), {}, CALENDAR, *day)[0].paid_holiday
