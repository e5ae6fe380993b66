"""Employer contributions (how-pay-is-calculated.md §10)."""

from __future__ import annotations

from tests.domain.pay_support import amounts, enrollment, payslip


def test_section_12_employer_lines() -> None:
    slip = payslip(enrollment(), "2025-03")
    assert amounts(slip.employer) == {
        "national_pension": 70_380,  # equal to the employee amounts
        "health_insurance": 55_460,
        "long_term_care": 7_180,
        "employment_insurance": 27_380,  # 1,564,680 × (0.9 % + 0.85 %) = 27,381.9
        "industrial_accident": 23_000,  # 1,564,680 × 1.47 % = 23,000.8
    }


def test_first_partial_month_employer_lines() -> None:
    slip = payslip(enrollment(), "2025-01")
    assert amounts(slip.employer) == {
        "employment_insurance": 18_950,  # 1,083,240 × 1.75 % = 18,956.7
        "industrial_accident": 15_920,  # 1,083,240 × 1.47 % = 15,923.6
    }


def test_employer_employment_insurance_as_written_for_a_participant_65_at_start() -> None:
    """§10 names no age exception for the employer's share (the law would charge only the
    0.85 % job-stability part): the rulebook is implemented as written."""
    slip = payslip(enrollment(birth="1960-01-10"), "2025-03")
    employer = amounts(slip.employer)
    assert "employment_insurance" not in amounts(slip.deductions)  # §9: none for the employee
    assert employer["employment_insurance"] == 27_380  # 1,564,680 × 1.75 % = 27,381.9
    assert "national_pension" not in employer
    assert employer["health_insurance"] == 55_460


def test_expense_allowance_is_outside_the_employer_base() -> None:
    slip = payslip(enrollment(), "2025-03")
    assert slip.insurable == slip.gross - 120_000
