"""Monthly-basis payslips (maeryeok, how-pay-is-calculated.md §6), golden cases worked by hand."""

from __future__ import annotations

from decimal import Decimal

from payroll.domain.monthly import monthly_hours
from tests.support.pay import (
    absent,
    amounts,
    annual_leave,
    enrollment,
    explanation,
    payslip,
    worked,
)

TERM = enrollment("2025-03-01", "2025-12-31", program="maeryeok")
W_2025 = 2_461_811  # §6: 209 × 11,779


def test_monthly_hours() -> None:
    assert monthly_hours(Decimal(40)) == 209  # (40 + 8) × 365 / 7 / 12 = 208.57
    assert monthly_hours(Decimal(30)) == 156  # (30 + 6) × 365 / 7 / 12 = 156.43
    assert monthly_hours(Decimal(20)) == 104  # (20 + 4) × 365 / 7 / 12 = 104.29


def test_full_month() -> None:
    """§6: 209 × 11,779 = 2,461,811; holidays, leave and allowance are inside W."""
    slip = payslip(TERM, "2025-05")  # May holds 1, 5, 6 May holidays: no separate lines
    assert amounts(slip.earnings) == {"base_salary": W_2025}
    assert explanation(slip.earnings, "base_salary") == "209시간 × 11,779원"
    assert amounts(slip.deductions) == {
        "national_pension": 110_740,  # 2,461,000 × 4.5 % = 110,745
        "health_insurance": 87_270,  # 2,461,811 × 3.545 % = 87,271.2
        "long_term_care": 11_300,  # 87,270 × 12.95 % = 11,301.5
        "employment_insurance": 22_150,  # 2,461,811 × 0.9 % = 22,156.3
        "income_tax": 24_000,  # fake table
        "local_income_tax": 2_400,
    }
    assert slip.net == W_2025 - 257_860
    assert slip.hourly_rate == 11_779


def test_partial_first_month() -> None:
    """§6, §9: S = 15 April: 16 of 30 days; employment insurance only."""
    e = enrollment("2025-04-15", "2025-12-31", program="maeryeok")
    slip = payslip(e, "2025-04")
    # 2,461,811 × 16 / 30 = 1,312,965.87
    assert amounts(slip.earnings) == {"base_salary": 1_312_965}
    assert explanation(slip.earnings, "base_salary") == "209시간 × 11,779원 × 16/30일"
    assert amounts(slip.deductions) == {
        "employment_insurance": 11_810,  # 1,312,965 × 0.9 % = 11,816.7
        "income_tax": 13_000,
        "local_income_tax": 1_300,
    }
    # May is a full month and carries pension, health and long-term care.
    may = payslip(e, "2025-05")
    assert amounts(may.earnings) == {"base_salary": W_2025}
    assert "national_pension" in amounts(may.deductions)


def test_partial_last_month_with_leave_payout() -> None:
    e = enrollment("2025-03-01", "2025-10-15", program="maeryeok")
    slip = payslip(e, "2025-10")
    assert amounts(slip.earnings) == {
        "base_salary": 1_191_198,  # 2,461,811 × 15 / 31 = 1,191,198.9
        "annual_leave_payout": 659_624,  # 1 Apr … 1 Oct: 7 days × 8 h × 11,779
    }


def test_absences_deduct_the_day_and_the_lost_weekly_allowance() -> None:
    """§6: absent Tue 13 and Wed 14 May (same week, ending 18 May)."""
    slip = payslip(TERM, "2025-05", [absent("2025-05-13"), absent("2025-05-14")])
    # 2 × 8 h × 11,779 = 188,464; 1 lost week × 8 h × 11,779 = 94,232
    assert amounts(slip.earnings) == {"base_salary": W_2025, "absence_deduction": -282_696}
    assert slip.gross == 2_179_115
    assert explanation(slip.earnings, "absence_deduction") == (
        "-(결근 2일 × 8시간 × 11,779원 + 주휴 1주 × 8시간 × 11,779원 (5/18 주))"
    )
    assert slip.facts.absent_days == 2


def test_lost_week_is_deducted_in_the_month_of_its_sunday() -> None:
    """Absent Fri 30 May: the day in May, the week 26 May – 1 June in June."""
    attendance = [absent("2025-05-30")]
    may = payslip(TERM, "2025-05", attendance)
    assert amounts(may.earnings)["absence_deduction"] == -94_232  # 8 h × 11,779
    june = payslip(TERM, "2025-06", attendance)
    assert amounts(june.earnings)["absence_deduction"] == -94_232  # lost week, 8 h × 11,779


def test_a_week_never_eligible_is_not_lost() -> None:
    """§7 conditions 1–2 fail for a week joined mid-week: an absence there costs the day only."""
    slip = payslip(TERM, "2025-03", [absent("2025-03-04")])  # S = Sat 1 March, week eligible
    assert amounts(slip.earnings)["absence_deduction"] == -(8 * 11_779 + 8 * 11_779)
    e = enrollment("2025-03-05", "2025-12-31", program="maeryeok")
    # S = Wed 5 March: the week ending 9 March is not eligible, absence costs the day only.
    slip = payslip(e, "2025-03", [absent("2025-03-06")])
    assert amounts(slip.earnings)["absence_deduction"] == -8 * 11_779


def test_overtime_and_holiday_work_on_the_monthly_basis() -> None:
    attendance = [worked("2025-05-13", 10), worked("2025-05-05", 8)]
    slip = payslip(TERM, "2025-05", attendance)
    assert amounts(slip.earnings) == {
        "base_salary": W_2025,
        "overtime_pay": 35_337,  # 2 h × 11,779 × 1.5
        "holiday_work_pay": 141_348,  # 8 h × 11,779 × 1.5
    }


def test_short_day_and_leave_do_not_change_the_monthly_wage() -> None:
    """§6 deducts only absences: a short day or a leave day is inside W."""
    attendance = [worked("2025-05-13", 4), annual_leave("2025-05-14")]
    assert amounts(payslip(TERM, "2025-05", attendance).earnings) == {"base_salary": W_2025}


def test_december_pays_out_unused_leave() -> None:
    slip = payslip(TERM, "2025-12")
    # S = 1 March: 1 Apr … 1 Dec = 9 days (1 Jan 2026 > E) × 8 h × 11,779
    assert amounts(slip.earnings) == {"base_salary": W_2025, "annual_leave_payout": 848_088}
    assert (slip.leave.accrued, slip.leave.balance) == (9, 9)
