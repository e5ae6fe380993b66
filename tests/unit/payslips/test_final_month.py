"""A final-month payslip (§13): settlement lines with explanations, D, and why deductions
are absent, on one A4 page."""

from __future__ import annotations

import re
from datetime import date

from payroll.domain.engine import PayContext, calculate_month
from payroll.domain.labels import label
from payroll.payslips.view import sample_view
from payroll.reference.withholding_data import shipped_withholding_table
from tests.support.pay import CALENDAR, RATES, annual_leave, enrollment, worked

from .conftest import pdf_text


def june_view(birth: str, attendance: tuple = ()):  # type: ignore[no-untyped-def]
    e = enrollment(birth=birth)
    s = calculate_month(
        PayContext(e, attendance, "2025-06", RATES, CALENDAR, shipped_withholding_table())
    )
    return sample_view(
        month="2025-06",
        period_start=date(2025, 6, 1),
        period_end=date(2025, 6, 30),
        pay_date=date(2025, 7, 10),
        birth_date=date.fromisoformat(birth),
        earnings=[(x.code, label(x.code), x.amount, x.explanation) for x in s.earnings],
        deductions=[(x.code, label(x.code), x.amount, x.explanation) for x in s.deductions],
        gross=s.gross,
        total_deductions=s.total_deductions,
        net=s.net,
        declared_monthly_pay=s.declared_monthly_pay,
        notes=list(s.notes),
    )


def test_june_settlements_print_on_one_page(renderer) -> None:  # type: ignore[no-untyped-def]
    busy = (annual_leave("2025-06-10"), worked("2025-06-11", 8))  # two more earnings lines
    [page] = pdf_text(renderer.render(june_view("1970-05-01", busy)))
    text = re.sub(r"\s+", " ", page)
    for expected in (
        "건강보험 퇴직정산",
        "장기요양보험 퇴직정산",
        "소득세 연말정산",
        "지방소득세 연말정산 결정 지방소득세 0원 - 기납부",
        "시간급 · 보수월액 10,030원 · 1,564,680원",
        "음수(-)는 환급",
    ):
        assert expected in text, expected
    assert "교통" not in text and "식비(간식비)" in text


def test_absent_deductions_are_explained(renderer) -> None:  # type: ignore[no-untyped-def]
    [page] = pdf_text(renderer.render(june_view("1960-01-10")))  # 65 on S
    text = re.sub(r"\s+", " ", page)
    assert "국민연금 없음" in text
    assert "고용보험 근로자 부담 없음" in text
