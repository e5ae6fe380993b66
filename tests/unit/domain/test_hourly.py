"""Hourly-basis payslips (dongheng, how-pay-is-calculated.md §5, §7–§9), golden cases by hand.

Unit tests use FakeTaxTable (1,000 won per full 100,000 won); the shipped table is
checked in test_golden_withholding.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from payroll.domain.engine import PayContext, calculate_enrollment
from payroll.domain.model import Adjustment, MonthFacts, PayrollError
from tests.support.pay import (
    CALENDAR,
    FAKE_TAX,
    RATES,
    absent,
    amounts,
    annual_leave,
    enrollment,
    explanation,
    official_leave,
    payslip,
    worked,
)

H1 = enrollment("2025-01-10", "2025-06-30")


def test_section_12_march_2025_example() -> None:
    """§12 exactly: no records, 21 weekdays, 3 March is the substitute holiday."""
    slip = payslip(H1, "2025-03")
    assert amounts(slip.earnings) == {
        "base_pay": 1_203_600,  # 20 days × 6 h × 10,030
        "holiday_pay": 60_180,  # 1 × 6 h × 10,030
        "weekly_allowance": 300_900,  # weeks ending 2, 9, 16, 23, 30 March: 5 × 6 h × 10,030
        "expense_allowance": 120_000,  # 20 × 6,000
    }
    assert slip.gross == 1_684_680
    assert slip.insurable == slip.taxable == 1_564_680
    assert slip.non_taxable == 120_000
    deductions = amounts(slip.deductions)
    assert deductions["national_pension"] == 70_380  # 1,564,000 × 4.5 %
    assert deductions["health_insurance"] == 55_460  # 1,564,680 × 3.545 % = 55,467.9
    assert deductions["long_term_care"] == 7_180  # 55,460 × 12.95 % = 7,182.1
    assert deductions["employment_insurance"] == 14_080  # 1,564,680 × 0.9 % = 14,082.1
    assert deductions["income_tax"] == 15_000  # fake table: 15 × 1,000
    assert deductions["local_income_tax"] == 1_500  # 15,000 × 10 %
    assert slip.total_deductions == 70_380 + 55_460 + 7_180 + 14_080 + 15_000 + 1_500
    assert slip.net == 1_684_680 - slip.total_deductions
    assert slip.hourly_rate == 10_030
    assert slip.facts == MonthFacts(
        scheduled_days=21,
        worked_days=20,
        worked_hours=120,
        paid_holidays=1,
        weekly_allowance_weeks=5,
        absent_days=0,
        leave_days=0,
    )
    assert slip.leave.accrued == 2  # 10 Feb, 10 Mar (§8)


def test_section_12_explanations_show_the_arithmetic() -> None:
    slip = payslip(H1, "2025-03")
    assert explanation(slip.earnings, "base_pay") == "20일 × 6시간 × 10,030원"
    assert explanation(slip.earnings, "holiday_pay").startswith("1일 × 6시간 × 10,030원")
    assert "3/3 삼일절 대체 휴일" in explanation(slip.earnings, "holiday_pay")
    assert explanation(slip.earnings, "weekly_allowance") == (
        "주 5회 × 6시간 × 10,030원 (3/2, 3/9, 3/16, 3/23, 3/30 주)"
    )
    assert explanation(slip.earnings, "expense_allowance") == "20일 × 6,000원"
    assert explanation(slip.deductions, "national_pension") == "기준소득월액 1,564,000원 × 4.5%"
    assert explanation(slip.deductions, "health_insurance") == "보수월액 1,564,680원 × 3.545%"
    assert explanation(slip.deductions, "long_term_care") == "55,460원 × 12.95%"
    assert explanation(slip.deductions, "employment_insurance") == "1,564,680원 × 0.9%"
    assert explanation(slip.deductions, "local_income_tax") == "15,000원 × 10%"


def test_earnings_and_deductions_come_in_the_stable_order() -> None:
    slip = payslip(H1, "2025-06", [annual_leave("2025-06-10")])
    assert [line.code for line in slip.earnings] == [
        "base_pay",
        "holiday_pay",
        "paid_leave_pay",
        "weekly_allowance",
        "annual_leave_payout",
        "expense_allowance",
    ]
    assert [line.code for line in slip.deductions] == [
        "national_pension",
        "health_insurance",
        "long_term_care",
        "employment_insurance",
        "income_tax",
        "local_income_tax",
        "health_insurance_settlement",  # June is the final month (§13)
        "long_term_care_settlement",
        "income_tax_settlement",
        "local_income_tax_settlement",
    ]


def test_january_mid_month_start() -> None:
    """§7, §9, §12: S = Fri 10 Jan; no allowance for 6–12 Jan; employment insurance only."""
    slip = payslip(H1, "2025-01")
    # Scheduled 10, 13–17, 20–24, 27–31 Jan = 16 days; 27 (임시공휴일), 28–30 (설날) paid holidays.
    assert amounts(slip.earnings) == {
        "base_pay": 722_160,  # 12 days × 6 h × 10,030
        "holiday_pay": 240_720,  # 4 × 6 h × 10,030
        "weekly_allowance": 120_360,  # weeks ending 19, 26 Jan only: 2 × 6 h × 10,030
        "expense_allowance": 72_000,  # 12 × 6,000
    }
    assert "1/12" not in explanation(slip.earnings, "weekly_allowance")
    assert slip.gross == 1_155_240
    assert amounts(slip.deductions) == {
        "employment_insurance": 9_740,  # 1,083,240 × 0.9 % = 9,749.16
        "income_tax": 10_000,  # fake table
        "local_income_tax": 1_000,
    }
    assert slip.net == 1_155_240 - 20_740


def test_june_last_month_pays_out_unused_leave() -> None:
    """§7, §8: E = Mon 30 June; 23–29 June earns the allowance, 30 June's week does not."""
    slip = payslip(H1, "2025-06")
    # June: 21 weekdays, 3 June (election) and 6 June (현충일) paid holidays.
    assert amounts(slip.earnings) == {
        "base_pay": 1_143_420,  # 19 × 6 h × 10,030
        "holiday_pay": 120_360,  # 2 × 6 h × 10,030
        "weekly_allowance": 300_900,  # weeks ending 1, 8, 15, 22, 29 June: 5 × 6 h × 10,030
        "annual_leave_payout": 300_900,  # 5 unused days (10 Feb … 10 Jun) × 6 h × 10,030
        "expense_allowance": 114_000,  # 19 × 6,000
    }
    assert explanation(slip.earnings, "weekly_allowance").endswith(
        "(6/1, 6/8, 6/15, 6/22, 6/29 주)"
    )
    assert slip.insurable == 1_865_580
    monthly = {k: v for k, v in amounts(slip.deductions).items() if not k.endswith("_settlement")}
    assert monthly == {  # §9 v2: pension and health on D = 1,564,680, not on June's pay
        "national_pension": 70_380,  # 1,564,000 × 4.5 %
        "health_insurance": 55_460,  # 1,564,680 × 3.545 % = 55,467.9
        "long_term_care": 7_180,  # 55,460 × 12.95 % = 7,182.1
        "employment_insurance": 16_790,  # 1,865,580 × 0.9 % = 16,790.2
        "income_tax": 18_000,
        "local_income_tax": 1_800,
    }
    assert slip.leave.accrued == 5 and slip.leave.used == 0 and slip.leave.balance == 5
    # No month after E: 30 June's week is never paid.
    with pytest.raises(PayrollError, match="outside the enrollment"):
        payslip(H1, "2025-07")


def test_june_payout_counts_only_unused_days() -> None:
    attendance = [annual_leave("2025-04-14"), annual_leave("2025-06-10")]
    slip = payslip(H1, "2025-06", attendance)
    earnings = amounts(slip.earnings)
    assert earnings["paid_leave_pay"] == 60_180  # 10 June: 1 × 6 h × 10,030
    assert earnings["base_pay"] == 18 * 6 * 10_030
    assert earnings["annual_leave_payout"] == 180_540  # (5 − 2) × 6 h × 10,030
    assert earnings["expense_allowance"] == 18 * 6_000  # leave is not a day worked
    assert (slip.leave.accrued, slip.leave.used, slip.leave.balance) == (5, 2, 3)


def test_h2_enrollment_ending_saturday_20_december() -> None:
    """§7: E = Sat 20 Dec; 15–21 Dec does not earn the allowance."""
    h2 = enrollment("2025-07-01", "2025-12-20")
    slip = payslip(h2, "2025-12")
    assert amounts(slip.earnings) == {
        "base_pay": 902_700,  # 15 days (1–5, 8–12, 15–19 Dec) × 6 h × 10,030
        "weekly_allowance": 120_360,  # weeks ending 7, 14 Dec: 2 × 6 h × 10,030
        "annual_leave_payout": 300_900,  # 1 Aug, Sep, Oct, Nov, Dec: 5 × 6 h × 10,030
        "expense_allowance": 90_000,  # 15 × 6,000
    }
    assert "12/21" not in explanation(slip.earnings, "weekly_allowance")
    assert slip.insurable == 1_323_960
    deductions = amounts(slip.deductions)
    # §9 v2: pension and health on D = 156 h × 10,030 = 1,564,680
    assert deductions["national_pension"] == 70_380  # 1,564,000 × 4.5 %
    assert deductions["health_insurance"] == 55_460  # 1,564,680 × 3.545 % = 55,467.9
    assert deductions["long_term_care"] == 7_180  # 55,460 × 12.95 % = 7,182.1
    assert deductions["employment_insurance"] == 11_910  # 1,323,960 × 0.9 % = 11,915.6


def test_absence_cancels_weekly_allowance_and_leave_accrual() -> None:
    """§4, §7, §8: absent Wed 12 March."""
    attendance = [absent("2025-03-12")]
    march = payslip(H1, "2025-03", attendance)
    assert amounts(march.earnings) == {
        "base_pay": 1_143_420,  # 19 × 6 h × 10,030
        "holiday_pay": 60_180,
        "weekly_allowance": 240_720,  # week of 10–16 March lost: 4 × 6 h × 10,030
        "expense_allowance": 114_000,  # 19 × 6,000
    }
    assert "3/16" not in explanation(march.earnings, "weekly_allowance")
    assert march.facts.absent_days == 1 and march.facts.weekly_allowance_weeks == 4
    # Period 3 (10 Mar – 9 Apr) holds the absence: no day accrues on 10 April.
    april = payslip(H1, "2025-04", attendance)
    assert april.leave.accrued == 2
    june = payslip(H1, "2025-06", attendance)
    assert june.leave.accrued == 4
    assert amounts(june.earnings)["annual_leave_payout"] == 4 * 6 * 10_030


def test_absence_in_the_previous_month_breaks_the_week_paid_this_month() -> None:
    """§7: Mon 31 March absent; the week 31 Mar – 6 Apr is paid (here: lost) in April."""
    attendance = [absent("2025-03-31")]
    assert amounts(payslip(H1, "2025-03", attendance).earnings)["weekly_allowance"] == 300_900
    april = payslip(H1, "2025-04", attendance)
    assert amounts(april.earnings)["weekly_allowance"] == 180_540  # 13, 20, 27 Apr: 3 weeks


def test_official_leave_and_annual_leave_are_paid_and_keep_the_allowance() -> None:
    attendance = [official_leave("2025-03-12"), annual_leave("2025-03-13")]
    slip = payslip(H1, "2025-03", attendance)
    earnings = amounts(slip.earnings)
    assert earnings["paid_leave_pay"] == 120_360  # 2 × 6 h × 10,030
    assert earnings["base_pay"] == 18 * 6 * 10_030
    assert earnings["weekly_allowance"] == 300_900
    assert "연차 1일, 공가 1일" in explanation(slip.earnings, "paid_leave_pay")
    assert slip.gross == 1_684_680 - 2 * 6_000  # same pay; two fewer expense days


def test_overtime_short_day_and_holiday_work() -> None:
    """§5: 3 Mar (holiday) worked 10 h, 13 Mar worked 9 h, 14 Mar worked 4 h."""
    attendance = [worked("2025-03-03", 10), worked("2025-03-13", 9), worked("2025-03-14", 4)]
    slip = payslip(H1, "2025-03", attendance)
    assert amounts(slip.earnings) == {
        "base_pay": 1_183_540,  # (18 × 6 + 6 + 4) = 118 h × 10,030
        "overtime_pay": 45_135,  # (9 − 6) h × 10,030 × 1.5
        "holiday_pay": 60_180,  # still paid: 1 × 6 h × 10,030
        "holiday_work_pay": 160_480,  # 8 h × 10,030 × 1.5 + 2 h × 10,030 × 2.0
        "weekly_allowance": 300_900,
        "expense_allowance": 126_000,  # 20 workdays + the holiday worked = 21 × 6,000
    }
    assert explanation(slip.earnings, "base_pay") == "118시간 × 10,030원 (20일)"
    assert explanation(slip.earnings, "holiday_work_pay") == (
        "8시간 × 10,030원 × 1.5 + 2시간 × 10,030원 × 2.0 (3/3)"
    )
    assert slip.facts.worked_days == 21
    assert slip.facts.worked_hours == 18 * 6 + 10 + 9 + 4


def test_fractional_overtime_is_truncated_to_the_won() -> None:
    slip = payslip(H1, "2025-03", [worked("2025-03-13", "7.5")])
    assert amounts(slip.earnings)["overtime_pay"] == 22_567  # 1.5 h × 10,030 × 1.5 = 22,567.5


def test_holiday_work_up_to_eight_hours_has_no_double_premium() -> None:
    slip = payslip(H1, "2025-03", [worked("2025-03-03", 6)])
    assert amounts(slip.earnings)["holiday_work_pay"] == 90_270  # 6 h × 10,030 × 1.5


def test_2026_rates_and_insurance() -> None:
    """§2: March 2026 uses 10,320 won and the 2026 insurance rates."""
    e = enrollment("2026-01-02", "2026-06-30")
    slip = payslip(e, "2026-03")
    # March 2026: 22 weekdays, 2 March substitute holiday.
    assert amounts(slip.earnings) == {
        "base_pay": 1_300_320,  # 21 × 6 h × 10,320
        "holiday_pay": 61_920,  # 1 × 6 h × 10,320
        "weekly_allowance": 309_600,  # weeks ending 1, 8, 15, 22, 29 Mar: 5 × 6 h × 10,320
        "expense_allowance": 126_000,
    }
    assert slip.insurable == 1_671_840
    deductions = amounts(slip.deductions)
    # §9 v2: D = 156 h × 10,320 (S in 2026) = 1,609,920
    assert deductions["national_pension"] == 76_420  # 1,609,000 × 4.75 % = 76,427.5
    assert deductions["health_insurance"] == 57_870  # 1,609,920 × 3.595 % = 57,876.6
    assert deductions["long_term_care"] == 7_600  # 57,870 × 13.14 % = 7,604.1
    assert deductions["employment_insurance"] == 15_040  # 1,671,840 × 0.9 % = 15,046.6
    assert slip.hourly_rate == 10_320


def test_a_week_across_new_year_is_paid_at_the_rate_of_its_sundays_year() -> None:
    """Rates of month M's year: the week 29 Dec 2025 – 4 Jan 2026 is paid at 10,320."""
    e = enrollment("2025-07-01", "2026-06-30")
    slip = payslip(e, "2026-01")
    assert explanation(slip.earnings, "weekly_allowance").startswith("주 4회 × 6시간 × 10,320원")
    assert "1/4" in explanation(slip.earnings, "weekly_allowance")


def test_adjustments_are_earnings_lines_and_count_when_taxable() -> None:
    adjustments = [
        Adjustment("retro_adjustment", 50_000, "2월 소급"),
        Adjustment("participation_pay_cut", -20_000, "참여제한 감액 10%"),
        Adjustment("retro_expense_allowance", 7_000, "실비 정산", taxable=False),
    ]
    slip = payslip(H1, "2025-03", adjustments=adjustments)
    codes = [line.code for line in slip.earnings]
    assert codes[-4:] == [
        "retro_adjustment",
        "participation_pay_cut",
        "retro_expense_allowance",
        "expense_allowance",
    ]
    assert slip.insurable == slip.taxable == 1_564_680 + 50_000 - 20_000
    assert slip.non_taxable == 120_000 + 7_000
    assert slip.gross == 1_684_680 + 37_000


def test_calculate_enrollment_covers_every_month() -> None:
    slips = calculate_enrollment(PayContext(H1, [], None, RATES, CALENDAR, FAKE_TAX))
    assert [s.month for s in slips] == [
        "2025-01",
        "2025-02",
        "2025-03",
        "2025-04",
        "2025-05",
        "2025-06",
    ]
    assert slips[2] == payslip(H1, "2025-03")
    chosen = calculate_enrollment(
        PayContext(H1, [], None, RATES, CALENDAR, FAKE_TAX), months=["2025-03"]
    )
    assert [s.month for s in chosen] == ["2025-03"]


def test_custom_schedule_three_days_of_eight_hours() -> None:
    """Mon/Wed/Fri × 8 h = 24 h a week: allowance min(8, 24/40 × 8) = 4.8 h."""
    e = enrollment("2025-03-01", "2025-08-31", daily_hours="8", weekdays=frozenset({0, 2, 4}))
    slip = payslip(e, "2025-03")
    # Mar 2025 Mon/Wed/Fri: 5 + 4 + 4 = 13 days, 3 Mar holiday -> 12 worked.
    assert amounts(slip.earnings)["base_pay"] == 12 * 8 * 10_030
    assert amounts(slip.earnings)["holiday_pay"] == 8 * 10_030
    # Week ending 2 March starts 24 Feb < S: 4 weeks × 4.8 h × 10,030 = 192,576
    assert amounts(slip.earnings)["weekly_allowance"] == 192_576


def test_calendar_override_changes_the_pay() -> None:
    from payroll.domain.calendar import HolidayCalendar
    from payroll.domain.engine import PayContext, calculate_month

    cal = HolidayCalendar(removed=frozenset({date(2025, 3, 3)}))
    slip = calculate_month(PayContext(H1, [], "2025-03", RATES, cal, FAKE_TAX))
    assert amounts(slip.earnings)["base_pay"] == 21 * 6 * 10_030
    assert "holiday_pay" not in amounts(slip.earnings)
