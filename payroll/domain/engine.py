"""The pay engine: one participant-month in, one payslip out (how-pay-is-calculated.md §3–§10).

Every line of month M uses the rates and insurance of M's year; the pension floor and
ceiling are those of the period holding the 1st of M. ``attendance`` is always the
enrollment's whole record list: weeks (§7) and leave accrual (§8) look across months.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from payroll.domain import attendance as attendance_rules
from payroll.domain.annual_leave import balance_on, leave_accruals, payout_line
from payroll.domain.attendance import (
    ScheduledDay,
    absent_dates,
    records_by_day,
    schedule_of,
    scheduled_days_between,
)
from payroll.domain.calendar import (
    HolidayCalendar,
    add_months,
    age_on,
    month_range,
    months_between,
)
from payroll.domain.declared_pay import declared_monthly_pay
from payroll.domain.deductions import (
    EMPLOYMENT_INSURANCE_MAX_AGE,
    TaxFacts,
    TaxTable,
    employee_deductions,
    insurance_cover,
)
from payroll.domain.employer import employer_contributions
from payroll.domain.hourly import expense_allowance, hourly_earnings, meal_allowance_lines
from payroll.domain.model import (
    Adjustment,
    AttendanceRecord,
    Enrollment,
    Line,
    MonthFacts,
    NegativeNetPay,
    PayBasis,
    PayrollError,
    Payslip,
    RateBook,
    Status,
)
from payroll.domain.monthly import monthly_earnings
from payroll.domain.part_time import payslip_notes
from payroll.domain.pay_cut import pay_cut_adjustment
from payroll.domain.settlement import MonthFigures, Settlement, YearToDate, final_month_settlement
from payroll.domain.weekly_allowance import Week, weekly_allowance_line, weeks_of_month
from payroll.domain.withholding_dates import table_for

EARNINGS_ORDER = (
    "base_pay",
    "base_salary",
    "overtime_pay",
    "holiday_pay",
    "holiday_work_pay",
    "paid_leave_pay",
    "weekly_allowance",
    "annual_leave_payout",
    "absence_deduction",
)
"""Payslip order of the rule lines; adjustments follow (retro lines, then carried-over
lines: :mod:`payroll.domain.carryover`), then the meal allowance lines."""

PAY_DAY = 10
"""§9: the pay date of month M is the 10th of M + 1 (the child reduction goes by it)."""

__all__ = [
    "EARNINGS_ORDER",
    "calculate_enrollment",
    "calculate_month",
    "enrollment_months",
    "month_of_enrollment_months",
    "pay_date_of",
    "validate_attendance",
]


def pay_date_of(month_start: date) -> date:
    """The pay date of the month starting ``month_start``: the 10th of the next month."""
    return add_months(month_start, 1).replace(day=PAY_DAY)


def enrollment_months(enrollment: Enrollment) -> list[str]:
    """Every ``"YYYY-MM"`` the enrollment touches, S's month to E's month."""
    return months_between(enrollment.start, enrollment.end)


month_of_enrollment_months = enrollment_months


def validate_attendance(
    enrollment: Enrollment,
    attendance: Sequence[AttendanceRecord],
    rates: RateBook,
    calendar: HolidayCalendar,
) -> None:
    """Raise AttendanceError (participant, date, reason) for the first record §4 refuses."""
    schedule = schedule_of(enrollment, rates.program(enrollment.program))
    attendance_rules.validate(schedule, attendance, calendar)


def calculate_month(
    enrollment: Enrollment,
    attendance: Sequence[AttendanceRecord],
    month: str,
    rates: RateBook,
    calendar: HolidayCalendar,
    withholding: TaxTable,
    adjustments: Sequence[Adjustment] = (),
    history: Mapping[str, MonthFigures] | None = None,
    year_to_date: YearToDate | None = None,
    pay_cut_percent: Decimal | None = None,
) -> Payslip:
    """The payslip of ``month`` (``"YYYY-MM"``) for an enrollment and its whole attendance.

    In the final month (the one holding E) the §13 settlements follow the month's own
    lines: they read the enrollment's earlier months from ``history`` (e.g. finalized
    payslips) and compute any month it lacks from the attendance; ``year_to_date`` holds
    the participant's earlier enrollments with the same district in E's year.
    ``pay_cut_percent`` adds the participation pay cut of the month's own taxable pay
    after ``adjustments``.
    """
    program = rates.program(enrollment.program)
    schedule = schedule_of(enrollment, program)
    month_start, month_end = month_range(month)
    if month_end < schedule.start or month_start > schedule.end:
        raise PayrollError(
            f"participant {enrollment.participant_id}, {month}: outside the enrollment "
            f"{schedule.start.isoformat()} – {schedule.end.isoformat()}"
        )
    attendance_rules.validate(schedule, attendance, calendar)

    month_table = table_for(withholding, pay_date_of(month_start))
    year = month_start.year
    rate = rates.hourly_rate(program.code, year)
    insurance = rates.insurance_rates(year)
    program_year = rates.program_year(program.code, year)

    absent = absent_dates(attendance)
    days = scheduled_days_between(
        schedule, records_by_day(attendance), calendar, month_start, month_end
    )
    weeks = weeks_of_month(month, schedule, absent)
    if program.pay_basis is PayBasis.HOURLY:
        rule_lines = [
            *hourly_earnings(days, schedule.daily_hours, rate, schedule.weekly_hours),
            weekly_allowance_line(weeks, schedule.weekly_hours, rate),
        ]
    else:
        rule_lines = monthly_earnings(days, weeks, schedule, month_start, month_end, rate)

    accruals = leave_accruals(schedule.start, schedule.end, schedule.weekly_hours, absent)
    used = [r.day for r in attendance if r.status is Status.ANNUAL_LEAVE]
    if month_start <= schedule.end <= month_end:
        rule_lines.append(payout_line(len(accruals) - len(used), schedule.daily_hours, rate))

    by_code = {line.code: line for line in rule_lines}
    ordered = [by_code[code] for code in EARNINGS_ORDER if code in by_code]
    tax_year = rates.tax_year(year)
    meal, meal_taxable = meal_allowance_lines(
        expense_allowance(days, program_year.daily_expense_allowance), tax_year.meal_allowance_cap
    )
    cut = pay_cut_adjustment(
        sum(line.amount for line in ordered) + meal_taxable.amount, pay_cut_percent
    )
    if cut is not None:
        adjustments = [*adjustments, cut]
    adjustment_lines = [Line(a.code, a.amount, a.explanation, a.ref_month) for a in adjustments]
    earnings = tuple(
        line for line in (*ordered, *adjustment_lines, meal, meal_taxable) if line.amount != 0
    )

    taxable = (
        sum(line.amount for line in ordered)
        + sum(a.amount for a in adjustments if a.taxable)
        + meal_taxable.amount
    )
    non_taxable = meal.amount + sum(a.amount for a in adjustments if not a.taxable)
    gross = taxable + non_taxable
    insurable = taxable

    declared = declared_monthly_pay(enrollment, rates)
    cover = insurance_cover(schedule, enrollment.birth_date, month_start)
    bounds = rates.pension_bounds_on(month_start) if cover.pension else None
    children = enrollment.children
    tax_facts = TaxFacts(
        enrollment.dependents,
        children,
        rates.child_reduction_on(pay_date_of(month_start)).amounts if children else None,
    )
    employee = employee_deductions(
        declared, insurable, taxable, tax_facts, cover, insurance, bounds, month_table
    )
    settlement: Settlement | None = None
    if month_start <= schedule.end <= month_end:
        own = MonthFigures(month, insurable, taxable, _amounts(employee))
        months = [
            *_earlier_months(
                enrollment, attendance, month, rates, calendar, withholding, history or {}
            ),
            own,
        ]
        settlement = final_month_settlement(
            months,
            year_to_date or YearToDate(),
            enrollment.dependents,
            children,
            rates,
        )
        employee = [*employee, *settlement.lines]
    deductions = tuple(line for line in employee if line.amount != 0)
    hired_at_65 = age_on(enrollment.birth_date, schedule.start) >= EMPLOYMENT_INSURANCE_MAX_AGE
    employer = tuple(
        line
        for line in employer_contributions(
            insurable, employee, insurance, program_year, hired_at_65
        )
        if line.amount != 0
    )
    total_deductions = sum(line.amount for line in deductions)
    net = gross - total_deductions
    if net < 0:
        raise NegativeNetPay(
            f"participant {enrollment.participant_id}, {month}: net pay {net:,} won is "
            f"negative (gross {gross:,} − deductions {total_deductions:,}); held for review"
        )
    return Payslip(
        participant_id=enrollment.participant_id,
        program=program.code,
        month=month,
        earnings=earnings,
        deductions=deductions,
        employer=employer,
        gross=gross,
        insurable=insurable,
        taxable=taxable,
        non_taxable=non_taxable,
        total_deductions=total_deductions,
        net=net,
        leave=balance_on(accruals, used, month_end),
        facts=_facts(days, weeks),
        hourly_rate=rate,
        declared_monthly_pay=declared,
        notes=(*cover.notes, *payslip_notes(schedule.weekly_hours)),
        settlement=settlement,
    )


def _amounts(lines: Sequence[Line]) -> dict[str, int]:
    amounts: dict[str, int] = {}
    for line in lines:
        amounts[line.code] = amounts.get(line.code, 0) + line.amount
    return amounts


def _earlier_months(
    enrollment: Enrollment,
    attendance: Sequence[AttendanceRecord],
    month: str,
    rates: RateBook,
    calendar: HolidayCalendar,
    withholding: TaxTable,
    history: Mapping[str, MonthFigures],
) -> list[MonthFigures]:
    """The enrollment's months before ``month``: from ``history``, else computed."""
    figures = []
    for earlier in enrollment_months(enrollment):
        if earlier >= month:
            break
        known = history.get(earlier)
        if known is None:
            slip = calculate_month(enrollment, attendance, earlier, rates, calendar, withholding)
            known = MonthFigures.of(slip)
        figures.append(known)
    return figures


def calculate_enrollment(
    enrollment: Enrollment,
    attendance: Sequence[AttendanceRecord],
    rates: RateBook,
    calendar: HolidayCalendar,
    withholding: TaxTable,
    months: Sequence[str] | None = None,
    year_to_date: YearToDate | None = None,
) -> list[Payslip]:
    """Payslips of ``months`` (None: every month the enrollment touches), in the given order;
    the final month's settlements add ``year_to_date`` (§13)."""
    validate_attendance(enrollment, attendance, rates, calendar)
    wanted = enrollment_months(enrollment) if months is None else list(months)
    history: dict[str, MonthFigures] = {}
    slips = []
    for month in wanted:
        slip = calculate_month(
            enrollment,
            attendance,
            month,
            rates,
            calendar,
            withholding,
            history=history,
            year_to_date=year_to_date,
        )
        history[month] = MonthFigures.of(slip)
        slips.append(slip)
    return slips


def _facts(days: Sequence[ScheduledDay], weeks: Sequence[Week]) -> MonthFacts:
    worked = [d for d in days if d.worked]
    return MonthFacts(
        scheduled_days=len(days),
        worked_days=len(worked),
        worked_hours=sum((d.hours for d in worked), Decimal(0)),
        paid_holidays=sum(1 for d in days if d.paid_holiday),
        weekly_allowance_weeks=sum(1 for w in weeks if w.earned),
        absent_days=sum(1 for d in days if d.status is Status.ABSENT),
        leave_days=sum(1 for d in days if d.status in (Status.ANNUAL_LEAVE, Status.OFFICIAL_LEAVE)),
    )
