"""The published construction method of the withholding table (간이세액표 작성 방법).

For one monthly pay band [from, to) in thousands of won and a number of dependants
(공제대상가족의 수, the participant counting as 1), the monthly tax is:

1. 총급여 = band midpoint (won) × 12
2. − 근로소득공제 (earned-income deduction, capped at 20,000,000)
3. − 인적공제 1,500,000 per dependant
4. − 연금보험료공제: clamp(midpoint, pension floor, ceiling) × pension rate × 12
5. − 특별소득공제 등 by the NTS formula for 총급여 and dependants
6. = 과세표준 (not below 0); 산출세액 by the progressive rates
7. − 근로소득세액공제 (with its cap by 총급여); annual tax not below 0
8. monthly tax = Floor10(annual tax / 12); below 1,000 won it is 0 (소액부징수)

Everything is exact ``Decimal`` arithmetic; only step 8 truncates. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from payroll.domain.money import floor10
from payroll.domain.withholding import MAX_DEPENDANTS

D = Decimal
MILLION = D(1_000_000)
MONTHS = D(12)
PERSONAL_DEDUCTION = D(1_500_000)
EARNED_INCOME_DEDUCTION_CAP = D(20_000_000)
SMALL_AMOUNT = 1_000
"""소액부징수 (소득세법 §86): a monthly tax below 1,000 won is not withheld."""

# (total pay up to, base, rate over the previous bound) — 소득세법 §47
EARNED_INCOME_DEDUCTION: tuple[tuple[Decimal | None, Decimal, Decimal, Decimal], ...] = (
    (D(5_000_000), D(0), D(0), D("0.70")),
    (D(15_000_000), D(3_500_000), D(5_000_000), D("0.40")),
    (D(45_000_000), D(7_500_000), D(15_000_000), D("0.15")),
    (D(100_000_000), D(12_000_000), D(45_000_000), D("0.05")),
    (None, D(14_750_000), D(100_000_000), D("0.02")),
)

# (tax base up to, rate, progressive deduction) — 소득세법 §55, 2023 onwards
TAX_RATES: tuple[tuple[Decimal | None, Decimal, Decimal], ...] = (
    (D(14_000_000), D("0.06"), D(0)),
    (D(50_000_000), D("0.15"), D(1_260_000)),
    (D(88_000_000), D("0.24"), D(5_760_000)),
    (D(150_000_000), D("0.35"), D(15_440_000)),
    (D(300_000_000), D("0.38"), D(19_940_000)),
    (D(500_000_000), D("0.40"), D(25_940_000)),
    (D(1_000_000_000), D("0.42"), D(35_940_000)),
    (None, D("0.45"), D(65_940_000)),
)

BANDS: tuple[tuple[int, int, int], ...] = ((770, 1_500, 5), (1_500, 3_000, 10), (3_000, 10_000, 20))
"""The NTS band layout in thousands of won: (from, to, width)."""


@dataclass(frozen=True)
class MethodParameters:
    """The year-specific inputs of the method (national pension, how-pay-is-calculated.md §2)."""

    year: int = 2025
    pension_rate: Decimal = D("0.045")
    pension_floor: int = 400_000
    pension_ceiling: int = 6_370_000


DEFAULT_PARAMETERS = MethodParameters()


@dataclass(frozen=True)
class BandTax:
    """Every step of the method for one band and number of dependants (annual, won)."""

    midpoint: Decimal  # monthly
    total_pay: Decimal  # 총급여
    earned_income_deduction: Decimal  # 근로소득공제
    personal_deduction: Decimal  # 인적공제
    pension_deduction: Decimal  # 연금보험료공제
    special_deduction: Decimal  # 특별소득공제 등
    tax_base: Decimal  # 과세표준
    computed_tax: Decimal  # 산출세액
    tax_credit: Decimal  # 근로소득세액공제
    annual_tax: Decimal  # 결정세액
    monthly_tax: int  # Floor10(annual / 12), 0 below 1,000


def earned_income_deduction(total_pay: Decimal) -> Decimal:
    """근로소득공제 for annual total pay, capped at 20,000,000."""
    for limit, base, over, rate in EARNED_INCOME_DEDUCTION:
        if limit is None or total_pay <= limit:
            return min(base + (total_pay - over) * rate, EARNED_INCOME_DEDUCTION_CAP)
    raise AssertionError("unreachable")


def special_deduction(total_pay: Decimal, dependants: int) -> Decimal:
    """특별소득공제 등 of the NTS method (0 above 120,000,000 and never negative)."""
    over_40m = max(total_pay - 40 * MILLION, D(0))
    if total_pay <= 45 * MILLION:
        amount = (
            D(3_100_000) + D("0.04") * total_pay
            if dependants <= 1
            else D(3_600_000) + D("0.04") * total_pay
            if dependants == 2
            else D(5_000_000) + D("0.07") * total_pay + D("0.04") * over_40m
        )
        if total_pay > 30 * MILLION:
            amount -= D("0.05") * (total_pay - 30 * MILLION)
    elif total_pay <= 70 * MILLION:
        amount = (
            D(3_100_000) + D("0.015") * total_pay
            if dependants <= 1
            else D(3_600_000) + D("0.02") * total_pay
            if dependants == 2
            else D(5_000_000) + D("0.05") * total_pay + D("0.04") * over_40m
        )
    elif total_pay <= 120 * MILLION:
        amount = (
            D(3_100_000) + D("0.005") * total_pay
            if dependants <= 1
            else D(3_600_000) + D("0.01") * total_pay
            if dependants == 2
            else D(5_000_000) + D("0.03") * total_pay + D("0.04") * over_40m
        )
    else:
        amount = D(0)
    return max(amount, D(0))


def computed_tax(tax_base: Decimal) -> Decimal:
    """산출세액 by the progressive rates."""
    for limit, rate, deduction in TAX_RATES:
        if limit is None or tax_base <= limit:
            return max(tax_base * rate - deduction, D(0))
    raise AssertionError("unreachable")


def earned_income_tax_credit(tax: Decimal, total_pay: Decimal) -> Decimal:
    """근로소득세액공제 (소득세법 §59) with its cap by total pay."""
    over = max(tax - D(1_300_000), D(0))
    credit = (tax - over) * D("0.55") + over * D("0.30")  # 1.3M × 55% = 715,000
    if total_pay <= 33 * MILLION:
        cap = D(740_000)
    elif total_pay <= 70 * MILLION:
        cap = max(D(740_000) - (total_pay - 33 * MILLION) * D("0.008"), D(660_000))
    elif total_pay <= 120 * MILLION:
        cap = max(D(660_000) - (total_pay - 70 * MILLION) / 2, D(500_000))
    else:
        cap = max(D(500_000) - (total_pay - 120 * MILLION) / 2, D(200_000))
    return min(credit, cap)


def band_tax(
    low: int, high: int, dependants: int, parameters: MethodParameters = DEFAULT_PARAMETERS
) -> BandTax:
    """The method for band [``low``, ``high``) in thousands of won and ``dependants`` ≥ 1."""
    if dependants < 1:
        raise ValueError(f"dependants {dependants} < 1 (the participant counts as 1)")
    midpoint = D(low + high) * 500  # (low + high) / 2 thousands, in won
    total_pay = midpoint * MONTHS
    earned = earned_income_deduction(total_pay)
    personal = PERSONAL_DEDUCTION * dependants
    pension_base = min(max(midpoint, D(parameters.pension_floor)), D(parameters.pension_ceiling))
    pension = pension_base * parameters.pension_rate * MONTHS
    special = special_deduction(total_pay, dependants)
    tax_base = max(total_pay - earned - personal - pension - special, D(0))
    tax = computed_tax(tax_base)
    credit = earned_income_tax_credit(tax, total_pay)
    annual = max(tax - credit, D(0))
    monthly = floor10(annual / MONTHS)
    return BandTax(
        midpoint=midpoint,
        total_pay=total_pay,
        earned_income_deduction=earned,
        personal_deduction=personal,
        pension_deduction=pension,
        special_deduction=special,
        tax_base=tax_base,
        computed_tax=tax,
        tax_credit=credit,
        annual_tax=annual,
        monthly_tax=0 if monthly < SMALL_AMOUNT else monthly,
    )


def bands() -> Iterator[tuple[int, int]]:
    """The table's bands [from, to) in thousands of won: 770 … 10,000."""
    for start, stop, width in BANDS:
        for low in range(start, stop, width):
            yield low, low + width


def table_rows(parameters: MethodParameters = DEFAULT_PARAMETERS) -> list[list[int]]:
    """Rows of the NTS layout: from, to (thousands), tax for 1 … 11 dependants (won)."""
    return [
        [low, high]
        + [band_tax(low, high, n, parameters).monthly_tax for n in range(1, MAX_DEPENDANTS + 1)]
        for low, high in bands()
    ]
