"""Employer contributions (사업주 부담, how-pay-is-calculated.md §10) per participant-month."""

from __future__ import annotations

from collections.abc import Sequence

from payroll.domain.model import InsuranceRates, Line, ProgramYear
from payroll.domain.money import floor10, percent, won

MATCHED = (
    "national_pension",
    "health_insurance",
    "long_term_care",
    "health_insurance_settlement",
    "long_term_care_settlement",
)
"""Employee lines the employer matches won for won (the §13 settlements included)."""


def employer_contributions(
    insurable: int,
    employee_lines: Sequence[Line],
    rates: InsuranceRates,
    program_year: ProgramYear,
    hired_at_65: bool = False,
) -> list[Line]:
    """Pension, health and long-term care (and their settlements) equal to the employee
    amounts; employment insurance Floor10(insurable × (0.9 % + job-stability rate)), only
    the job-stability part for a participant 65 or older on S (고용보험법 §10);
    industrial accident Floor10(insurable × program rate)."""
    base = max(0, insurable)
    lines = [
        Line(line.code, line.amount, f"근로자 부담분과 같음 ({won(line.amount)})")
        for line in employee_lines
        if line.code in MATCHED
    ]
    stability = percent(rates.job_stability)
    if hired_at_65:
        employment_rate = rates.job_stability
        text = f"{won(base)} × {stability} (만 65세 이후 고용: 고용안정·직업능력개발분만)"
    else:
        employment_rate = rates.employment_insurance + rates.job_stability
        text = f"{won(base)} × ({percent(rates.employment_insurance)} + {stability})"
    lines.append(Line("employment_insurance", floor10(base * employment_rate), text))
    accident = program_year.industrial_accident_rate
    lines.append(
        Line(
            "industrial_accident",
            floor10(base * accident),
            f"{won(base)} × {percent(accident)}",
        )
    )
    return lines
