"""City/district split and largest-remainder allocation (how-pay-is-calculated.md §10)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payroll.domain.cost_share import Share, allocate, largest_remainder, split

amounts = st.integers(min_value=-(10**12), max_value=10**12)
ratios = st.decimals(min_value=0, max_value=1, places=6, allow_nan=False, allow_infinity=False)
weight_lists = st.lists(
    st.tuples(st.text(min_size=1, max_size=6), st.integers(-(10**9), 10**9)),
    min_size=1,
    max_size=30,
    unique_by=lambda kw: kw[0],
)


@given(amounts, ratios)
def test_shares_sum_to_the_amount_and_city_is_the_floor(amount: int, ratio: Decimal) -> None:
    share = split(amount, ratio)
    assert share.city + share.district == amount
    exact = Fraction(amount) * Fraction(ratio)
    assert exact - 1 < share.city <= exact  # within one won, never above amount × ratio


def test_the_city_takes_the_floor_and_the_district_the_rest() -> None:
    assert split(1_005, Decimal("0.9")) == Share(city=904, district=101)
    assert split(1_000, Decimal("0.8")) == Share(city=800, district=200)
    assert split(0, Decimal("0.9")) == Share(0, 0)


def test_negative_amounts_floor_toward_minus_infinity() -> None:
    assert split(-1_005, Decimal("0.9")) == Share(city=-905, district=-100)


@pytest.mark.parametrize("ratio", [Decimal("1.1"), Decimal("-0.1"), Decimal("NaN")])
def test_a_ratio_outside_zero_to_one_is_refused(ratio: Decimal) -> None:
    with pytest.raises(ValueError, match="city ratio"):
        split(1_000, ratio)


def test_money_must_be_whole_won() -> None:
    with pytest.raises(TypeError):
        split(10.5, Decimal("0.9"))  # type: ignore[arg-type]


@given(amounts, ratios, weight_lists)
def test_allocation_sums_exactly_to_the_line_for_any_weights(
    amount: int, ratio: Decimal, weights: list[tuple[str, int]]
) -> None:
    line = split(amount, ratio)
    parts = allocate(line, weights)
    assert [p.key for p in parts] == [k for k, _ in weights]
    assert sum(p.amount for p in parts) == line.amount
    assert sum(p.city for p in parts) == line.city
    assert sum(p.district for p in parts) == line.district
    assert all(p.city + p.district == p.amount for p in parts)


@given(st.lists(st.integers(0, 5_000_000), min_size=1, max_size=30), ratios)
def test_participants_of_a_ledger_line_keep_their_own_amounts(
    own: list[int], ratio: Decimal
) -> None:
    weights = [(f"P{i:03d}", amount) for i, amount in enumerate(own)]
    line = split(sum(own), ratio)
    parts = allocate(line, weights)
    assert [p.amount for p in parts] == own
    total = sum(own)
    for part, amount in zip(parts, own, strict=True):
        quota = Fraction(line.city * amount, total) if total else Fraction(line.city, len(own))
        assert abs(part.city - quota) < 1  # largest remainder: off its quota by under a won


def test_ties_go_to_the_smaller_participant_id_whatever_the_order() -> None:
    weights = [("P2", 1), ("P1", 1), ("P3", 1)]
    parts = allocate(Share(city=2, district=1), weights)
    assert {p.key: (p.city, p.district) for p in parts} == {
        "P1": (1, 0),
        "P2": (1, 0),
        "P3": (0, 1),
    }
    assert parts == allocate(Share(city=2, district=1), weights)


def test_largest_remainder_gives_leftover_won_to_the_largest_fractions() -> None:
    # 100 × (1/6, 2/6, 3/6) = 16.67, 33.33, 50: the one leftover won goes to the first.
    assert largest_remainder(100, [("a", 1), ("b", 2), ("c", 3)]) == [17, 33, 50]


def test_weights_that_sum_to_zero_share_equally() -> None:
    assert largest_remainder(10, [("a", 5), ("b", -5)]) == [5, 5]


def test_a_nonzero_line_needs_participants() -> None:
    with pytest.raises(ValueError, match="no participants"):
        allocate(Share(1, 0), [])
    assert allocate(Share(0, 0), []) == []


def test_participant_keys_must_be_unique() -> None:
    with pytest.raises(ValueError, match="unique"):
        allocate(Share(1, 1), [("a", 1), ("a", 1)])
