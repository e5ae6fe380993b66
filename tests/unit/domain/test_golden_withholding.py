"""§12 with the shipped official withholding table (how-pay-is-calculated.md §9, §12).

The expected taxes are the official table's cells (소득세법 시행령 별표 2), read by hand:
row 1,560–1,570 thousand won: 10,160 (1 dependant), 5,660 (2 dependants).
"""

from __future__ import annotations

from payroll.reference.withholding_data import shipped_withholding_table
from tests.support.pay import amounts, enrollment, payslip


def test_section_12_march_with_the_official_table() -> None:
    slip = payslip(enrollment(), "2025-03", table=shipped_withholding_table())
    deductions = amounts(slip.deductions)
    assert deductions == {
        "national_pension": 70_380,  # 1,564,000 × 4.5 %
        "health_insurance": 55_460,  # Floor10(1,564,680 × 3.545 % = 55,467.9)
        "long_term_care": 7_180,  # Floor10(55,460 × 12.95 % = 7,182.07)
        "employment_insurance": 14_080,  # Floor10(1,564,680 × 0.9 % = 14,082.12)
        "income_tax": 10_160,  # official table, 1,560–1,570 천원, 1 dependant
        "local_income_tax": 1_010,  # Floor10(10,160 × 10 %)
    }
    # net = 1,684,680 − (70,380 + 55,460 + 7,180 + 14,080 + 10,160 + 1,010) = 1,526,410
    assert slip.net == 1_526_410


def test_dependants_choose_the_table_column() -> None:
    slip = payslip(enrollment(dependents=2), "2025-03", table=shipped_withholding_table())
    assert amounts(slip.deductions)["income_tax"] == 5_660  # same row, 2 dependants


def test_maeryeok_2025_withholds_the_official_34300() -> None:
    """§9: 209 h × 11,779 = 2,461,811 falls in the 2,460–2,470 천원 row: 34,300 for 1."""
    table = shipped_withholding_table()
    assert table.tax(2_461_811, 1) == 34_300
    assert table.tax(2_461_811, 3) == 15_730
