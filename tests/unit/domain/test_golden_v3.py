"""Golden cases of rulebook v3, worked by hand (how-pay-is-calculated.md §5–§9, §13).

v3: a schedule under 15 hours a week has no paid holidays, weekly allowance or annual
leave, and no weekly-allowance hours in §6's monthly hours or in D (근로기준법 §18③);
a monthly income tax under 1,000 won is not withheld (소득세법 §86); insurance is never
charged on a negative month. Income taxes are cells of the shipped official table.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from payroll.domain.declared_pay import declared_monthly_pay
from payroll.domain.deductions import income_tax
from payroll.domain.engine import (
    PayContext,
    calculate_enrollment,
    calculate_month,
    validate_attendance,
)
from payroll.domain.model import AttendanceError
from payroll.domain.monthly import monthly_hours
from payroll.domain.settlement import Settlement
from payroll.domain.tax_year import PerChild
from payroll.reference.withholding_data import shipped_withholding_table
from tests.support.pay import (
    CALENDAR,
    RATES,
    absent,
    amounts,
    annual_leave,
    enrollment,
    explanation,
    official_leave,
    worked,
)

TABLE = shipped_withholding_table()
TUE_THU_FRI = frozenset({1, 3, 4})
# 4 h on Tuesday, Thursday and Friday: 12 h a week, 2026 minimum wage 10,320.
PART_TIME = enrollment(
    "2026-07-01", "2026-12-31", daily_hours="4", weekdays=TUE_THU_FRI, participant="P-12H"
)


def slip(e, month, attendance=()):  # type: ignore[no-untyped-def]
    return calculate_month(PayContext(e, attendance, month, RATES, CALENDAR, TABLE))


def test_12_hour_week_in_a_month_with_a_public_holiday() -> None:
    """§5, §7, §9 v3 — October 2026, 4 h × Tue/Thu/Fri from 2026-07-01.

    Scheduled days: 1, 2, 6, 8, 9, 13, 15, 16, 20, 22, 23, 27, 29, 30 October = 14;
    9 October (한글날, Friday) is a public holiday (3 Oct is a Saturday, its substitute
    5 Oct a Monday: not scheduled). 13 days worked.
      base_pay = 13 × 4 h × 10,320 = 536,640
      holiday_pay: none (§5 v3; v2 paid 4 h × 10,320 = 41,280)
      weekly_allowance: none (§7 condition 1: 12 h < 15 h)
      expense_allowance = 13 × 6,000 = 78,000; gross 614,640
    D = round(12 × 365 / 7 / 12 = 52.14) = 52 h × 10,320 = 536,640 (§9 v3: no
    weekly-allowance hours; v2 had round(14.4 × 365 / 84) = 63 h).
    §9: 12 × 365 / 84 = 52.1 h a month < 60: no pension, health or care.
      employment = Floor10(536,640 × 0.9 % = 4,829.76) = 4,820; income tax 0 (< 1,060,000)
    §10: employment Floor10(536,640 × 1.75 % = 9,391.2) = 9,390;
      accident Floor10(536,640 × 0.96 % = 5,151.7) = 5,150
    """
    october = slip(PART_TIME, "2026-10")
    assert amounts(october.earnings) == {"base_pay": 536_640, "expense_allowance": 78_000}
    assert amounts(october.deductions) == {"employment_insurance": 4_820}
    assert amounts(october.employer) == {
        "employment_insurance": 9_390,
        "industrial_accident": 5_150,
    }
    assert october.net == 614_640 - 4_820
    assert october.facts.paid_holidays == 1
    assert october.facts.weekly_allowance_weeks == 0
    assert october.declared_monthly_pay == 536_640
    assert declared_monthly_pay(PART_TIME, RATES) == 52 * 10_320
    assert "주 소정근로 12시간(15시간 미만): 유급휴일·주휴수당·연차 없음" in " ".join(october.notes)


def test_12_hour_week_final_month_has_no_leave_payout() -> None:
    """§8, §13 v3 — December 2026, the final month of the same enrollment.

    v2 accrued 1 Aug … 1 Dec = 5 days and paid 5 × 4 h × 10,320 = 206,400 here; v3
    accrues none. Scheduled: 1, 3, 4, 8, 10, 11, 15, 17, 18, 22, 24, 25, 29, 31 Dec = 14;
    25 Dec (기독탄신일) is a holiday, unpaid under 15 h: 13 days worked.
      base_pay 13 × 4 × 10,320 = 536,640; meal 78,000; employment 4,820 (as October)
    §13 income tax 2026 (taxable = base_pay of each month; holidays 17 Jul 제헌절,
    24–25 Sep 추석, 9 Oct, 25 Dec fall on scheduled days):
      Jul 13 d 536,640; Aug 12 d 495,360; Sep 11 d 454,080; Oct 536,640; Nov 12 d
      495,360; Dec 536,640 → G = 3,054,720
      deduction 70 % = 2,138,304; I = 916,416 < P 1,500,000 → base 0, final tax 0
      withheld 0 (every month under 1,060,000) → settlement 0: no lines.
    No health months (52 h a month < 60): no health settlement.
    """
    slips = calculate_enrollment(PayContext(PART_TIME, (), None, RATES, CALENDAR, TABLE))
    assert [s.taxable for s in slips] == [536_640, 495_360, 454_080, 536_640, 495_360, 536_640]
    december = slips[-1]
    assert amounts(december.earnings) == {"base_pay": 536_640, "expense_allowance": 78_000}
    assert amounts(december.deductions) == {"employment_insurance": 4_820}
    assert december.leave.accrued == 0 and december.leave.balance == 0
    assert isinstance(december.settlement, Settlement)
    assert december.settlement.income_tax.total_pay == 3_054_720
    assert december.settlement.income_tax.final_tax == 0
    assert december.net == 609_820
    assert all(s.leave.accrued == 0 for s in slips)


def test_holiday_worked_under_15_hours_pays_the_premium_only() -> None:
    """§5 v3: no ``holiday_pay``, but a paid holiday worked still pays ``holiday_work_pay``.

    25 Dec 2026 worked 4 h: 4 × 10,320 × 1.5 = 61,920; the day counts for the meal
    allowance: 14 × 6,000 = 84,000. base_pay unchanged (13 ordinary days), 536,640.
    """
    december = slip(PART_TIME, "2026-12", [worked("2026-12-25", 4)])
    assert amounts(december.earnings) == {
        "base_pay": 536_640,
        "holiday_work_pay": 61_920,
        "expense_allowance": 84_000,
    }


def test_annual_leave_under_15_hours_is_refused_naming_the_rule() -> None:
    """§8 v3: no leave accrues under 15 h a week, so an annual_leave day is refused."""
    with pytest.raises(AttendanceError) as refused:
        validate_attendance(PART_TIME, [annual_leave("2026-11-03")], RATES, CALENDAR)
    assert refused.value.day == date(2026, 11, 3)
    assert refused.value.participant == "P-12H"
    assert "15시간 미만" in refused.value.reason
    assert "근로기준법 제18조 제3항" in refused.value.reason
    # official leave (공가) stays allowed and paid (§5 paid_leave_pay: 4 h × 10,320)
    november = slip(PART_TIME, "2026-11", [official_leave("2026-11-03")])
    assert amounts(november.earnings)["paid_leave_pay"] == 41_280


def test_monthly_basis_under_15_hours_has_no_allowance_hours() -> None:
    """§6 v3: monthly hours = round(weekly hours × 365 / 7 / 12) with 0 allowance hours.

    매력 4 h × Tue/Thu/Fri = 12 h: round(52.14) = 52 h; W 2026 = 52 × 12,121 = 630,292
    (v2: 63 h). An absence costs H × r only (no week is lost: none earns the allowance):
    −4 × 12,121 = −48,484.
    """
    assert monthly_hours(Decimal(12)) == 52
    assert monthly_hours(Decimal(15)) == 78  # (15 + 3) × 365 / 84 = 78.2: ≥ 15 h keeps them
    e = enrollment(
        "2026-03-01", "2026-12-31", program="maeryeok", daily_hours="4", weekdays=TUE_THU_FRI
    )
    april = slip(e, "2026-04", [absent("2026-04-14")])
    assert amounts(april.earnings) == {"base_salary": 630_292, "absence_deduction": -48_484}
    assert april.declared_monthly_pay == 630_292


def test_income_tax_falling_to_590_won_is_not_withheld() -> None:
    """§9 v3 small amounts — 동행 November 2025, S = 2025-07-01, 2 dependants, 1 child.

    November 2025: 20 weekdays, no holiday; weeks ending 2, 9, 16, 23, 30 Nov all earned.
    14 days worked 8 h (3–7, 10–14, 17–20 Nov): 28 overtime hours.
      base_pay 20 × 6 × 10,030 = 1,203,600; overtime 28 × 10,030 × 1.5 = 421,260;
      weekly allowance 5 × 6 × 10,030 = 300,900; meal 20 × 6,000 = 120,000
      taxable = 1,925,760; table row 1,920–1,930, 2 dependants: 13,090
      pay date 2025-12-10 (before 2026-03-01): 1 child 12,500 → 590 < 1,000 → 0, local 0
      (v2 withheld 590 + 50)
      pension 1,564,000 × 4.5 % = 70,380; health Floor10(1,564,680 × 3.545 %) = 55,460;
      care Floor10(55,460 × 12.95 %) = 7,180; employment Floor10(17,331.8) = 17,330
      net = 2,045,760 − 150,350 = 1,895,410
    """
    e = enrollment("2025-07-01", "2025-12-20", dependents=2, children=1)
    days = [f"2025-11-{d:02d}" for d in (3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 17, 18, 19, 20)]
    november = slip(e, "2025-11", [worked(d, 8) for d in days])
    assert november.taxable == 1_925_760
    assert TABLE.tax(1_925_760, 2) == 13_090
    assert amounts(november.deductions) == {
        "national_pension": 70_380,
        "health_insurance": 55_460,
        "long_term_care": 7_180,
        "employment_insurance": 17_330,
    }
    assert november.net == 1_895_410


def test_small_tax_line_says_why_and_1_000_won_is_withheld() -> None:
    """§9 v3: under 1,000 won after the reduction → 0 (소액부징수); 1,000 itself is kept."""
    per_child = PerChild(12_500, 29_160, 25_000)
    zero = income_tax(1_925_760, 2, TABLE, 1, per_child)
    assert zero.amount == 0 and "소액부징수" in zero.explanation

    class Flat:
        def __init__(self, tax: int) -> None:
            self.value = tax

        def tax(self, taxable_pay: int, dependents: int) -> int:
            return self.value

    assert income_tax(1_500_000, 1, Flat(999)).amount == 0
    assert income_tax(1_500_000, 1, Flat(1_000)).amount == 1_000
    assert income_tax(1_500_000, 1, Flat(13_500), 1, per_child).amount == 1_000


def test_sunday_ending_negative_month_charges_insurance_on_zero() -> None:
    """§6, §7, §9 v3, §13 — 매력 S = 2026-02-03 (Tue), E = 2026-03-01 (Sunday), absent
    Wednesday 25 February. 2026: r = 12,121, W = 209 × 12,121 = 2,533,289.

    February: base 2,533,289 × 26 / 28 = 2,352,339.8 → 2,352,339; absence 8 × 12,121 =
      −96,968 (week 23 Feb – 1 Mar ends in March); insurable 2,255,371.
      The enrollment is shorter than a month (E < S + 1 month − 1 day = 2 Mar): no pension
      or health in any month. employment Floor10(20,298.3) = 20,290; income tax row
      2,250–2,260, 1 dependant: 27,560; local 2,750.
      Employer: Floor10(2,255,371 × 1.75 % = 39,469.0) = 39,460; Floor10(× 0.96 % =
      21,651.6) = 21,650.
    March: base 2,533,289 × 1 / 31 = 81,719; the week 23 Feb – 1 Mar is covered (S ≤ Mon,
      E = Sun) and has the absence: −8 × 12,121 = −96,968 → insurable −15,249.
      employment insurance and the employer's employment and accident on max(0, −15,249)
      = 0: no lines; income tax 0.
      §13: G = 2,255,371 − 15,249 = 2,240,122; deduction 70 % = 1,568,085; I = 672,037
      < P → final 0; withheld 27,560 / 2,750 → −27,560 and −2,750 (refunds).
      net = −15,249 − (−30,310) = 15,061.
    """
    e = enrollment("2026-02-03", "2026-03-01", program="maeryeok", birth="1985-01-01")
    february, march = calculate_enrollment(
        PayContext(e, [absent("2026-02-25")], None, RATES, CALENDAR, TABLE)
    )
    assert amounts(february.earnings) == {
        "base_salary": 2_352_339,
        "absence_deduction": -96_968,
    }
    assert amounts(february.deductions) == {
        "employment_insurance": 20_290,
        "income_tax": 27_560,
        "local_income_tax": 2_750,
    }
    assert amounts(february.employer) == {
        "employment_insurance": 39_460,
        "industrial_accident": 21_650,
    }
    assert amounts(march.earnings) == {"base_salary": 81_719, "absence_deduction": -96_968}
    assert "3/1 주" in explanation(march.earnings, "absence_deduction")
    assert march.insurable == -15_249
    assert amounts(march.deductions) == {
        "income_tax_settlement": -27_560,
        "local_income_tax_settlement": -2_750,
    }
    assert march.employer == ()
    assert march.net == 15_061
