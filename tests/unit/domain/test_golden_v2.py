"""Golden cases of rulebook v2, worked by hand (how-pay-is-calculated.md §5, §9, §10, §12, §13).

Every income tax below is a cell of the shipped official table (소득세법 시행령 별표 2)
read by hand: row [from, to) thousand won, column = dependants.
"""

from __future__ import annotations

from dataclasses import replace

from payroll.domain.engine import PayContext, calculate_enrollment, calculate_month
from payroll.domain.settlement import Settlement, YearToDate
from payroll.reference.withholding_data import shipped_withholding_table
from tests.support.pay import CALENDAR, RATES, amounts, enrollment

TABLE = shipped_withholding_table()
H1 = enrollment()  # §12: born 1970-05-01, S = 2025-01-10, E = 2025-06-30, 1 dependant


def slip(e, month, rates=RATES, **kwargs):  # type: ignore[no-untyped-def]
    return calculate_month(PayContext(e, (), month, rates, CALENDAR, TABLE), **kwargs)


def test_section_12_march_with_official_income_tax() -> None:
    """§12 March: insurable 1,564,680 = D; income tax from row 1,560–1,570 (1 dependant)."""
    march = slip(H1, "2025-03")
    assert march.declared_monthly_pay == 1_564_680  # §9: 156 h × 10,030
    assert amounts(march.deductions) == {
        "national_pension": 70_380,  # 1,564,000 × 4.5 %
        "health_insurance": 55_460,  # Floor10(1,564,680 × 3.545 % = 55,467.9)
        "long_term_care": 7_180,  # Floor10(55,460 × 12.95 % = 7,182.07)
        "employment_insurance": 14_080,  # Floor10(1,564,680 × 0.9 % = 14,082.1)
        "income_tax": 10_160,  # row 1,560–1,570
        "local_income_tax": 1_010,  # Floor10(1,016)
    }
    assert march.net == 1_684_680 - 158_270


def test_section_12_june_payout_and_settlements() -> None:
    """§8, §9, §13 on the §12 enrollment's final month.

    Months (taxable = insurable; no attendance records):
      Jan 1,083,240 (722,160 + 240,720 + 120,360)   health no (S is not the 1st)
      Feb 1,444,320 (20 d + 4 weeks) × 60,180        Mar, Apr, May 1,564,680 each
      Jun 1,865,580 (1,143,420 + 120,360 + 300,900 + payout 300,900)
    Health settlement (Feb–Jun, N = 5): T = 1,444,320 + 3 × 1,564,680 + 1,865,580
      = 8,003,940; A = 1,600,788; Floor10(A × 3.545 % = 56,747.9) = 56,740 × 5 = 283,700;
      charged 5 × 55,460 = 277,300 → +6,400.
    Long-term care: Floor10(56,740 × 12.95 % = 7,347.8) = 7,340 × 5 = 36,700;
      charged 5 × 7,180 = 35,900 → +800.
    Income tax 2025:
      1. G = 1,083,240 + 1,444,320 + 3 × 1,564,680 + 1,865,580 = 9,087,180
      2. deduction = 3,500,000 + 40 % × (9,087,180 − 5,000,000) = 5,134,872; I = 3,952,308
      3. P = 1,500,000; pension = 5 × 70,380 = 351,900; insurance = health 283,700 +
         care 36,700 + employment (9,740 + 12,990 + 3 × 14,080 + 16,790 = 81,760) = 402,160
      4. A: base 3,952,308 − 1,500,000 − 351,900 − 402,160 = 1,698,248
         B: base 3,952,308 − 1,500,000 − 351,900 = 2,100,408
      5. A: 6 % → 101,894; B: 6 % → 126,024
      6. credit 55 %: A 56,041; B 69,313 (limit 740,000, G ≤ 33 M)
      7. no children
      8. A: Floor10(101,894 − 56,041) = 45,850; B: max(0, 126,024 − 69,313 − 130,000) = 0
         → B wins: final tax 0, local 0
      9. withheld 1,320 (row 1,080) + 7,630 (row 1,440) + 3 × 10,160 + 16,350 (row 1,860)
         = 55,780 → −55,780; local 130 + 760 + 3 × 1,010 + 1,630 = 5,550 → −5,550
    """
    june = slip(H1, "2025-06")
    assert amounts(june.earnings) == {
        "base_pay": 1_143_420,
        "holiday_pay": 120_360,
        "weekly_allowance": 300_900,
        "annual_leave_payout": 300_900,
        "expense_allowance": 114_000,
    }
    assert amounts(june.deductions) == {
        "national_pension": 70_380,  # on D, not on June's 1,865,580
        "health_insurance": 55_460,
        "long_term_care": 7_180,
        "employment_insurance": 16_790,  # Floor10(1,865,580 × 0.9 % = 16,790.2)
        "income_tax": 16_350,  # row 1,860–1,870
        "local_income_tax": 1_630,
        "health_insurance_settlement": 6_400,
        "long_term_care_settlement": 800,
        "income_tax_settlement": -55_780,
        "local_income_tax_settlement": -5_550,
    }
    assert june.gross == 1_979_580
    assert june.total_deductions == 113_660
    assert june.net == 1_865_920
    employer = amounts(june.employer)
    assert employer["health_insurance_settlement"] == 6_400  # §10: equal to the employee's
    assert employer["long_term_care_settlement"] == 800
    s = june.settlement
    assert isinstance(s, Settlement)
    tax = s.income_tax
    assert (tax.total_pay, tax.earned_income_deduction, tax.earned_income) == (
        9_087_180,
        5_134_872,
        3_952_308,
    )
    assert (tax.pension_deduction, tax.insurance_deduction) == (351_900, 402_160)
    assert (tax.way_a.base, tax.way_a.tax, tax.way_a.earned_income_credit) == (
        1_698_248,
        101_894,
        56_041,
    )
    assert tax.way_a.final_tax == 45_850
    assert (tax.way_b.base, tax.way_b.tax, tax.way_b.earned_income_credit) == (
        2_100_408,
        126_024,
        69_313,
    )
    assert tax.chosen.name == "B" and tax.final_tax == 0
    assert [step for step, _ in tax.steps()] == [
        "총급여",
        "근로소득공제",
        "과세표준",
        "산출세액",
        "세액공제",
        "결정세액",
        "기납부세액",
        "차감",
    ]


def test_june_alone_equals_june_after_the_other_months() -> None:
    """The final month computes the months it was not given (calc asks for June only)."""
    alone = calculate_enrollment(
        PayContext(H1, (), None, RATES, CALENDAR, TABLE), months=["2025-06"]
    )[0]
    all_months = calculate_enrollment(PayContext(H1, (), None, RATES, CALENDAR, TABLE))[-1]
    assert alone.deductions == all_months.deductions


def test_year_to_date_of_an_earlier_enrollment_counts() -> None:
    """§13: an earlier enrollment's 3,000,000 taxable and 20,000 withheld join June's year.
    G = 12,087,180 → deduction 3,500,000 + 40 % × 7,087,180 = 6,334,872, I = 5,752,308;
    B: base 5,752,308 − 1,500,000 − 351,900 = 3,900,408 → 234,024; credit 128,713;
    234,024 − 128,713 − 130,000 < 0 → 0 (A: base 3,900,408 − 402,160 = 3,498,248 → 209,894,
    credit 115,441 → 94,450). Refund = 0 − (55,780 + 20,000) = −75,780; local −(5,550 + 2,000).
    """
    ytd = YearToDate(taxable=3_000_000, income_tax=20_000, local_income_tax=2_000)
    june = slip(H1, "2025-06", year_to_date=ytd)
    deductions = amounts(june.deductions)
    assert deductions["income_tax_settlement"] == -75_780
    assert deductions["local_income_tax_settlement"] == -7_550


def test_maeryeok_april_with_two_children_and_three_dependants() -> None:
    """§6, §9: S = 2025-04-01, W = D = 209 h × 11,779 = 2,461,811.
    pension Floor10(2,461,000 × 4.5 % = 110,745) = 110,740; health Floor10(2,461,811 ×
    3.545 % = 87,271.2) = 87,270; care Floor10(87,270 × 12.95 % = 11,301.5) = 11,300;
    employment Floor10(22,156.3) = 22,150; income tax: row 2,460–2,470, 3 dependants
    15,730 less 2 children 29,160 (pay date 2025-05-10) → 0, never below 0."""
    e = enrollment("2025-04-01", "2025-12-31", program="maeryeok", birth="1990-06-15",
                   dependents=3, children=2)  # fmt: skip
    april = slip(e, "2025-04")
    assert amounts(april.earnings) == {"base_salary": 2_461_811}
    assert amounts(april.deductions) == {
        "national_pension": 110_740,
        "health_insurance": 87_270,
        "long_term_care": 11_300,
        "employment_insurance": 22_150,
    }
    assert april.net == 2_461_811 - 231_460
    one_child = slip(replace(e, children=1), "2025-04")
    assert amounts(one_child.deductions)["income_tax"] == 3_230  # 15,730 − 12,500
    assert amounts(one_child.deductions)["local_income_tax"] == 320


def test_2026_child_reduction_goes_by_the_pay_date() -> None:
    """§9: 매력 2026, W = D = 209 × 12,121 = 2,533,289, row 2,530–2,540, 2 dependants
    29,630, 1 child. January is paid 2026-02-10: less 12,500 = 17,130. February is paid
    2026-03-10 and March 2026-04-10: less 20,830 = 8,800."""
    e = enrollment("2026-01-01", "2026-06-30", program="maeryeok", birth="1990-06-15",
                   dependents=2, children=1)  # fmt: skip
    taxes = {
        m: amounts(slip(e, m).deductions)["income_tax"] for m in ("2026-01", "2026-02", "2026-03")
    }
    assert taxes == {"2026-01": 17_130, "2026-02": 8_800, "2026-03": 8_800}
    assert amounts(slip(e, "2026-03").deductions)["local_income_tax"] == 880


def test_employer_contribution_for_a_participant_hired_at_65() -> None:
    """§10: born 1960-01-10, 65 on S = 2025-01-10: employer employment insurance is the
    job-stability part only, Floor10(1,564,680 × 0.85 % = 13,299.8) = 13,290; 산재
    Floor10(1,564,680 × 0.96 % = 15,020.9) = 15,020; no employee employment insurance."""
    march = slip(enrollment(birth="1960-01-10"), "2025-03")
    employer = amounts(march.employer)
    assert employer["employment_insurance"] == 13_290
    assert employer["industrial_accident"] == 15_020
    assert "employment_insurance" not in amounts(march.deductions)
    assert any("65세" in note for note in march.notes)
    assert any("60세" in note for note in march.notes)  # 65 ≥ 60: no pension either


def test_meal_allowance_above_the_cap() -> None:
    """§5: with 11,000 won a day, March's 20 days give 220,000: 200,000 non-taxable and
    20,000 as expense_allowance_taxable. Taxable 1,564,680 + 20,000 = 1,584,680:
    employment Floor10(14,262.1) = 14,260; income tax row 1,580–1,590: 10,570; pension and
    health stay on D."""
    year = RATES.program_years[("dongheng", 2025)]
    rates = replace(
        RATES,
        program_years={
            **RATES.program_years,
            ("dongheng", 2025): replace(year, daily_expense_allowance=11_000),
        },
    )
    march = slip(H1, "2025-03", rates=rates)
    earnings = amounts(march.earnings)
    assert earnings["expense_allowance"] == 200_000
    assert earnings["expense_allowance_taxable"] == 20_000
    assert march.taxable == march.insurable == 1_584_680
    assert march.non_taxable == 200_000 and march.gross == 1_784_680
    deductions = amounts(march.deductions)
    assert deductions["employment_insurance"] == 14_260
    assert deductions["income_tax"] == 10_570
    assert deductions["health_insurance"] == 55_460
    assert amounts(march.employer)["industrial_accident"] == 15_210  # 1,584,680 × 0.96 %


def test_first_partial_month_says_why_health_is_absent() -> None:
    january = slip(H1, "2025-01")
    assert "health_insurance" not in amounts(january.deductions)
    assert any("1일 재직 아님" in note for note in january.notes)


def test_declared_monthly_pay_from_the_roster_is_used() -> None:
    """§9: D given as 1,600,000: pension 1,600,000 × 4.5 % = 72,000; health Floor10(56,720)."""
    march = slip(enrollment(declared=1_600_000), "2025-03")
    deductions = amounts(march.deductions)
    assert deductions["national_pension"] == 72_000
    assert deductions["health_insurance"] == 56_720
    assert march.declared_monthly_pay == 1_600_000
