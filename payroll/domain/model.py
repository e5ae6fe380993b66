"""The pure records the pay rules work on: catalog data in, payslips out.

Everything here is immutable. Money is an ``int`` number of won; rates, hours and
ratios are ``Decimal``. No database, no files, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from payroll.domain.tax_year import ChildReduction, TaxYear


class PayrollError(Exception):
    """A pay rule (how-pay-is-calculated.md) refuses the input; message names record and reason."""


class MissingRate(PayrollError):
    """The catalog has no data for a program, year or period the rules need."""


class AttendanceError(PayrollError):
    """An attendance record breaks how-pay-is-calculated.md §4 (names participant, date, why)."""

    def __init__(self, participant: str, day: date, reason: str, field: str = "status") -> None:
        self.participant = participant
        self.day = day
        self.reason = reason
        self.field = field  # the record's field at fault: "status" or "hours"
        super().__init__(f"participant {participant}, {day.isoformat()}: {reason}")


class NegativeNetPay(PayrollError):
    """Net pay below zero: the payslip stops for review and is never printed (§9)."""


class PayBasis(StrEnum):
    HOURLY = "hourly"  # 시급제 (dongheng)
    MONTHLY = "monthly"  # 월급제 (maeryeok)


class RateSource(StrEnum):
    MINIMUM_WAGE = "minimum_wage"  # 최저임금
    LIVING_WAGE = "living_wage"  # 서울시 생활임금


class Status(StrEnum):
    """Attendance status, recorded by exception (§4)."""

    WORKED = "worked"
    ABSENT = "absent"  # 결근
    ANNUAL_LEAVE = "annual_leave"  # 연차
    OFFICIAL_LEAVE = "official_leave"  # 공가


WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday codes; index = ``date.weekday()`` (Monday 0)."""


def weekdays_from_codes(codes: list[str]) -> frozenset[int]:
    """``["mon", "fri"]`` -> ``{0, 4}``; an unknown code is an error naming it."""
    days = set()
    for code in codes:
        try:
            days.add(WEEKDAY_CODES.index(code.strip().lower()[:3]))
        except ValueError:
            raise ValueError(f"unknown weekday {code!r} (use mon … sun)") from None
    return frozenset(days)


@dataclass(frozen=True)
class Program:
    """A public-job program of the catalog (§1)."""

    code: str
    name: str
    pay_basis: PayBasis
    rate_source: RateSource
    daily_hours: Decimal
    weekdays: frozenset[int]  # date.weekday() numbers, Monday 0
    min_age: int = 18
    max_age: int | None = None


@dataclass(frozen=True)
class ProgramYear:
    """Year-specific data of one program: allowance, cost share, accident rate."""

    program: str
    year: int
    daily_expense_allowance: int  # won per day worked
    city_ratio: Decimal  # e.g. Decimal("0.9") for 9 : 1
    industrial_accident_rate: Decimal  # e.g. Decimal("0.0147")


@dataclass(frozen=True)
class InsuranceRates:
    """Employee social-insurance rates for one year (§2)."""

    year: int
    national_pension: Decimal  # 0.045
    health_insurance: Decimal  # 0.03545
    long_term_care_share: Decimal  # 0.1295, share of the health premium
    employment_insurance: Decimal  # 0.009
    job_stability: Decimal  # employer-only 고용안정·직업능력개발, 0.0085


@dataclass(frozen=True)
class PensionBounds:
    """National-pension income floor and ceiling (기준소득월액) for a period."""

    start: date  # first day of the period's first month
    end: date  # last day of the period's last month
    floor: int
    ceiling: int


@dataclass(frozen=True)
class Term:
    """A program's half-year (or year) term, e.g. dongheng 2025-H1."""

    program: str
    code: str  # "2025-H1", "2025"
    start: date
    end: date


@dataclass(frozen=True)
class Enrollment:
    """One participant's enrollment in a program, start S to end E inclusive."""

    participant_id: str
    program: str
    start: date
    end: date
    birth_date: date
    dependents: int = 1
    daily_hours: Decimal | None = None  # None: the program's default
    weekdays: frozenset[int] | None = None  # None: the program's default
    children: int = 0  # children aged 8–20 (§9 child reduction, §13 child credit)
    declared_monthly_pay: int | None = None  # D (§9); None: the default of declared_pay


@dataclass(frozen=True)
class AttendanceRecord:
    """An exception to a scheduled day: worked h hours, absent, or a leave day."""

    day: date
    status: Status
    hours: Decimal | None = None  # only for WORKED


@dataclass(frozen=True)
class Adjustment:
    """An earnings line computed outside the month's own rules.

    ``retro_adjustment`` (a correction of a finalized month) and ``participation_pay_cut``
    (a limit rule's pay cut) come in here. Amounts may be negative.
    """

    code: str
    amount: int
    explanation: str
    taxable: bool = True  # counts toward insurable and taxable pay
    ref_month: str | None = None  # a retro line: the past month it corrects


@dataclass(frozen=True)
class Line:
    """One payslip line: code, amount in won, and how it was reached."""

    code: str
    amount: int
    explanation: str
    ref_month: str | None = None  # a retro line: the past month it corrects


@dataclass(frozen=True)
class LeaveBalance:
    """Annual leave (연차) at the end of the month: accrued so far, used so far, balance."""

    accrued: int
    used: int
    balance: int


@dataclass(frozen=True)
class MonthFacts:
    """Counts a payslip shows beside the lines (근로일수, 근로시간 …)."""

    scheduled_days: int
    worked_days: int
    worked_hours: Decimal
    paid_holidays: int
    weekly_allowance_weeks: int
    absent_days: int
    leave_days: int


@dataclass(frozen=True)
class Payslip:
    """The result of one participant-month."""

    participant_id: str
    program: str
    month: str  # "YYYY-MM"
    earnings: tuple[Line, ...]
    deductions: tuple[Line, ...]
    employer: tuple[Line, ...]
    gross: int
    insurable: int
    taxable: int
    non_taxable: int
    total_deductions: int
    net: int
    leave: LeaveBalance
    facts: MonthFacts
    hourly_rate: int
    declared_monthly_pay: int = 0  # D (§9), the base of pension and health insurance
    notes: tuple[str, ...] = ()  # why a deduction is absent (60+, 65+, first month …)
    # The final month's §13 steps (a settlement.Settlement; typed loosely: settlement
    # imports this module).
    settlement: object | None = None

    def to_json(self) -> dict[str, object]:
        """The ``payroll calc --json`` month shape (lines of one code, e.g. two retro
        months, are summed and their explanations joined)."""
        return {
            "month": self.month,
            "earnings": amounts_by_code(self.earnings),
            "deductions": amounts_by_code(self.deductions),
            "employer": amounts_by_code(self.employer),
            "gross": self.gross,
            "insurable": self.insurable,
            "taxable": self.taxable,
            "total_deductions": self.total_deductions,
            "net": self.net,
            "leave": {
                "accrued": self.leave.accrued,
                "used": self.leave.used,
                "balance": self.leave.balance,
            },
            "explain": explanations_by_code((*self.earnings, *self.deductions)),
        }


def amounts_by_code(lines: tuple[Line, ...]) -> dict[str, int]:
    amounts: dict[str, int] = {}
    for line in lines:
        amounts[line.code] = amounts.get(line.code, 0) + line.amount
    return amounts


def explanations_by_code(lines: tuple[Line, ...]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for line in lines:
        texts[line.code] = (
            f"{texts[line.code]}; {line.explanation}" if line.code in texts else line.explanation
        )
    return texts


WHERE_TO_ENTER = (
    "`payroll catalog import 연도파일.toml --by 이름` 또는 웹 콘솔의 '연도별 기준'에서 입력하세요"
)
RATE_SOURCE_NAMES = {RateSource.MINIMUM_WAGE: "최저임금", RateSource.LIVING_WAGE: "서울시 생활임금"}
INSURANCE_NAMES = {
    "national_pension": "국민연금 보험료율",
    "health_insurance": "건강보험료율",
    "long_term_care_share": "장기요양보험료율",
    "employment_insurance": "고용보험료율",
    "job_stability": "고용안정·직업능력개발 보험료율",
}


@dataclass(frozen=True)
class RateBook:
    """All year-specific data the pay rules read (§1–§2), looked up by program and date."""

    programs: Mapping[str, Program]
    program_years: Mapping[tuple[str, int], ProgramYear]
    hourly_rates: Mapping[tuple[RateSource, int], int]  # (source, year) -> won/h
    insurance: Mapping[int, InsuranceRates]
    pension_bounds: tuple[PensionBounds, ...]
    terms: tuple[Term, ...] = field(default=())
    tax_years: Mapping[int, TaxYear] = field(default_factory=dict)
    child_reductions: tuple[ChildReduction, ...] = field(default=())
    # year -> insurance fields not entered yet (a year whose rates are only partly known)
    missing_insurance: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    def program(self, code: str) -> Program:
        try:
            return self.programs[code]
        except KeyError:
            known = ", ".join(sorted(self.programs))
            raise MissingRate(f"unknown program {code!r} (known: {known})") from None

    def program_year(self, code: str, year: int) -> ProgramYear:
        try:
            return self.program_years[(code, year)]
        except KeyError:
            raise MissingRate(
                f"{year}년 {code} 사업의 연도 기준(식비·시/구 분담비율·산재보험료율, "
                f"program_years)이 없습니다; {WHERE_TO_ENTER}"
            ) from None

    def hourly_rate(self, code: str, year: int) -> int:
        source = self.program(code).rate_source
        try:
            return self.hourly_rates[(source, year)]
        except KeyError:
            raise MissingRate(
                f"{year}년 {RATE_SOURCE_NAMES[source]}(시급, {source.value})이 없습니다; "
                f"{WHERE_TO_ENTER}"
            ) from None

    def insurance_rates(self, year: int) -> InsuranceRates:
        missing = self.missing_insurance.get(year)
        if missing:
            names = ", ".join(f"{INSURANCE_NAMES.get(f, f)}({f})" for f in missing)
            raise MissingRate(f"{year}년 {names}이(가) 없습니다; {WHERE_TO_ENTER}")
        try:
            return self.insurance[year]
        except KeyError:
            raise MissingRate(
                f"{year}년 사회보험료율(insurance)이 없습니다; {WHERE_TO_ENTER}"
            ) from None

    def pension_bounds_on(self, day: date) -> PensionBounds:
        for bounds in self.pension_bounds:
            if bounds.start <= day <= bounds.end:
                return bounds
        raise MissingRate(
            f"{day.isoformat()}에 적용할 국민연금 기준소득월액 상·하한(pension_bounds)이 "
            f"없습니다; {WHERE_TO_ENTER}"
        )

    def tax_year(self, year: int) -> TaxYear:
        try:
            return self.tax_years[year]
        except KeyError:
            raise MissingRate(
                f"{year}년 소득세 연도 기준(식대 비과세 한도·연말정산, tax_years)이 없습니다; "
                f"{WHERE_TO_ENTER}"
            ) from None

    def child_reduction_on(self, pay_date: date) -> ChildReduction:
        """The child reduction in force on ``pay_date`` (the latest that started by then)."""
        started = [r for r in self.child_reductions if r.start <= pay_date]
        if not started:
            raise MissingRate(
                f"지급일 {pay_date.isoformat()}에 적용할 자녀 세액 감면(child_reductions)이 "
                f"없습니다; {WHERE_TO_ENTER}"
            )
        return max(started, key=lambda r: r.start)

    def terms_of(self, program: str) -> tuple[Term, ...]:
        return tuple(sorted((t for t in self.terms if t.program == program), key=lambda t: t.start))

    def term(self, program: str, code: str) -> Term:
        for t in self.terms:
            if t.program == program and t.code == code:
                return t
        raise MissingRate(f"{program} 사업에 기수 {code!r}(terms)가 없습니다; {WHERE_TO_ENTER}")
