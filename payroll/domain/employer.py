"""Employer contributions (사업주 부담, how-pay-is-calculated.md §10) per participant-month."""

from __future__ import annotations

from collections.abc import Sequence

from payroll.domain.model import InsuranceRates, Line, ProgramYear
from payroll.domain.money import floor10, percent, won

MATCHED = ("national_pension", "health_insurance", "long_term_care")


def employer_contributions(
    insurable: int,
    employee_lines: Sequence[Line],
    rates: InsuranceRates,
    program_year: ProgramYear,
) -> list[Line]:
    """Pension, health and long-term care equal to the employee amounts; employment insurance
    Floor10(insurable × (0.9 % + job-stability rate)); industrial accident Floor10(insurable ×
    program rate).

    §10 as written charges the employer's employment insurance in full for every
    participant, including one 65 or older on S who pays no employee share (§9). The
    Employment Insurance Act would charge only the job-stability part there; the rulebook
    does not say so, so the engine follows the rulebook (see the test).
    """
    base = max(0, insurable)
    lines = [
        Line(line.code, line.amount, f"근로자 부담분과 같음 ({won(line.amount)})")
        for line in employee_lines
        if line.code in MATCHED
    ]
    employment_rate = rates.employment_insurance + rates.job_stability
    text = f"{won(base)} × ({percent(rates.employment_insurance)} + {percent(rates.job_stability)})"
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
