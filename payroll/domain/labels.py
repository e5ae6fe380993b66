"""Korean labels of payslip line codes, as printed on payslips, registers and ledgers."""

from __future__ import annotations

from payroll.domain.carryover import CARRY_LABELS
from payroll.domain.runs import STATE_NAMES
from payroll.domain.runs import run_state_name as run_state_name

EARNINGS_LABELS: dict[str, str] = {
    "base_pay": "기본급",
    "base_salary": "기본급(월급)",
    "overtime_pay": "연장근로수당",
    "holiday_pay": "유급휴일수당",
    "holiday_work_pay": "휴일근로수당",
    "paid_leave_pay": "유급휴가수당",
    "weekly_allowance": "주휴수당",
    "annual_leave_payout": "미사용 연차수당",
    "absence_deduction": "결근공제",
    "retro_adjustment": "소급 정산",
    "retro_expense_allowance": "소급 정산(실비)",
    "participation_pay_cut": "참여제한 감액",
    **CARRY_LABELS,
    "expense_allowance": "식비(간식비)",
    "expense_allowance_taxable": "식비(간식비) 과세분",
}

DEDUCTION_LABELS: dict[str, str] = {
    "national_pension": "국민연금",
    "health_insurance": "건강보험",
    "long_term_care": "장기요양보험",
    "employment_insurance": "고용보험",
    "income_tax": "소득세",
    "local_income_tax": "지방소득세",
    "health_insurance_settlement": "건강보험 퇴직정산",
    "long_term_care_settlement": "장기요양보험 퇴직정산",
    "income_tax_settlement": "소득세 연말정산",
    "local_income_tax_settlement": "지방소득세 연말정산",
}

EMPLOYER_LABELS: dict[str, str] = {
    "national_pension": "국민연금(사업주)",
    "health_insurance": "건강보험(사업주)",
    "long_term_care": "장기요양보험(사업주)",
    "health_insurance_settlement": "건강보험 퇴직정산(사업주)",
    "long_term_care_settlement": "장기요양보험 퇴직정산(사업주)",
    "employment_insurance": "고용보험(사업주)",
    "industrial_accident": "산재보험(사업주)",
}

END_REASON_LABELS: dict[str, str] = {
    "employed": "취업",
    "withdrew": "중도 포기",
    "ineligible": "자격 상실",
    "dismissed": "계약 해지",
    "deceased": "사망",
    "other": "기타",
}
"""Reason codes of an early end (중도 종료) and their Korean labels."""

COST_ITEM_LABELS: dict[str, str] = {
    "wages": "인건비(임금)",
    "expense_allowance": "식비(간식비)",
    "employer_insurance": "사업주 부담 보험료",
}


def label(code: str) -> str:
    """The Korean label of any line code; the code itself when it has none."""
    for table in (EARNINGS_LABELS, DEDUCTION_LABELS, EMPLOYER_LABELS, COST_ITEM_LABELS):
        if code in table:
            return table[code]
    return code


RUN_STATE_NAMES: dict[str, str] = {str(state): name for state, name in STATE_NAMES.items()}
"""A run's state as users read it (from :class:`payroll.domain.runs.RunState`)."""


def term_name(code: str) -> str:
    """A term as people name it: ``2025-H1`` → ``2025년 상반기`` (other codes unchanged)."""
    halves = {"H1": "상반기", "H2": "하반기"}
    year, _, half = (code or "").partition("-")
    if year.isdigit() and len(year) == 4 and half in halves:
        return f"{year}년 {halves[half]}"
    return code
