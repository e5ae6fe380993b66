"""Employee deductions (공제, how-pay-is-calculated.md §9): social insurance, income tax."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from payroll.domain.attendance import Schedule
from payroll.domain.calendar import add_months, age_on
from payroll.domain.model import InsuranceRates, Line, PensionBounds
from payroll.domain.money import floor10, percent, truncate_to, won

INCOME_TAX_THRESHOLD = 1_060_000  # 과세급여 1,060,000원 미만: 소득세 0
LOCAL_INCOME_TAX_RATE = Decimal("0.1")  # 지방소득세 10 %
PENSION_INCOME_UNIT = 1_000  # 기준소득월액 천원 미만 절사
PENSION_MIN_AGE = 18
PENSION_MAX_AGE = 60  # 만 60세 이상 가입 제외
EMPLOYMENT_INSURANCE_MAX_AGE = 65  # 만 65세 이후 고용: 실업급여 부분 제외
MIN_MONTHLY_HOURS = Decimal(60)  # 월 60시간 미만: 건강·연금 적용 제외


class TaxTable(Protocol):
    """근로소득 간이세액표: monthly income tax for a taxable pay and number of dependants."""

    def tax(self, taxable_pay: int, dependents: int) -> int: ...


@dataclass(frozen=True)
class InsuranceCover:
    """Which employee insurance lines a participant-month carries (§9)."""

    pension: bool  # 국민연금
    health: bool  # 건강보험 and 장기요양
    employment: bool  # 고용보험 (employee share)


def monthly_scheduled_hours(weekly_hours: Decimal) -> Decimal:
    """Scheduled hours a month: weekly scheduled hours × 365 / 7 / 12 (no weekly allowance)."""
    return weekly_hours * 365 / 7 / 12


def shorter_than_one_month(start: date, end: date) -> bool:
    """E < S + 1 month − 1 day: the enrollment is shorter than one month (1개월 미만)."""
    return end < add_months(start, 1) - timedelta(days=1)


def insurance_cover(schedule: Schedule, birth_date: date, month_start: date) -> InsuranceCover:
    """§9: pension/health/LTC only when [S, E] holds day 1 of M, the enrollment lasts at least
    a month and is scheduled for 60 h a month or more; pension for ages 18–59 on day 1 of M;
    employment insurance every month unless the participant was 65 or older on S."""
    insured_month = (
        schedule.start <= month_start <= schedule.end
        and not shorter_than_one_month(schedule.start, schedule.end)
        and monthly_scheduled_hours(schedule.weekly_hours) >= MIN_MONTHLY_HOURS
    )
    age = age_on(birth_date, month_start)
    return InsuranceCover(
        pension=insured_month and PENSION_MIN_AGE <= age < PENSION_MAX_AGE,
        health=insured_month,
        employment=age_on(birth_date, schedule.start) < EMPLOYMENT_INSURANCE_MAX_AGE,
    )


def national_pension(insurable: int, rates: InsuranceRates, bounds: PensionBounds) -> Line:
    """Floor10(clamp(insurable truncated to 1,000 won, floor, ceiling) × rate)."""
    base = truncate_to(insurable, PENSION_INCOME_UNIT)
    clamped = min(max(base, bounds.floor), bounds.ceiling)
    text = f"{won(clamped)} × {percent(rates.national_pension)}"
    if clamped != base:
        kind = "하한" if clamped == bounds.floor else "상한"
        text += f" (기준소득월액 {kind}; 보수 {won(base)})"
    return Line("national_pension", floor10(clamped * rates.national_pension), text)


def health_insurance(insurable: int, rates: InsuranceRates) -> Line:
    """Floor10(insurable × health rate)."""
    base = max(0, insurable)
    return Line(
        "health_insurance",
        floor10(base * rates.health_insurance),
        f"{won(base)} × {percent(rates.health_insurance)}",
    )


def long_term_care(health: int, rates: InsuranceRates) -> Line:
    """Floor10(health premium × long-term-care share)."""
    return Line(
        "long_term_care",
        floor10(health * rates.long_term_care_share),
        f"{won(health)} × {percent(rates.long_term_care_share)}",
    )


def employment_insurance(insurable: int, rates: InsuranceRates) -> Line:
    """Floor10(insurable × 0.9 %)."""
    base = max(0, insurable)
    return Line(
        "employment_insurance",
        floor10(base * rates.employment_insurance),
        f"{won(base)} × {percent(rates.employment_insurance)}",
    )


def income_tax(taxable: int, dependents: int, table: TaxTable) -> Line:
    """간이세액표 tax for the taxable pay and dependants; 0 below 1,060,000 won."""
    if taxable < INCOME_TAX_THRESHOLD:
        return Line("income_tax", 0, f"과세급여 {won(taxable)} < {won(INCOME_TAX_THRESHOLD)}: 0원")
    return Line(
        "income_tax",
        table.tax(taxable, dependents),
        f"간이세액표: 과세급여 {won(taxable)}, 공제대상가족 {dependents}명",
    )


def local_income_tax(tax: int) -> Line:
    """Floor10(income tax × 10 %)."""
    return Line(
        "local_income_tax",
        floor10(tax * LOCAL_INCOME_TAX_RATE),
        f"{won(tax)} × {percent(LOCAL_INCOME_TAX_RATE)}",
    )


def employee_deductions(
    insurable: int,
    taxable: int,
    dependents: int,
    cover: InsuranceCover,
    rates: InsuranceRates,
    bounds: PensionBounds | None,
    table: TaxTable,
) -> list[Line]:
    """All §9 lines in payslip order, zero lines included (the engine drops them)."""
    lines: list[Line] = []
    if cover.pension:
        if bounds is None:
            raise ValueError("national pension needs the floor and ceiling of the month")
        lines.append(national_pension(insurable, rates, bounds))
    if cover.health:
        health = health_insurance(insurable, rates)
        lines += [health, long_term_care(health.amount, rates)]
    if cover.employment:
        lines.append(employment_insurance(insurable, rates))
    tax = income_tax(taxable, dependents, table)
    lines += [tax, local_income_tax(tax.amount)]
    return lines
