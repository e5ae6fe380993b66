"""Employee deductions and which months carry them (how-pay-is-calculated.md §9)."""

from __future__ import annotations

import pytest

from payroll.domain.model import Adjustment, MissingRate, NegativeNetPay
from tests.support.pay import amounts, enrollment, explanation, payslip


class FlatTax:
    """A table that always asks 50,000 won: proves the engine's own 1,060,000 threshold."""

    def tax(self, taxable_pay: int, dependents: int) -> int:
        return 50_000


def adjust(amount: int) -> list[Adjustment]:
    return [Adjustment("retro_adjustment", amount, "test")]


def test_pension_stops_in_the_month_the_participant_is_60_on_the_1st() -> None:
    e = enrollment(birth="1965-03-01")
    february = amounts(payslip(e, "2025-02").deductions)
    # age 59 on 1 Feb; §9 v2: on D = 1,564,680 (not February's pay 1,444,320)
    assert february["national_pension"] == 70_380  # 1,564,000 × 4.5 %
    march = amounts(payslip(e, "2025-03").deductions)  # age 60 on 1 March
    assert "national_pension" not in march
    assert march["health_insurance"] == 55_460 and march["employment_insurance"] == 14_080
    assert "national_pension" in amounts(
        payslip(enrollment(birth="1965-03-02"), "2025-03").deductions
    )


def test_no_employment_insurance_when_65_on_the_start_date() -> None:
    e = enrollment(birth="1960-01-10")  # 65 on S = 10 Jan 2025
    for month in ("2025-01", "2025-03"):
        deductions = amounts(payslip(e, month).deductions)
        assert "employment_insurance" not in deductions
        assert "national_pension" not in deductions  # 65 ≥ 60
    assert amounts(payslip(e, "2025-03").deductions)["health_insurance"] == 55_460
    # 64 on S: charged every month, even after turning 65.
    younger = enrollment(birth="1960-01-11")
    assert amounts(payslip(younger, "2025-03").deductions)["employment_insurance"] == 14_080


def test_pension_floor() -> None:
    """§2, §9: declared D = 264,680 -> floor 390,000 (period 2024-07 – 2025-06) × 4.5 %."""
    slip = payslip(enrollment(declared=264_680), "2025-03")
    assert slip.insurable == 1_564_680  # the month's pay does not matter for pension
    assert amounts(slip.deductions)["national_pension"] == 17_550
    assert "하한" in explanation(slip.deductions, "national_pension")
    assert amounts(slip.deductions)["health_insurance"] == 9_380  # 264,680 × 3.545 % = 9,382.9
    assert amounts(slip.deductions)["employment_insurance"] == 14_080  # on the month's pay


def test_pension_ceiling_by_period_of_the_first_of_the_month() -> None:
    slip = payslip(enrollment(declared=6_564_680), "2025-03")
    # 6,564,680 -> 6,564,000 -> ceiling 6,170,000 × 4.5 %
    assert amounts(slip.deductions)["national_pension"] == 277_650
    assert "상한" in explanation(slip.deductions, "national_pension")
    h2 = enrollment("2025-07-01", "2025-12-20", declared=6_564_680)
    slip = payslip(h2, "2025-08")
    assert amounts(slip.deductions)["national_pension"] == 286_650  # 6,370,000 × 4.5 %


def test_pension_and_health_stay_on_d_whatever_the_month_pays() -> None:
    """§9: a retro line raises insurable pay, not the pension or health base."""
    slip = payslip(enrollment(), "2025-03", adjustments=adjust(5_000_000))
    deductions = amounts(slip.deductions)
    assert deductions["national_pension"] == 70_380 and deductions["health_insurance"] == 55_460
    assert deductions["employment_insurance"] == 59_080  # 6,564,680 × 0.9 % = 59,082.1


def test_no_income_tax_below_1_060_000_whatever_the_table_says() -> None:
    below = payslip(enrollment(), "2025-03", adjustments=adjust(-504_681), table=FlatTax())
    assert below.taxable == 1_059_999
    assert "income_tax" not in amounts(below.deductions)
    assert "local_income_tax" not in amounts(below.deductions)
    at = payslip(enrollment(), "2025-03", adjustments=adjust(-504_680), table=FlatTax())
    assert at.taxable == 1_060_000
    assert amounts(at.deductions)["income_tax"] == 50_000
    assert amounts(at.deductions)["local_income_tax"] == 5_000


def test_enrollment_shorter_than_a_month_carries_no_pension_or_health() -> None:
    short = amounts(payslip(enrollment("2025-03-01", "2025-03-30"), "2025-03").deductions)
    assert not {"national_pension", "health_insurance", "long_term_care"} & short.keys()
    assert "employment_insurance" in short
    whole = amounts(payslip(enrollment("2025-03-01", "2025-03-31"), "2025-03").deductions)
    assert {"national_pension", "health_insurance", "long_term_care"} <= whole.keys()


@pytest.mark.parametrize(
    ("daily_hours", "weekdays", "insured"),
    [
        ("8", frozenset({0}), False),  # 8 h a week × 365/7/12 = 34.8 h a month
        ("4.5", frozenset({0, 1, 2}), False),  # 13.5 h -> 58.7 h
        ("7", frozenset({0, 1}), True),  # 14 h -> 60.8 h
    ],
)
def test_fewer_than_60_scheduled_hours_a_month_carry_no_pension_or_health(
    daily_hours: str, weekdays: frozenset[int], insured: bool
) -> None:
    e = enrollment("2025-03-01", "2025-08-31", daily_hours=daily_hours, weekdays=weekdays)
    deductions = amounts(payslip(e, "2025-04").deductions)
    assert ("health_insurance" in deductions) is insured
    assert ("national_pension" in deductions) is insured
    assert "employment_insurance" in deductions


def test_negative_net_pay_stops_the_payslip() -> None:
    with pytest.raises(NegativeNetPay, match=r"P-001, 2025-03: net pay -\d"):
        payslip(enrollment(), "2025-03", adjustments=adjust(-2_000_000))


def test_missing_year_data_is_an_error() -> None:
    with pytest.raises(MissingRate, match="2027"):
        payslip(enrollment("2027-01-04", "2027-06-30"), "2027-02")
    with pytest.raises(MissingRate, match="unknown program"):
        payslip(enrollment(program="nowhere"), "2025-03")
