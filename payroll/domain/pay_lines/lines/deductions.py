"""§9 employee deductions (:func:`payroll.domain.deductions.employee_deductions`) and the
§13 final-month settlements (:func:`payroll.domain.settlement.final_month_settlement`)."""

from __future__ import annotations

from payroll.domain.pay_lines.registry import LineKind, declare

DEDUCTION = LineKind.DEDUCTION

declare("national_pension", 10, "국민연금", DEDUCTION)
declare("health_insurance", 20, "건강보험", DEDUCTION)
declare("long_term_care", 30, "장기요양보험", DEDUCTION)
declare("employment_insurance", 40, "고용보험", DEDUCTION)
declare("income_tax", 50, "소득세", DEDUCTION)
declare("local_income_tax", 60, "지방소득세", DEDUCTION)
declare("health_insurance_settlement", 70, "건강보험 퇴직정산", DEDUCTION)
declare("long_term_care_settlement", 80, "장기요양보험 퇴직정산", DEDUCTION)
declare("income_tax_settlement", 90, "소득세 연말정산", DEDUCTION)
declare("local_income_tax_settlement", 100, "지방소득세 연말정산", DEDUCTION)
