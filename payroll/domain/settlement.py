"""Final-month settlements (퇴직정산, 중도퇴사자 연말정산; how-pay-is-calculated.md §13).

In the month holding E, after the month's own lines: health and long-term care are
settled on each year's average insurable pay, and income tax is settled for the year of
E (소득세법 §137). The lines are settled − charged and may be negative (a refund). Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

from payroll.domain.model import Line, Payslip, RateBook
from payroll.domain.money import floor10, percent, won
from payroll.domain.tax_year import TaxYear, by_brackets

HEALTH_SETTLEMENT = "health_insurance_settlement"
CARE_SETTLEMENT = "long_term_care_settlement"
INCOME_TAX_SETTLEMENT = "income_tax_settlement"
LOCAL_TAX_SETTLEMENT = "local_income_tax_settlement"
SETTLEMENT_CODES = (HEALTH_SETTLEMENT, CARE_SETTLEMENT, INCOME_TAX_SETTLEMENT, LOCAL_TAX_SETTLEMENT)
SMALL_AMOUNT = 1_000
"""A positive tax settlement under 1,000 won is not collected (소액부징수); refunds always."""
LOCAL_TAX_RATE = Decimal("0.1")


@dataclass(frozen=True)
class MonthFigures:
    """What the settlements read of one month of the enrollment: its pay and its lines."""

    month: str  # "YYYY-MM"
    insurable: int
    taxable: int
    deductions: Mapping[str, int]

    @property
    def year(self) -> int:
        return int(self.month[:4])

    @property
    def health_carried(self) -> bool:
        """The month carried health insurance (§9: insured on its 1st)."""
        return "health_insurance" in self.deductions

    def amount(self, code: str) -> int:
        return self.deductions.get(code, 0)

    @classmethod
    def of(cls, payslip: Payslip) -> MonthFigures:
        amounts: dict[str, int] = {}
        for line in payslip.deductions:
            amounts[line.code] = amounts.get(line.code, 0) + line.amount
        return cls(payslip.month, payslip.insurable, payslip.taxable, amounts)


@dataclass(frozen=True)
class YearToDate:
    """Earlier enrollments of the participant with the same district in E's year (§13):
    their taxable pay and what they withheld and deducted (settlements included)."""

    taxable: int = 0
    income_tax: int = 0
    local_income_tax: int = 0
    national_pension: int = 0
    health_insurance: int = 0
    long_term_care: int = 0
    employment_insurance: int = 0

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @property
    def insurance(self) -> int:
        return self.health_insurance + self.long_term_care + self.employment_insurance


@dataclass(frozen=True)
class HealthYear:
    """One calendar year of health-insurance settlement: N months, their pay T, A = T // N."""

    year: int
    months: int  # N
    total: int  # T
    average: int  # A
    health_rate: Decimal
    care_share: Decimal
    monthly_health: int  # Floor10(A × rate)
    monthly_care: int  # Floor10(monthly_health × share)
    charged_health: int
    charged_care: int

    @property
    def settled_health(self) -> int:
        return self.monthly_health * self.months

    @property
    def settled_care(self) -> int:
        return self.monthly_care * self.months

    @property
    def health_difference(self) -> int:
        return self.settled_health - self.charged_health

    @property
    def care_difference(self) -> int:
        return self.settled_care - self.charged_care


def health_years(months: Sequence[MonthFigures], rates: RateBook) -> tuple[HealthYear, ...]:
    """Each year's settlement over the months that carried health insurance (none: empty)."""
    years = []
    for year in sorted({m.year for m in months if m.health_carried}):
        carried = [m for m in months if m.year == year and m.health_carried]
        insurance = rates.insurance_rates(year)
        total = sum(m.insurable for m in carried)
        average = total // len(carried)
        monthly = floor10(average * insurance.health_insurance)
        years.append(
            HealthYear(
                year=year,
                months=len(carried),
                total=total,
                average=average,
                health_rate=insurance.health_insurance,
                care_share=insurance.long_term_care_share,
                monthly_health=monthly,
                monthly_care=floor10(monthly * insurance.long_term_care_share),
                charged_health=sum(m.amount("health_insurance") for m in carried),
                charged_care=sum(m.amount("long_term_care") for m in carried),
            )
        )
    return tuple(years)


def health_insurance_settlement(years: Sequence[HealthYear]) -> Line | None:
    """``health_insurance_settlement`` = Σ years (Floor10(A × rate) × N − charged)."""
    if not years:
        return None
    text = "; ".join(
        f"{y.year} 평균 {won(y.average)} × {percent(y.health_rate)} = "
        f"{won(y.monthly_health)} × {y.months}개월 - 기납부 {won(y.charged_health)}"
        for y in years
    )
    return Line(HEALTH_SETTLEMENT, sum(y.health_difference for y in years), text)


def long_term_care_settlement(years: Sequence[HealthYear]) -> Line | None:
    """``long_term_care_settlement`` = Σ years (Floor10(settled monthly health × share) × N
    − charged)."""
    if not years:
        return None
    text = "; ".join(
        f"{y.year} {won(y.monthly_health)} × {percent(y.care_share)} = "
        f"{won(y.monthly_care)} × {y.months}개월 - 기납부 {won(y.charged_care)}"
        for y in years
    )
    return Line(CARE_SETTLEMENT, sum(y.care_difference for y in years), text)


@dataclass(frozen=True)
class TaxWay:
    """One way of §13 step 4: its base, tax and credits."""

    name: str  # "A" (insurance deducted) or "B" (standard credit)
    base: int  # 과세표준
    tax: int  # 산출세액
    earned_income_credit: int
    child_credit: int
    standard_credit: int
    final_tax: int  # 결정세액, Floor10

    @property
    def credits(self) -> int:
        return self.earned_income_credit + self.child_credit + self.standard_credit


@dataclass(frozen=True)
class IncomeTaxSettlement:
    """Every step of the year's income-tax settlement (§13 steps 1–9)."""

    year: int
    total_pay: int  # G 총급여
    earned_income_deduction: int  # 근로소득공제
    dependents: int
    children: int
    personal_deduction: int  # P 인적공제
    pension_deduction: int  # 연금보험료공제
    insurance_deduction: int  # 보험료공제 (health, long-term care, employment)
    credit_limit: int  # the earned-income credit's limit for G
    way_a: TaxWay
    way_b: TaxWay
    withheld: int  # 기납부 소득세
    local_withheld: int  # 기납부 지방소득세

    @property
    def earned_income(self) -> int:  # I 근로소득금액
        return self.total_pay - self.earned_income_deduction

    @property
    def chosen(self) -> TaxWay:
        """The lower final tax; a tie is way A."""
        return self.way_b if self.way_b.final_tax < self.way_a.final_tax else self.way_a

    @property
    def final_tax(self) -> int:
        return self.chosen.final_tax

    @property
    def local_final_tax(self) -> int:
        return floor10(self.final_tax * LOCAL_TAX_RATE)

    @property
    def difference(self) -> int:
        return collectable(self.final_tax - self.withheld)

    @property
    def local_difference(self) -> int:
        return collectable(self.local_final_tax - self.local_withheld)

    def steps(self) -> list[tuple[str, str]]:
        """The settlement step by step, as a participant reads it (항목, 계산)."""
        w = self.chosen
        other = self.way_b if w is self.way_a else self.way_a
        deductions = f"인적 {won(self.personal_deduction)} ({self.dependents}명) + 연금보험료 "
        deductions += f"{won(self.pension_deduction)}"
        if w.name == "A":
            deductions += f" + 보험료 {won(self.insurance_deduction)}"
        credits = f"근로소득 {won(w.earned_income_credit)} (한도 {won(self.credit_limit)})"
        if w.child_credit:
            credits += f" + 자녀 {won(w.child_credit)} ({self.children}명)"
        if w.standard_credit:
            credits += f" + 표준 {won(w.standard_credit)}"
        return [
            ("총급여", f"{self.year}년 과세급여 합계 {won(self.total_pay)}"),
            (
                "근로소득공제",
                f"{won(self.earned_income_deduction)} → 근로소득금액 {won(self.earned_income)}",
            ),
            (
                "과세표준",
                f"{won(self.earned_income)} - ({deductions}) = {won(w.base)}"
                f" (방식 {w.name}; 방식 {other.name} 결정세액 {won(other.final_tax)})",
            ),
            ("산출세액", f"{won(w.base)} × 기본세율 = {won(w.tax)}"),
            ("세액공제", f"{credits} = {won(w.credits)}"),
            (
                "결정세액",
                f"max(0, {won(w.tax)} - {won(w.credits)}), 10원 미만 절사 = "
                f"{won(w.final_tax)} (지방소득세 {won(self.local_final_tax)})",
            ),
            ("기납부세액", f"소득세 {won(self.withheld)}, 지방소득세 {won(self.local_withheld)}"),
            (
                "차감",
                f"소득세 {won(self.difference)}, 지방소득세 {won(self.local_difference)}"
                + (" (환급)" if self.difference < 0 else ""),
            ),
        ]


def collectable(difference: int) -> int:
    """A positive difference under 1,000 won is not collected; a refund is paid in full."""
    return 0 if 0 < difference < SMALL_AMOUNT else difference


def _way(
    name: str, base: int, total_pay: int, children: int, tax_year: TaxYear, standard: int
) -> TaxWay:
    tax = by_brackets(tax_year.tax_brackets, base)
    credit = min(
        by_brackets(tax_year.earned_income_credit, tax),
        tax_year.earned_income_credit_limit(total_pay),
    )
    child = tax_year.child_credit.amount(children)
    final = floor10(max(0, tax - credit - child - standard))
    return TaxWay(name, base, tax, credit, child, standard, final)


def income_tax_settlement(
    months: Sequence[MonthFigures],
    year_to_date: YearToDate,
    health_settled: int,
    care_settled: int,
    dependents: int,
    children: int,
    tax_year: TaxYear,
) -> IncomeTaxSettlement:
    """§13 steps 1–9 for the year of E. ``months`` are the enrollment's months of that
    year (the final month included, its own lines before settlement); ``health_settled``
    and ``care_settled`` are that year's parts of the health settlements."""
    ytd = year_to_date
    total_pay = sum(m.taxable for m in months) + ytd.taxable
    deduction = min(
        by_brackets(tax_year.earned_income_deduction, max(0, total_pay)),
        tax_year.earned_income_deduction_cap,
    )
    deduction = max(0, deduction)
    income = total_pay - deduction
    personal = tax_year.personal_deduction * dependents
    pension = sum(m.amount("national_pension") for m in months) + ytd.national_pension
    insurance = (
        sum(
            m.amount("health_insurance")
            + m.amount("long_term_care")
            + m.amount("employment_insurance")
            for m in months
        )
        + health_settled
        + care_settled
        + ytd.insurance
    )
    base_b = max(0, income - personal - pension)
    base_a = max(0, income - personal - pension - insurance)
    return IncomeTaxSettlement(
        year=tax_year.year,
        total_pay=total_pay,
        earned_income_deduction=deduction,
        dependents=dependents,
        children=children,
        personal_deduction=personal,
        pension_deduction=pension,
        insurance_deduction=insurance,
        credit_limit=tax_year.earned_income_credit_limit(total_pay),
        way_a=_way("A", base_a, total_pay, children, tax_year, 0),
        way_b=_way("B", base_b, total_pay, children, tax_year, tax_year.standard_credit),
        withheld=sum(m.amount("income_tax") for m in months) + ytd.income_tax,
        local_withheld=sum(m.amount("local_income_tax") for m in months) + ytd.local_income_tax,
    )


def income_tax_settlement_line(s: IncomeTaxSettlement) -> Line:
    return Line(
        INCOME_TAX_SETTLEMENT,
        s.difference,
        f"{s.year}년 총급여 {won(s.total_pay)}: 결정세액 {won(s.final_tax)} - 기납부 "
        f"{won(s.withheld)}",
    )


def local_income_tax_settlement(s: IncomeTaxSettlement) -> Line:
    return Line(
        LOCAL_TAX_SETTLEMENT,
        s.local_difference,
        f"결정 지방소득세 {won(s.local_final_tax)} - 기납부 {won(s.local_withheld)}",
    )


@dataclass(frozen=True)
class Settlement:
    """The final month's settlements: health years, the income-tax steps and the lines."""

    health: tuple[HealthYear, ...]
    income_tax: IncomeTaxSettlement
    lines: tuple[Line, ...]


def final_month_settlement(
    months: Sequence[MonthFigures],
    year_to_date: YearToDate,
    dependents: int,
    children: int,
    rates: RateBook,
) -> Settlement:
    """§13 for an enrollment whose months (in order, the last one the final month with
    its own lines) are ``months``."""
    years = health_years(months, rates)
    final_year = months[-1].year
    in_year = [m for m in months if m.year == final_year]
    of_year = [y for y in years if y.year == final_year]
    tax = income_tax_settlement(
        in_year,
        year_to_date,
        sum(y.health_difference for y in of_year),
        sum(y.care_difference for y in of_year),
        dependents,
        children,
        rates.tax_year(final_year),
    )
    health = health_insurance_settlement(years)
    care = long_term_care_settlement(years)
    lines = [line for line in (health, care) if line is not None]
    lines += [income_tax_settlement_line(tax), local_income_tax_settlement(tax)]
    return Settlement(years, tax, tuple(lines))
