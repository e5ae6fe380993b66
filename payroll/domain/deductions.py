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
from payroll.domain.tax_year import PerChild
from payroll.domain.withholding import TAX_FREE_BELOW

LOCAL_INCOME_TAX_RATE = Decimal("0.1")  # 지방소득세 10 %
PENSION_INCOME_UNIT = 1_000  # 기준소득월액 천원 미만 절사
PENSION_MIN_AGE = 18
PENSION_MAX_AGE = 60  # 만 60세 이상 가입 제외
EMPLOYMENT_INSURANCE_MAX_AGE = 65  # 만 65세 이후 고용: 실업급여 부분 제외
MIN_MONTHLY_HOURS = Decimal(60)  # 월 60시간 미만: 건강·연금 적용 제외
SMALL_TAX = 1_000  # 소액부징수 (소득세법 §86): a monthly income tax under 1,000 won is not withheld


class TaxTable(Protocol):
    """근로소득 간이세액표: monthly income tax for a taxable pay and number of dependants."""

    def tax(self, taxable_pay: int, dependents: int) -> int: ...


@dataclass(frozen=True)
class InsuranceCover:
    """Which employee insurance lines a participant-month carries (§9)."""

    pension: bool  # 국민연금
    health: bool  # 건강보험 and 장기요양
    employment: bool  # 고용보험 (employee share)
    notes: tuple[str, ...] = ()  # why a line is absent, as printed on the payslip


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
    employment = age_on(birth_date, schedule.start) < EMPLOYMENT_INSURANCE_MAX_AGE
    notes = []
    if not insured_month:
        if shorter_than_one_month(schedule.start, schedule.end):
            notes.append("1개월 미만 근로: 국민연금·건강보험·장기요양보험 없음")
        elif monthly_scheduled_hours(schedule.weekly_hours) < MIN_MONTHLY_HOURS:
            notes.append("월 소정근로 60시간 미만: 국민연금·건강보험·장기요양보험 없음")
        else:
            notes.append("이달 1일 재직 아님(월중 입사): 국민연금·건강보험·장기요양보험 없음")
    elif age >= PENSION_MAX_AGE:
        notes.append(f"만 {PENSION_MAX_AGE}세 이상(이달 1일 만 {age}세): 국민연금 없음")
    elif age < PENSION_MIN_AGE:
        notes.append(f"만 {PENSION_MIN_AGE}세 미만: 국민연금 없음")
    if not employment:
        notes.append(
            f"만 {EMPLOYMENT_INSURANCE_MAX_AGE}세 이후 고용: 고용보험 근로자 부담 없음"
            "(사업주는 고용안정·직업능력개발분만)"
        )
    return InsuranceCover(
        pension=insured_month and PENSION_MIN_AGE <= age < PENSION_MAX_AGE,
        health=insured_month,
        employment=employment,
        notes=tuple(notes),
    )


def national_pension(declared: int, rates: InsuranceRates, bounds: PensionBounds) -> Line:
    """Floor10(clamp(D truncated to 1,000 won, floor, ceiling) × rate)."""
    base = truncate_to(declared, PENSION_INCOME_UNIT)
    clamped = min(max(base, bounds.floor), bounds.ceiling)
    text = f"기준소득월액 {won(clamped)} × {percent(rates.national_pension)}"
    if clamped != base:
        kind = "하한" if clamped == bounds.floor else "상한"
        text += f" ({kind}; 보수월액 {won(base)})"
    return Line("national_pension", floor10(clamped * rates.national_pension), text)


def health_insurance(declared: int, rates: InsuranceRates) -> Line:
    """Floor10(D × health rate)."""
    base = max(0, declared)
    return Line(
        "health_insurance",
        floor10(base * rates.health_insurance),
        f"보수월액 {won(base)} × {percent(rates.health_insurance)}",
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


def income_tax(
    taxable: int,
    dependents: int,
    table: TaxTable,
    children: int = 0,
    reduction: PerChild | None = None,
) -> Line:
    """간이세액표 tax for the taxable pay and dependants, less the child reduction (8–20),
    never below 0; 0 below 1,060,000 won; 0 when under 1,000 won after the reduction
    (소득세법 §86 소액부징수, v3), so its local income tax is 0 too."""
    if taxable < TAX_FREE_BELOW:
        return Line("income_tax", 0, f"과세급여 {won(taxable)} < {won(TAX_FREE_BELOW)}: 0원")
    tax = table.tax(taxable, dependents)
    text = f"간이세액표: 과세급여 {won(taxable)}, 공제대상가족 {dependents}명"
    less = reduction.amount(children) if reduction is not None and children > 0 else 0
    if less:
        text += f" {won(tax)} - 자녀 {children}명 {won(less)}"
    due = max(0, tax - less)
    if 0 < due < SMALL_TAX:
        return Line("income_tax", 0, f"{text} = {won(due)} < {won(SMALL_TAX)}: 소액부징수 0원")
    return Line("income_tax", due, text)


def local_income_tax(tax: int) -> Line:
    """Floor10(income tax × 10 %)."""
    return Line(
        "local_income_tax",
        floor10(tax * LOCAL_INCOME_TAX_RATE),
        f"{won(tax)} × {percent(LOCAL_INCOME_TAX_RATE)}",
    )


@dataclass(frozen=True)
class TaxFacts:
    """What withholding reads: dependants (the participant included), children 8–20 and
    the child reduction in force on the month's pay date."""

    dependents: int = 1
    children: int = 0
    reduction: PerChild | None = None


def employee_deductions(
    declared: int,
    insurable: int,
    taxable: int,
    tax_facts: TaxFacts,
    cover: InsuranceCover,
    rates: InsuranceRates,
    bounds: PensionBounds | None,
    table: TaxTable,
) -> list[Line]:
    """All §9 lines in payslip order, zero lines included (the engine drops them):
    pension and health on D, employment insurance on the month's insurable pay."""
    lines: list[Line] = []
    if cover.pension:
        if bounds is None:
            raise ValueError("national pension needs the floor and ceiling of the month")
        lines.append(national_pension(declared, rates, bounds))
    if cover.health:
        health = health_insurance(declared, rates)
        lines += [health, long_term_care(health.amount, rates)]
    if cover.employment:
        lines.append(employment_insurance(insurable, rates))
    f = tax_facts
    tax = income_tax(taxable, f.dependents, table, f.children, f.reduction)
    lines += [tax, local_income_tax(tax.amount)]
    return lines
