"""Employer contributions (how-pay-is-calculated.md §10)."""

from __future__ import annotations

from tests.support.pay import amounts, enrollment, explanation, payslip


def test_section_12_employer_lines() -> None:
    slip = payslip(enrollment(), "2025-03")
    assert amounts(slip.employer) == {
        "national_pension": 70_380,  # equal to the employee amounts
        "health_insurance": 55_460,
        "long_term_care": 7_180,
        "employment_insurance": 27_380,  # 1,564,680 × (0.9 % + 0.85 %) = 27,381.9
        "industrial_accident": 15_020,  # 1,564,680 × 0.96 % = 15,020.9
    }


def test_first_partial_month_employer_lines() -> None:
    slip = payslip(enrollment(), "2025-01")
    assert amounts(slip.employer) == {
        "employment_insurance": 18_950,  # 1,083,240 × 1.75 % = 18,956.7
        "industrial_accident": 10_390,  # 1,083,240 × 0.96 % = 10,399.1
    }


def test_employer_pays_only_job_stability_for_a_participant_65_on_the_start_date() -> None:
    """§10 v2: hired at 65 or older, the unemployment part (0.9 %) does not apply."""
    slip = payslip(enrollment(birth="1960-01-10"), "2025-03")  # 65 on S = 10 Jan 2025
    employer = amounts(slip.employer)
    assert "employment_insurance" not in amounts(slip.deductions)  # §9: none for the employee
    assert employer["employment_insurance"] == 13_290  # 1,564,680 × 0.85 % = 13,299.78
    assert "고용안정" in explanation(slip.employer, "employment_insurance")
    # 64 on S: the full 1.75 % even after turning 65
    younger = amounts(payslip(enrollment(birth="1960-01-11"), "2025-03").employer)
    assert younger["employment_insurance"] == 27_380  # 1,564,680 × 1.75 % = 27,381.9
    assert "national_pension" not in employer
    assert employer["health_insurance"] == 55_460


def test_expense_allowance_is_outside_the_employer_base() -> None:
    slip = payslip(enrollment(), "2025-03")
    assert slip.insurable == slip.gross - 120_000
