"""Employer contributions (사업주 부담, pay-rules.md §10) per participant-month."""

from __future__ import annotations

from collections.abc import Sequence

from payroll.domain.deductions import InsuranceCover
from payroll.domain.model import InsuranceRates, Line, ProgramYear
from payroll.domain.money import floor10, percent, won

MATCHED = ("national_pension", "health_insurance", "long_term_care")


def employer_contributions(
    insurable: int,
    employee_lines: Sequence[Line],
    cover: InsuranceCover,
    rates: InsuranceRates,
    program_year: ProgramYear,
) -> list[Line]:
    """Pension, health and long-term care equal to the employee amounts; employment insurance
    Floor10(insurable × (0.9 % + job-stability rate)); industrial accident Floor10(insurable ×
    program rate).

    A participant 65 or older on S pays no employment insurance; the employer then pays only
    the job-stability part (고용안정·직업능력개발), which has no age limit.
    """
    base = max(0, insurable)
    lines = [
        Line(line.code, line.amount, f"근로자 부담분과 같음 ({won(line.amount)})")
        for line in employee_lines
        if line.code in MATCHED
    ]
    employment_rate = rates.job_stability
    text = f"{won(base)} × {percent(rates.job_stability)} (고용안정·직업능력개발)"
    if cover.employment:
        employment_rate += rates.employment_insurance
        text = (
            f"{won(base)} × ({percent(rates.employment_insurance)} + "
            f"{percent(rates.job_stability)})"
        )
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
