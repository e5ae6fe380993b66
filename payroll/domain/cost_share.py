"""City/district cost sharing (시·구 분담, how-pay-is-calculated.md §10): split and allocate a line.

Pure arithmetic on whole won: no database, no files, no floats.

* :func:`split` divides one ledger line's amount between the city (시비) and the district
  (구비) by the program-year's city ratio.
* :func:`allocate` spreads a line's amount, city share and district share over the
  participants of that line by the largest-remainder method, so that the participants'
  shares add up to the line exactly, to the won.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Share:
    """The city share (시 부담) and the district share (구 부담) of one amount."""

    city: int
    district: int

    @property
    def amount(self) -> int:
        return self.city + self.district


@dataclass(frozen=True)
class Allocation(Generic[K]):
    """One participant's part of a ledger line: amount and its city and district shares."""

    key: K
    amount: int
    city: int
    district: int


def split(amount: int, city_ratio: Decimal) -> Share:
    """City share = floor(amount × city ratio), district share = amount − city share.

    The floor is toward −∞ for negative amounts as well (a refund of −1,005 won at 0.9
    gives the city −905 and the district −100), so that ``split(-a)`` is not the mirror of
    ``split(a)`` but the rule reads the same for every sign: the city never takes the
    fractional won, the district does. The result is exact (Decimal, no rounding before
    the floor), and ``city + district == amount`` always.
    """
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError(f"amount must be whole won (int), not {type(amount).__name__}")
    ratio = Decimal(city_ratio)
    if not ratio.is_finite() or not Decimal(0) <= ratio <= Decimal(1):
        raise ValueError(f"city ratio {city_ratio} is not between 0 and 1")
    with localcontext() as ctx:
        # Enough digits that the product is exact before the floor.
        ctx.prec = len(str(abs(amount))) + len(ratio.as_tuple().digits) + 5
        city = math.floor(Decimal(amount) * ratio)
    return Share(city=city, district=amount - city)


def largest_remainder(total: int, weights: Sequence[tuple[K, int]]) -> list[int]:
    """Split ``total`` over ``weights`` in proportion, as whole won that sum to ``total``.

    Each key gets floor(total × weight / Σweights); the won left over go one each to the
    keys with the largest fractional remainders, ties to the smaller key. Works for any
    signs. When the weights sum to zero every key weighs the same. Keys must be unique
    and comparable with each other.
    """
    if not weights:
        if total != 0:
            raise ValueError(f"cannot allocate {total:,} won to no participants")
        return []
    keys = [key for key, _ in weights]
    if len(set(keys)) != len(keys):
        raise ValueError("participant keys must be unique")
    values = [int(weight) for _, weight in weights]
    whole = sum(values)
    if whole == 0:
        values, whole = [1] * len(values), len(values)
    quotas = [Fraction(total * value, whole) for value in values]
    floors = [math.floor(q) for q in quotas]
    left = total - sum(floors)  # 0 <= left < len(weights)
    order = sorted(range(len(weights)), key=lambda i: (-(quotas[i] - floors[i]), keys[i]))
    for i in order[:left]:
        floors[i] += 1
    return floors


def allocate(line: Share, weights: Sequence[tuple[K, int]]) -> list[Allocation[K]]:
    """Allocate a ledger line (its city and district shares) to participants.

    ``weights`` are ``(participant key, that participant's amount of the cost item)``.
    The line's amount and its city share are each spread by :func:`largest_remainder`;
    a participant's district share is its amount minus its city share. So the amounts,
    the city shares and the district shares each add up to the line's exactly, and each
    participant's city + district equals its amount. When the weights add up to the line's
    amount (the ledger's case), every participant's amount is exactly its weight.
    Results come back in the order of ``weights``.
    """
    amounts = largest_remainder(line.amount, weights)
    cities = largest_remainder(line.city, weights)
    return [
        Allocation(key=key, amount=amount, city=city, district=amount - city)
        for (key, _), amount, city in zip(weights, amounts, cities, strict=True)
    ]
