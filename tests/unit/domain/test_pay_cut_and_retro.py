"""The participation pay cut (one calculation of the month) and retro lines that carry the
month they correct."""

from __future__ import annotations

from decimal import Decimal

import pytest

from payroll.domain.engine import PayContext, calculate_month
from payroll.domain.model import Adjustment
from payroll.domain.pay_cut import PAY_CUT_CODE, pay_cut, pay_cut_adjustment
from payroll.domain.retro import MonthPay, RetroLine, retro_lines
from payroll.domain.run_member import EnrolledParticipant, RunMember, month_payslip
from tests.support.pay import CALENDAR, FAKE_TAX, RATES, absent, enrollment, worked

H1 = enrollment("2025-01-10", "2025-06-30")


def test_the_cut_is_truncated_and_absent_without_a_percentage() -> None:
    assert pay_cut(1_564_680, Decimal("10")) == 156_468
    assert pay_cut(1_564_689, Decimal("12.5")) == 195_586  # 195,586.125
    assert pay_cut(1_564_680, None) == 0
    assert pay_cut_adjustment(1_564_680, None) is None
    cut = pay_cut_adjustment(1_564_680, Decimal("10.00"))
    assert cut == Adjustment(PAY_CUT_CODE, -156_468, "참여횟수 제한 감액: 1,564,680원 × 10%")


@pytest.mark.parametrize("percent", ["10", "33.33"])
def test_one_calculation_gives_what_calculating_twice_gave(percent: str) -> None:
    """The former service: the month without the cut, its own taxable pay less the taxable
    adjustments, then the month again with the cut appended after the adjustments."""
    cut = Decimal(percent)
    retro = [
        Adjustment("retro_adjustment", 50_000, "2월 정정분", ref_month="2025-02"),
        Adjustment("retro_expense_allowance", 6_000, "2월 정정분", False, "2025-02"),
    ]
    attendance = [absent("2025-03-12"), worked("2025-03-13", 4)]
    first = calculate_month(PayContext(H1, attendance, "2025-03", RATES, CALENDAR, FAKE_TAX), retro)
    own = first.taxable - sum(a.amount for a in retro if a.taxable)
    before = [*retro, pay_cut_adjustment(own, cut)]
    twice = calculate_month(
        PayContext(H1, attendance, "2025-03", RATES, CALENDAR, FAKE_TAX), before
    )
    once = calculate_month(
        PayContext(H1, attendance, "2025-03", RATES, CALENDAR, FAKE_TAX), retro, pay_cut_percent=cut
    )
    assert once == twice
    assert [line.code for line in once.earnings if line.amount < 0][-1] == PAY_CUT_CODE


def test_retro_lines_name_the_month_they_correct_on_the_payslip() -> None:
    february = calculate_month(PayContext(H1, [], "2025-02", RATES, CALENDAR, FAKE_TAX))
    correction = [absent("2025-02-12")]
    finalized = {"2025-02": MonthPay(february.taxable, february.non_taxable)}
    lines = retro_lines(H1, [], correction, "2025-03", finalized, {}, RATES, CALENDAR, FAKE_TAX)
    assert lines and all(isinstance(line, RetroLine) for line in lines)
    assert {line.month for line in lines} == {"2025-02"}
    assert all(line.adjustment.ref_month == "2025-02" for line in lines)
    person = EnrolledParticipant(
        RunMember(1, 1, "P-001", "11110", "004", "1234", H1),
        corrections=correction,
        finalized=finalized,
    )
    march = month_payslip(person, "2025-03", RATES, CALENDAR, FAKE_TAX)
    refs = {line.code: line.ref_month for line in march.earnings}
    assert refs["retro_adjustment"] == "2025-02"
    assert refs["base_pay"] is None
