"""Won arithmetic: exact Decimal, truncation (원 미만 절사) and Floor10 (10원 미만 절사)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

Number = Decimal | int


def truncate(amount: Number) -> int:
    """Drop the fraction of a won, toward zero (원 미만 절사): ``int()`` of a Decimal does
    exactly that (−2.7 → −2), with no rounding context involved."""
    return int(amount)


def truncate_to(amount: Number, unit: int) -> int:
    """Truncate toward zero to a multiple of ``unit`` won (e.g. 1,000 for 기준소득월액)."""
    whole = truncate(amount)
    sign = -1 if whole < 0 else 1
    return sign * (abs(whole) // unit * unit)


def floor10(amount: Number) -> int:
    """Floor10: truncate to a multiple of 10 won (10원 미만 절사)."""
    return truncate_to(amount, 10)


def round_half_up(value: Number) -> int:
    """Round to the nearest integer, halves away from zero (반올림)."""
    return int(Decimal(value).to_integral_value(rounding=ROUND_HALF_UP))


def number(value: Number) -> str:
    """A count, hours or amount with thousands separators and no trailing zeros:
    ``Decimal("6.0")`` -> ``"6"``, ``1203600`` -> ``"1,203,600"``."""
    if isinstance(value, int):
        return f"{value:,}"
    d = Decimal(value)
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return f"{d.normalize():,f}"


def won(amount: Number) -> str:
    """``1203600`` -> ``"1,203,600원"``; a fractional amount keeps its decimals."""
    if isinstance(amount, int):
        return f"{amount:,}원"
    return f"{number(amount)}원"


@lru_cache(maxsize=512)  # a month's lines repeat a handful of rates
def percent(rate: Decimal) -> str:
    """``Decimal("0.03545")`` -> ``"3.545%"``."""
    return f"{(rate * 100).normalize():f}%"
