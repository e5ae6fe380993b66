"""Employer contributions (사업주 부담, :func:`payroll.domain.employer.employer_contributions`)."""

from __future__ import annotations

from payroll.domain.pay_lines.registry import LineKind, declare

EMPLOYER = LineKind.EMPLOYER

declare("national_pension", 10, "국민연금(사업주)", EMPLOYER)
declare("health_insurance", 20, "건강보험(사업주)", EMPLOYER)
declare("long_term_care", 30, "장기요양보험(사업주)", EMPLOYER)
declare("health_insurance_settlement", 40, "건강보험 퇴직정산(사업주)", EMPLOYER)
declare("long_term_care_settlement", 50, "장기요양보험 퇴직정산(사업주)", EMPLOYER)
declare("employment_insurance", 60, "고용보험(사업주)", EMPLOYER)
declare("industrial_accident", 70, "산재보험(사업주)", EMPLOYER)
