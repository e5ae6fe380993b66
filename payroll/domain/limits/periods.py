"""Date arithmetic and wording shared by the rule types: months (민법 §160), overlaps,
windows, and how an enrollment is named in a violation."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

import pendulum

from payroll.domain.limits.records import PastEnrollment
from payroll.domain.model import PayrollError


def period_end(start: date, months: int) -> date:
    """Last day of a period of ``months`` months from ``start`` (민법 §160).

    The day before the corresponding day of the month ``months`` later; when that month has
    no corresponding day, its last day (2025-01-31 + 1 month ends 2025-02-28).
    """
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    days = calendar.monthrange(year, month)[1]
    if start.day <= days:
        return date(year, month, start.day) - timedelta(days=1)
    return date(year, month, days)


def minus_years(day: date, years: int) -> date:
    d = pendulum.date(day.year, day.month, day.day).subtract(years=years)
    return date(d.year, d.month, d.day)


def months_of(start: date, end: date) -> int:
    """Months of an enrollment [start, end]: the fewest months from ``start`` covering ``end``.

    Months are counted as in 민법 §160 (see :func:`period_end`), a started month counting
    whole: 2025-04-01 – 2025-12-31 is 9, 2025-01-31 – 2025-02-28 is 1, 2025-01-15 –
    2025-03-14 is 2, 2025-01-15 – 2025-03-15 is 3.
    """
    months = max(1, (end.year - start.year) * 12 + end.month - start.month - 1)
    while period_end(start, months) < end:
        months += 1
    return months


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


def in_order(enrollments: Iterable[PastEnrollment]) -> tuple[PastEnrollment, ...]:
    return tuple(sorted(enrollments, key=lambda e: (e.start, e.end, e.program, e.ref)))


def describe(e: PastEnrollment) -> str:
    return f"{e.ref} {e.program} {e.start.isoformat()}..{e.end.isoformat()}"


def describe_all(enrollments: Iterable[PastEnrollment]) -> str:
    return ", ".join(describe(e) for e in enrollments)


def check_dates(ref: str, start: date, end: date) -> None:
    if end < start:
        raise PayrollError(
            f"참여 {ref}: 종료일 {end.isoformat()}이(가) 시작일 {start.isoformat()}보다 앞섭니다"
        )
