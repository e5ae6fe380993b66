"""Calendar (how-pay-is-calculated.md §3): public holidays (공휴일), scheduled days, weeks, months.

Public holidays are South Korea's holidays from the ``holidays`` package (lunar,
substitute, election and temporary holidays included), plus 1 May (근로자의 날) every
year, plus the administrators' override table (``added`` minus ``removed``).
"""

from __future__ import annotations

from calendar import isleap, mdays
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

import holidays

from payroll.domain.model import PayrollError

WORKERS_DAY = "근로자의 날"


@dataclass(frozen=True)
class HolidayCalendar:
    """Korean public holidays with an administrator override table (§3)."""

    added: Mapping[date, str] = field(default_factory=lambda: MappingProxyType({}))
    removed: frozenset[date] = frozenset()
    _years: dict[int, dict[date, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __hash__(self) -> int:
        return hash((frozenset(self.added.items()), self.removed))

    def _year(self, year: int) -> dict[date, str]:
        """All holidays of one year, built once and cached."""
        cached = self._years.get(year)
        if cached is None:
            cached = {
                day: str(name) for day, name in holidays.KR(years=year, language="ko").items()
            }
            cached.setdefault(date(year, 5, 1), WORKERS_DAY)
            cached.update({day: name for day, name in self.added.items() if day.year == year})
            for day in self.removed:
                cached.pop(day, None)
            self._years[year] = cached
        return cached

    def build_years(self, *years: int) -> None:
        """Build these years' holidays now: a copy sent to another process (a calculation
        worker) carries them and need not build them again."""
        for year in years:
            self._year(year)

    def is_holiday(self, day: date) -> bool:
        """Is ``day`` a public holiday (공휴일)?"""
        return day in self._year(day.year)

    def name(self, day: date) -> str | None:
        """The holiday's Korean name, or None on an ordinary day."""
        return self._year(day.year).get(day)

    def holidays_between(self, start: date, end: date) -> dict[date, str]:
        """Holidays from ``start`` to ``end`` inclusive, in date order."""
        found: dict[date, str] = {}
        for year in range(start.year, end.year + 1):
            found.update(sorted((d, n) for d, n in self._year(year).items() if start <= d <= end))
        return found


def days_between(start: date, end: date) -> Iterator[date]:
    """Every date from ``start`` to ``end`` inclusive."""
    return map(date.fromordinal, range(start.toordinal(), end.toordinal() + 1))


def scheduled_days(
    start: date,
    end: date,
    weekdays: Iterable[int],
    within_start: date | None = None,
    within_end: date | None = None,
) -> list[date]:
    """Scheduled days (§3): dates in [start, end] on a schedule weekday, optionally clipped."""
    lo = max(start, within_start) if within_start else start
    hi = min(end, within_end) if within_end else end
    wanted = frozenset(weekdays)
    return [day for day in days_between(lo, hi) if day.weekday() in wanted]


def parse_month(month: str) -> tuple[int, int]:
    """``"2025-03"`` -> (2025, 3); anything else is a PayrollError naming it."""
    try:
        year_text, month_text = month.split("-")
        if len(year_text) != 4 or len(month_text) != 2:
            raise ValueError
        year, number = int(year_text), int(month_text)
        if not 1 <= number <= 12:
            raise ValueError
    except ValueError:
        raise PayrollError(f"month {month!r}: expected YYYY-MM") from None
    return year, number


@lru_cache(maxsize=1024)
def month_range(month: str) -> tuple[date, date]:
    """First and last day of ``"YYYY-MM"``."""
    year, number = parse_month(month)
    return date(year, number, 1), date(year, number, days_in_month(year, number))


def month_code(day: date) -> str:
    """The ``"YYYY-MM"`` holding ``day``."""
    return f"{day.year:04d}-{day.month:02d}"


def months_between(start: date, end: date) -> list[str]:
    """Every month touched by [start, end], in order."""
    months: list[str] = []
    day = date(start.year, start.month, 1)
    while day <= end:
        months.append(month_code(day))
        day = add_months(day, 1)
    return months


def next_month(month: str) -> str:
    """``"2025-12"`` -> ``"2026-01"``."""
    return shift_month(month, 1)


def previous_month(month: str) -> str:
    """``"2026-01"`` -> ``"2025-12"``."""
    return shift_month(month, -1)


def shift_month(month: str, months: int) -> str:
    """``month`` moved by ``months`` (negative: back)."""
    year, number = parse_month(month)
    index = year * 12 + number - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def months_from_to(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive (empty when ``last`` is earlier)."""
    (y1, m1), (y2, m2) = parse_month(first), parse_month(last)
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(y1 * 12 + m1 - 1, y2 * 12 + m2)]


def add_months(day: date, months: int) -> date:
    """``day`` + ``months`` calendar months, clamped to the month's end (31 Jan + 1 → 28 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, days_in_month(year, month)))


def days_in_month(year: int, month: int) -> int:
    """Number of days in ``month`` of ``year`` (29 in a leap February)."""
    return mdays[month] + (month == 2 and isleap(year))


@lru_cache(maxsize=4096)
def monthly_anniversaries(start: date, end: date) -> tuple[date, ...]:
    """``start`` + 1, 2, … months (clamped like ``add_months``), up to ``end`` inclusive."""
    found = []
    k = 1
    while (day := add_months(start, k)) <= end:
        found.append(day)
        k += 1
    return tuple(found)


def week_monday(day: date) -> date:
    """The Monday of the week (Monday to Sunday) holding ``day``."""
    return day - timedelta(days=day.weekday())


def weeks_ending_in(month: str) -> list[tuple[date, date]]:
    """(Monday, Sunday) of every week whose Sunday falls in ``month`` (§7 pays them there)."""
    return list(_weeks_ending_in(month))


@lru_cache(maxsize=1024)
def _weeks_ending_in(month: str) -> tuple[tuple[date, date], ...]:
    first, last = month_range(month)
    sunday = first + timedelta(days=(6 - first.weekday()) % 7)
    weeks = []
    while sunday <= last:
        weeks.append((sunday - timedelta(days=6), sunday))
        sunday += timedelta(days=7)
    return tuple(weeks)


def age_on(birth_date: date, day: date) -> int:
    """Completed years (만 나이) on ``day``."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
