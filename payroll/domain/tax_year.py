"""Year data of income tax (how-pay-is-calculated.md §5, §9, §13): brackets, credits, caps.

Everything here is data read from the catalog; these records only evaluate it. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from payroll.domain.money import truncate


@dataclass(frozen=True)
class Bracket:
    """``base + rate × (x − over)`` for x up to ``up_to`` (inclusive; None: no bound)."""

    up_to: int | None
    base: int
    over: int
    rate: Decimal

    def holds(self, x: int) -> bool:
        return self.up_to is None or x <= self.up_to

    def value(self, x: int) -> Decimal:
        return self.base + self.rate * (x - self.over)

    def describe(self) -> str:
        rate = f"{(self.rate * 100).normalize():f}%"
        if self.base == 0 and self.over == 0:
            return rate
        return f"{self.base:,} + {rate} × (x − {self.over:,})"


def bracket_of(brackets: tuple[Bracket, ...], x: int) -> Bracket:
    """The first bracket holding ``x`` (the last one has no bound)."""
    for bracket in brackets:
        if bracket.holds(x):
            return bracket
    return brackets[-1]


def by_brackets(brackets: tuple[Bracket, ...], x: int) -> int:
    """The bracket formula for ``x``, truncated to the won."""
    return truncate(bracket_of(brackets, x).value(x))


@dataclass(frozen=True)
class CreditLimit:
    """The earned-income credit's limit for 총급여 up to ``up_to``:
    max(minimum, base − rate × (G − over))."""

    up_to: int | None
    base: int
    over: int
    rate: Decimal
    minimum: int

    def holds(self, total_pay: int) -> bool:
        return self.up_to is None or total_pay <= self.up_to

    def value(self, total_pay: int) -> int:
        return truncate(max(Decimal(self.minimum), self.base - self.rate * (total_pay - self.over)))


@dataclass(frozen=True)
class PerChild:
    """An amount by number of children: 1 child, 2 children, and each child beyond 2."""

    one: int
    two: int
    each_further: int

    def amount(self, children: int) -> int:
        if children <= 0:
            return 0
        if children == 1:
            return self.one
        return self.two + self.each_further * (children - 2)


@dataclass(frozen=True)
class ChildReduction:
    """Monthly withholding's child reduction for pay dates from ``start`` on (§9)."""

    start: date
    amounts: PerChild


@dataclass(frozen=True)
class TaxYear:
    """One tax year's parameters: the meal allowance's tax-free cap (§5) and §13's figures."""

    year: int
    meal_allowance_cap: int
    personal_deduction: int  # per dependant
    standard_credit: int
    earned_income_deduction: tuple[Bracket, ...]
    earned_income_deduction_cap: int
    tax_brackets: tuple[Bracket, ...]
    earned_income_credit: tuple[Bracket, ...]
    earned_income_credit_limits: tuple[CreditLimit, ...]
    child_credit: PerChild

    def earned_income_credit_limit(self, total_pay: int) -> int:
        for limit in self.earned_income_credit_limits:
            if limit.holds(total_pay):
                return limit.value(total_pay)
        return self.earned_income_credit_limits[-1].value(total_pay)
