"""The fields of a year file's blocks: each checked with its reason in Korean.

``CHECKS[kind][field]`` raises :class:`ValueError` with the reason for a bad value; the
tax-year brackets are checked whole by :func:`tax_year_from_data`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from payroll.domain.model import RateSource
from payroll.reference.catalog import INSURANCE_FIELDS

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _year(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int | str):
        raise ValueError("연도는 2000~2100 사이의 정수여야 합니다")
    try:
        year = int(v)
    except ValueError:
        raise ValueError("연도는 2000~2100 사이의 정수여야 합니다") from None
    if not 2000 <= year <= 2100:
        raise ValueError("연도는 2000~2100 사이의 정수여야 합니다")
    return year


def _won(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise ValueError("0 이상의 정수(원)여야 합니다")
    return v


def _positive_won(v: Any) -> int:
    if _won(v) == 0:
        raise ValueError("0보다 큰 정수(원)여야 합니다")
    return int(v)


def _decimal(v: Any) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, int | float | str | Decimal):
        raise ValueError("숫자여야 합니다")
    try:
        d = Decimal(str(v).strip())
    except InvalidOperation:
        raise ValueError("숫자여야 합니다") from None
    if not d.is_finite():
        raise ValueError("숫자여야 합니다")
    return d


def _rate(v: Any) -> Decimal:
    d = _decimal(v)
    if not Decimal(0) <= d < Decimal(1):
        raise ValueError('0 이상 1 미만의 비율이어야 합니다 (5 %는 "0.05"로 적습니다)')
    return d


def _ratio(v: Any) -> Decimal:
    d = _decimal(v)
    if not Decimal(0) <= d <= Decimal(1):
        raise ValueError('0 이상 1 이하의 비율이어야 합니다 (9 : 1은 "0.9")')
    return d


def _day(v: Any) -> date:
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v))
    except ValueError:
        raise ValueError("날짜는 YYYY-MM-DD 형식이어야 합니다") from None


def _month(v: Any) -> str:
    if not isinstance(v, str) or not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", v):
        raise ValueError("월은 YYYY-MM 형식이어야 합니다")
    return v


def _text(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise ValueError("비어 있지 않은 글자여야 합니다")
    return v.strip()


def _code(v: Any) -> str:
    if not isinstance(v, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,29}", v):
        raise ValueError("영문 소문자로 시작하는 30자 이하의 코드(a-z, 0-9, _)여야 합니다")
    return v


def _term_code(v: Any) -> str:
    text = _text(str(v) if isinstance(v, int) and not isinstance(v, bool) else v)
    if len(text) > 20:
        raise ValueError("20자 이하여야 합니다")
    return text


def _hours(v: Any) -> Decimal:
    d = _decimal(v)
    if not Decimal(0) < d <= Decimal(24):
        raise ValueError("0보다 크고 24 이하인 시간이어야 합니다")
    return d


def _age(v: Any) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 120:
        raise ValueError("0~120 사이의 정수(만 나이)여야 합니다")
    return v


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def check(v: Any) -> str:
        if v not in options:
            raise ValueError(f"{', '.join(options)} 중 하나여야 합니다")
        return str(v)

    return check


def _weekdays(v: Any) -> list[str]:
    if not isinstance(v, list) or not v or not all(d in WEEKDAYS for d in v):
        raise ValueError(f"요일 목록이어야 합니다 ({', '.join(WEEKDAYS)})")
    return list(v)


def _rows(v: Any) -> Any:
    return v  # brackets: checked whole by tax_year_from_data


CHECKS: dict[str, dict[str, Callable[[Any], Any]]] = {
    "programs": {
        "code": _code,
        "name": _text,
        "pay_basis": _choice(("hourly", "monthly")),
        "rate_source": _choice(tuple(s.value for s in RateSource)),
        "daily_hours": _hours,
        "weekdays": _weekdays,
        "min_age": _age,
        "max_age": _age,
    },
    "program_years": {
        "program": _text,
        "year": _year,
        "daily_expense_allowance": _won,
        "city_ratio": _ratio,
        "industrial_accident_rate": _rate,
    },
    "hourly_rates": {
        "source": _choice(tuple(s.value for s in RateSource)),
        "year": _year,
        "won": _positive_won,
    },
    "insurance": {"year": _year, **{f: _rate for f in INSURANCE_FIELDS}},
    "tax_years": {
        "year": _year,
        "meal_allowance_cap": _won,
        "personal_deduction": _won,
        "standard_credit": _won,
        "earned_income_deduction_cap": _won,
        **{
            f: _rows
            for f in (
                "earned_income_deduction",
                "tax_brackets",
                "earned_income_credit",
                "earned_income_credit_limits",
                "child_credit",
            )
        },
    },
    "child_reductions": {"from": _day, "one": _won, "two": _won, "each_further": _won},
    "pension_bounds": {"from": _month, "to": _month, "floor": _won, "ceiling": _won},
    "terms": {"program": _text, "code": _term_code, "start": _day, "end": _day},
}
