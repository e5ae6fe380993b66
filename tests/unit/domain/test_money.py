"""Won arithmetic: truncation, Floor10, half-up, display (how-pay-is-calculated.md, Rounding)."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from hypothesis import given
from hypothesis import strategies as st

from payroll.domain.money import floor10, number, percent, round_half_up, truncate, truncate_to, won


def test_truncate_drops_the_fraction_toward_zero() -> None:
    assert truncate(Decimal("22567.5")) == 22567
    assert truncate(Decimal("-282696.9")) == -282696


def test_floor10_truncates_to_ten_won() -> None:
    # §12: 1,564,680 × 3.545 % = 55,467.906 -> 55,460
    assert floor10(Decimal("1564680") * Decimal("0.03545")) == 55460
    assert floor10(7189) == 7180
    assert floor10(-15) == -10


def test_truncate_to_thousand_for_the_pension_base() -> None:
    assert truncate_to(1_564_680, 1000) == 1_564_000


def test_round_half_up_gives_209_monthly_hours_for_40_hours() -> None:
    # §6: 48 × 365 / 7 / 12 = 208.571… -> 209
    assert round_half_up(Decimal(48) * 365 / 7 / 12) == 209
    assert round_half_up(Decimal("2.5")) == 3


def test_display_helpers() -> None:
    assert won(1203600) == "1,203,600원"
    assert number(Decimal("6.0")) == "6"
    assert number(Decimal("1.50")) == "1.5"
    assert percent(Decimal("0.03545")) == "3.545%"
    assert percent(Decimal("0.045")) == "4.5%"


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**12), max_value=10**12))
def test_truncation_is_rounding_down_toward_zero(amount: Decimal) -> None:
    down = int(amount.to_integral_value(rounding=ROUND_DOWN))
    assert truncate(amount) == down
    assert truncate_to(amount, 10) == (1 if down >= 0 else -1) * (abs(down) // 10 * 10)


def test_equal_rates_show_the_same_percent_however_written() -> None:
    # percent() keeps each rate's text: 3.55 % written with a trailing zero is the same rate
    assert percent(Decimal("0.03550")) == percent(Decimal("0.0355")) == "3.55%"
    assert percent(Decimal("0.009")) == "0.9%"
