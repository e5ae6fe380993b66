"""Weekly allowance (주휴수당, how-pay-is-calculated.md §7): the three conditions and the amount."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from payroll.domain.attendance import Schedule
from payroll.domain.weekly_allowance import allowance_hours, weeks_of_month

MON_FRI = frozenset(range(5))


def schedule(
    start: str, end: str, hours: str = "6", weekdays: frozenset[int] = MON_FRI
) -> Schedule:
    return Schedule(
        "P", date.fromisoformat(start), date.fromisoformat(end), Decimal(hours), weekdays
    )


def test_allowance_hours() -> None:
    assert allowance_hours(Decimal(30)) == 6
    assert allowance_hours(Decimal(40)) == 8
    assert allowance_hours(Decimal(52)) == 8  # capped at 8
    assert allowance_hours(Decimal(15)) == 3


def test_first_week_joined_mid_week_does_not_earn() -> None:
    weeks = weeks_of_month("2025-01", schedule("2025-01-10", "2025-06-30"), ())
    assert [(w.sunday.day, w.earned) for w in weeks] == [
        (5, False),
        (12, False),  # 6–12 Jan: S is Friday 10
        (19, True),
        (26, True),
    ]


def test_last_week_ending_before_sunday_does_not_earn() -> None:
    june = weeks_of_month("2025-06", schedule("2025-01-10", "2025-06-30"), ())
    assert all(w.earned for w in june)  # 23–29 June included
    july = weeks_of_month("2025-07", schedule("2025-01-10", "2025-06-30"), ())
    assert not july[0].eligible  # 30 June – 6 July: E is Monday 30
    december = weeks_of_month("2025-12", schedule("2025-07-01", "2025-12-20"), ())
    assert [(w.sunday.day, w.earned) for w in december] == [
        (7, True),
        (14, True),
        (21, False),  # 15–21 Dec: E is Saturday 20
        (28, False),
    ]


def test_fewer_than_15_weekly_hours_earn_nothing() -> None:
    two_days = frozenset({0, 1})
    weeks = weeks_of_month("2025-03", schedule("2025-01-01", "2025-12-31", "7", two_days), ())
    assert not any(w.eligible for w in weeks)  # 14 h
    weeks = weeks_of_month("2025-03", schedule("2025-01-01", "2025-12-31", "7.5", two_days), ())
    assert all(w.earned for w in weeks)  # 15 h


def test_absence_on_an_unscheduled_weekday_cannot_break_the_week() -> None:
    s = schedule("2025-01-01", "2025-12-31", "8", frozenset({0, 2, 4}))
    weeks = weeks_of_month("2025-03", s, {date(2025, 3, 11)})  # a Tuesday
    assert all(w.earned for w in weeks if w.sunday.day == 16)
    weeks = weeks_of_month("2025-03", s, {date(2025, 3, 12)})  # a Wednesday
    assert [w.lost for w in weeks if w.sunday.day == 16] == [True]
