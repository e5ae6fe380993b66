"""The case file of ``payroll calc``: one enrollment, its attendance and the months to compute.

```json
{"program": "dongheng", "birth_date": "1970-05-01", "dependents": 1,
 "start": "2025-01-10", "end": "2025-06-30", "daily_hours": 6,
 "weekdays": ["mon", "tue", "wed", "thu", "fri"],
 "attendance": [{"date": "2025-03-13", "status": "worked", "hours": 4}],
 "months": ["2025-03"]}
```

``participant_id``, ``dependents`` (1), ``daily_hours`` and ``weekdays`` (the program's),
``attendance`` (none) and ``months`` (every month of the enrollment) are optional, and so
are ``children`` (aged 8–20, 0), ``declared_monthly_pay`` (D of §9; default computed) and
``year_to_date`` (earlier enrollments with the same district in E's year, for the §13
income-tax settlement: ``{"taxable": …, "income_tax": …, "local_income_tax": …,
"national_pension": …, "health_insurance": …, "long_term_care": …,
"employment_insurance": …}``, each 0 when left out).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from payroll.domain.calendar import month_range, months_between
from payroll.domain.hours import parse_hours
from payroll.domain.model import (
    AttendanceRecord,
    Enrollment,
    MissingRate,
    PayrollError,
    RateBook,
    Status,
)
from payroll.domain.settlement import YearToDate
from payroll.reference.catalog import weekdays_from_codes

CASE_FIELDS = frozenset(
    {
        "participant_id",
        "program",
        "birth_date",
        "dependents",
        "start",
        "end",
        "daily_hours",
        "weekdays",
        "attendance",
        "months",
        "children",
        "declared_monthly_pay",
        "year_to_date",
    }
)
RECORD_FIELDS = frozenset({"date", "status", "hours"})


class CaseError(PayrollError):
    """A case file ``payroll calc`` refuses: the field and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


@dataclass(frozen=True)
class Case:
    """A parsed case: the enrollment, its attendance records and the months asked for."""

    enrollment: Enrollment
    attendance: tuple[AttendanceRecord, ...]
    months: tuple[str, ...]
    year_to_date: YearToDate = YearToDate()


def parse_case(text: str, rates: RateBook) -> Case:
    """Parse and check a case; every refusal is a CaseError naming the field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CaseError(
            "case", f"malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise CaseError("case", "expected a JSON object")
    unknown = sorted(set(data) - CASE_FIELDS)
    if unknown:
        raise CaseError(unknown[0], f"unknown field (known: {', '.join(sorted(CASE_FIELDS))})")

    participant = data.get("participant_id", "case")
    if not isinstance(participant, str) or not participant.strip():
        raise CaseError("participant_id", "expected a non-empty string")
    program = _required(data, "program")
    if not isinstance(program, str):
        raise CaseError("program", "expected a program code string")
    try:
        rates.program(program)
    except MissingRate as exc:
        raise CaseError("program", str(exc)) from None
    birth = _date(data, "birth_date")
    start = _date(data, "start")
    end = _date(data, "end")
    if end < start:
        raise CaseError("end", f"{end.isoformat()} is before start {start.isoformat()}")
    if birth >= start:
        raise CaseError("birth_date", f"{birth.isoformat()} is not before start")

    enrollment = Enrollment(
        participant_id=participant,
        program=program,
        start=start,
        end=end,
        birth_date=birth,
        dependents=_dependents(data),
        daily_hours=_daily_hours(data),
        weekdays=_weekdays(data),
        children=_whole(data, "children", 0, minimum=0),
        declared_monthly_pay=(
            None
            if data.get("declared_monthly_pay") is None
            else _whole(data, "declared_monthly_pay", 0, minimum=1)
        ),
    )
    attendance = _attendance(data, start, end)
    return Case(enrollment, attendance, _months(data, start, end), _year_to_date(data))


def _whole(data: Mapping[str, Any], field: str, default: int, minimum: int, where: str = "") -> int:
    value = data.get(field, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise CaseError(where + field, f"expected a whole number ≥ {minimum}, got {value!r}")
    return value


def _year_to_date(data: Mapping[str, Any]) -> YearToDate:
    value = data.get("year_to_date")
    if value is None:
        return YearToDate()
    names = YearToDate.field_names()
    if not isinstance(value, dict):
        raise CaseError("year_to_date", f"expected an object with won amounts ({', '.join(names)})")
    unknown = sorted(set(value) - set(names))
    if unknown:
        raise CaseError(f"year_to_date.{unknown[0]}", f"unknown field (known: {', '.join(names)})")
    return YearToDate(
        **{name: _whole(value, name, 0, 0, "year_to_date.") for name in names if name in value}
    )


def _required(data: Mapping[str, Any], field: str) -> Any:
    if field not in data or data[field] is None:
        raise CaseError(field, "required")
    return data[field]


FIRST_YEAR, LAST_YEAR = 1900, 2100  # a payroll's dates; beyond, month arithmetic overflows


def _date(data: Mapping[str, Any], field: str) -> date:
    return _parse_date(_required(data, field), field)


def _parse_date(value: Any, field: str) -> date:
    if not isinstance(value, str):
        raise CaseError(field, f"expected a YYYY-MM-DD date string, got {value!r}")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CaseError(field, f"{value!r} is not a valid YYYY-MM-DD date") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise CaseError(field, f"{value!r}: {FIRST_YEAR}년부터 {LAST_YEAR}년까지의 날짜만 됩니다")
    return day


def _decimal(value: Any, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise CaseError(field, f"expected a number, got {value!r}")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise CaseError(field, f"{value!r} is not a number") from None
    if not number.is_finite():
        raise CaseError(field, f"{value!r} is not a number")
    return number


def _dependents(data: Mapping[str, Any]) -> int:
    value = data.get("dependents", 1)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise CaseError(
            "dependents", f"expected a whole number ≥ 1 (the participant), got {value!r}"
        )
    return value


def _daily_hours(data: Mapping[str, Any]) -> Decimal | None:
    if data.get("daily_hours") is None:
        return None
    hours = _decimal(data["daily_hours"], "daily_hours")
    if not 0 < hours <= 24:
        raise CaseError("daily_hours", f"{hours} is not between 0 and 24")
    return hours


def _weekdays(data: Mapping[str, Any]) -> frozenset[int] | None:
    value = data.get("weekdays")
    if value is None:
        return None
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise CaseError("weekdays", 'expected a non-empty list like ["mon", "wed", "fri"]')
    try:
        return weekdays_from_codes(value)
    except ValueError as exc:
        raise CaseError("weekdays", str(exc)) from None


def _attendance(data: Mapping[str, Any], start: date, end: date) -> tuple[AttendanceRecord, ...]:
    value = data.get("attendance", [])
    if not isinstance(value, list):
        raise CaseError("attendance", "expected a list of records")
    records = []
    for index, item in enumerate(value):
        where = f"attendance[{index}]"
        if not isinstance(item, dict):
            raise CaseError(where, 'expected an object like {"date": …, "status": …}')
        unknown = sorted(set(item) - RECORD_FIELDS)
        if unknown:
            raise CaseError(f"{where}.{unknown[0]}", "unknown field (known: date, status, hours)")
        for field in ("date", "status"):
            if item.get(field) is None:
                raise CaseError(f"{where}.{field}", "required")
        day = _parse_date(item["date"], f"{where}.date")
        if not start <= day <= end:
            raise CaseError(
                f"{where}.date",
                f"{day.isoformat()} is outside the enrollment "
                f"{start.isoformat()} – {end.isoformat()}",
            )
        status_text = item.get("status")
        try:
            status = Status(status_text)
        except ValueError:
            known = ", ".join(s.value for s in Status)
            raise CaseError(
                f"{where}.status", f"unknown status {status_text!r} (known: {known})"
            ) from None
        hours = None
        if item.get("hours") is not None:
            hours = _decimal(item["hours"], f"{where}.hours")
            try:
                parse_hours(str(hours))
            except ValueError as exc:
                raise CaseError(f"{where}.hours", str(exc)) from None
        records.append(AttendanceRecord(day=day, status=status, hours=hours))
    return tuple(records)


def _months(data: Mapping[str, Any], start: date, end: date) -> tuple[str, ...]:
    enrolled = months_between(start, end)
    value = data.get("months")
    if value is None:
        return tuple(enrolled)
    if not isinstance(value, list) or not value:
        raise CaseError("months", 'expected a non-empty list like ["2025-03"]')
    for index, month in enumerate(value):
        field = f"months[{index}]"
        if not isinstance(month, str):
            raise CaseError(field, f"expected a YYYY-MM string, got {month!r}")
        try:
            month_range(month)
        except PayrollError:
            raise CaseError(field, f"{month!r} is not a YYYY-MM month") from None
        if month not in enrolled:
            raise CaseError(
                field,
                f"{month} is outside the enrollment {start.isoformat()} – {end.isoformat()}",
            )
    return tuple(value)
