"""§12 with the shipped withholding table; the expected tax is read from the table's row here,
independently of the engine and the loader (how-pay-is-calculated.md §9, §12)."""

from __future__ import annotations

import csv
from importlib import resources

from payroll.withholding_data import shipped_withholding_table
from tests.domain.pay_support import amounts, enrollment, payslip


def table_row_tax(pay: int, dependents: int) -> int:
    """The tax in the shipped CSV's row whose band [이상, 미만) (thousand won) holds ``pay``."""
    text = resources.files("payroll.data").joinpath("withholding_table.csv").read_text("utf-8")
    for row in csv.reader(line for line in text.splitlines() if not line.startswith("#")):
        if not row[0].isdigit():
            continue
        low, high = int(row[0]) * 1000, int(row[1]) * 1000
        if low <= pay < high:
            return int(row[1 + dependents])
    raise AssertionError(f"no row for {pay}")


def test_section_12_with_the_shipped_table() -> None:
    slip = payslip(enrollment(), "2025-03", table=shipped_withholding_table())
    tax = table_row_tax(1_564_680, 1)  # row 1,560–1,570 thousand won, 1 dependant
    deductions = amounts(slip.deductions)
    assert deductions == {
        "national_pension": 70_380,
        "health_insurance": 55_460,
        "long_term_care": 7_180,
        "employment_insurance": 14_080,
        "income_tax": tax,
        "local_income_tax": tax // 100 * 10,  # Floor10(tax × 10 %)
    }
    assert slip.net == 1_684_680 - sum(deductions.values())


def test_dependants_choose_the_table_column() -> None:
    e = enrollment(dependents=2)
    slip = payslip(e, "2025-03", table=shipped_withholding_table())
    assert amounts(slip.deductions).get("income_tax", 0) == table_row_tax(1_564_680, 2)
