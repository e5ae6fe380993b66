"""Public holidays, weeks and months (how-pay-is-calculated.md §3)."""

from __future__ import annotations

import pickle
from datetime import date

import holidays
import pytest

from payroll.domain.calendar import (
    HolidayCalendar,
    add_months,
    age_on,
    months_between,
    scheduled_days,
    weeks_ending_in,
)


def test_package_holidays_including_substitute_election_and_temporary() -> None:
    cal = HolidayCalendar()
    assert cal.name(date(2025, 3, 3)) == "삼일절 대체 휴일"  # substitute (대체공휴일)
    assert cal.is_holiday(date(2025, 6, 3))  # presidential election
    assert cal.is_holiday(date(2025, 1, 27))  # declared temporary holiday
    assert cal.is_holiday(date(2025, 1, 29))  # 설날 (lunar)
    assert not cal.is_holiday(date(2025, 3, 4))


def test_first_of_may_is_a_holiday_every_year() -> None:
    cal = HolidayCalendar()
    assert cal.name(date(2025, 5, 1)) == "근로자의 날"
    assert all(cal.is_holiday(date(year, 5, 1)) for year in range(2023, 2028))


def test_administrator_overrides_add_and_remove() -> None:
    cal = HolidayCalendar(
        added={date(2025, 3, 4): "임시공휴일(행정)"}, removed=frozenset({date(2025, 3, 3)})
    )
    assert cal.name(date(2025, 3, 4)) == "임시공휴일(행정)"
    assert not cal.is_holiday(date(2025, 3, 3))
    assert cal.holidays_between(date(2025, 3, 1), date(2025, 3, 31)) == {
        date(2025, 3, 1): "삼일절",
        date(2025, 3, 4): "임시공휴일(행정)",
    }


def test_holidays_between_spans_years() -> None:
    found = HolidayCalendar().holidays_between(date(2025, 12, 20), date(2026, 1, 5))
    assert list(found) == [date(2025, 12, 25), date(2026, 1, 1)]


def test_calendars_with_the_same_overrides_are_equal() -> None:
    assert HolidayCalendar() == HolidayCalendar()
    assert hash(HolidayCalendar()) == hash(HolidayCalendar())


def test_scheduled_days_are_schedule_weekdays_inside_both_ranges() -> None:
    days = scheduled_days(
        date(2025, 1, 10), date(2025, 6, 30), {0, 2, 4}, date(2025, 1, 1), date(2025, 1, 17)
    )
    assert days == [date(2025, 1, 10), date(2025, 1, 13), date(2025, 1, 15), date(2025, 1, 17)]


def test_weeks_ending_in_a_month_are_those_whose_sunday_is_in_it() -> None:
    # §12: weeks ending 2, 9, 16, 23, 30 March 2025
    assert [sunday.day for _, sunday in weeks_ending_in("2025-03")] == [2, 9, 16, 23, 30]
    assert weeks_ending_in("2025-03")[0] == (date(2025, 2, 24), date(2025, 3, 2))


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(date(2025, 1, 10), 5) == date(2025, 6, 10)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 12, 1), 1) == date(2026, 1, 1)


def test_months_between_and_age() -> None:
    assert months_between(date(2025, 11, 15), date(2026, 2, 1)) == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert age_on(date(1965, 3, 1), date(2025, 3, 1)) == 60
    assert age_on(date(1965, 3, 2), date(2025, 3, 1)) == 59


def test_years_built_before_a_copy_travel_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The calculation builds the month's year once and pickles the calendar to its
    workers: they read the year from the copy (overrides applied) and never build it."""
    cal = HolidayCalendar(added={date(2027, 3, 4): "임시공휴일(행정)"})
    cal.build_years(2027)
    copy = pickle.loads(pickle.dumps(cal))

    def never(**_: object) -> None:
        raise AssertionError("the year was built again")

    monkeypatch.setattr(holidays, "KR", never)
    assert copy.name(date(2027, 3, 1)) == "삼일절"
    assert copy.name(date(2027, 3, 4)) == "임시공휴일(행정)"
    assert copy.is_holiday(date(2027, 5, 1))
    with pytest.raises(AssertionError, match="built again"):
        copy.is_holiday(date(2028, 1, 1))  # a year not built is built where it is read
