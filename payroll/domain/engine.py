"""The pay engine: one participant-month in, one payslip out (how-pay-is-calculated.md §3–§10).

The engine takes a :class:`~payroll.domain.pay_context.PayContext` (enrollment, its whole
attendance, month, rates, calendar, withholding table; weeks (§7) and leave accrual (§8)
look across months). Every line of month M uses the rates and insurance of M's year; the
pension floor and ceiling are those of the period holding the 1st of M.

The month's own earnings are the rule lines of the pay-line registry
(:mod:`payroll.domain.pay_lines`), in its order; adjustments follow in the order given
(retro lines, then carried-over lines: :mod:`payroll.domain.carryover`, then the pay
cut), then the meal allowance lines. A line whose code the registry does not declare
raises :class:`~payroll.domain.pay_lines.UnknownPayLine`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from decimal import Decimal

from payroll.domain import attendance as attendance_rules
from payroll.domain import pay_lines
from payroll.domain.annual_leave import balance_on
from payroll.domain.attendance import ScheduledDay, schedule_of
from payroll.domain.calendar import HolidayCalendar, age_on, months_between
from payroll.domain.declared_pay import declared_monthly_pay
from payroll.domain.deductions import (
    EMPLOYMENT_INSURANCE_MAX_AGE,
    TaxFacts,
    employee_deductions,
    insurance_cover,
)
from payroll.domain.employer import employer_contributions
from payroll.domain.hourly import expense_allowance, meal_allowance_lines
from payroll.domain.model import (
    Adjustment,
    AttendanceRecord,
    Enrollment,
    Line,
    MonthFacts,
    NegativeNetPay,
    PayrollError,
    Payslip,
    RateBook,
    Status,
)
from payroll.domain.part_time import payslip_notes
from payroll.domain.pay_context import PAY_DAY, PayContext, pay_date_of
from payroll.domain.pay_cut import pay_cut_adjustment
from payroll.domain.pay_lines import LineKind
from payroll.domain.settlement import MonthFigures, Settlement, YearToDate, final_month_settlement
from payroll.domain.weekly_allowance import Week

__all__ = [
    "PAY_DAY",
    "PayContext",
    "calculate_enrollment",
    "calculate_month",
    "enrollment_months",
    "month_of_enrollment_months",
    "pay_date_of",
    "rule_lines",
    "validate_attendance",
]


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


def rule_lines(ctx: PayContext) -> list[Line]:
    """The month's rule lines (zero lines included), in payslip order: every registered
    earning rule that applies to ``ctx``."""
    lines = []
    for declared in pay_lines.rules(LineKind.EARNING):
        assert declared.rule is not None
        line = declared.rule(ctx)
        if line is not None:
            pay_lines.get(line.code, LineKind.EARNING)
            if line.code != declared.code:
                raise PayrollError(f"pay line {declared.code!r}: its rule wrote {line.code!r}")
            lines.append(line)
    return lines


def calculate_month(
    ctx: PayContext,
    adjustments: Sequence[Adjustment] = (),
    history: Mapping[str, MonthFigures] | None = None,
    year_to_date: YearToDate | None = None,
    pay_cut_percent: Decimal | None = None,
) -> Payslip:
    """The payslip of ``ctx.month`` (``"YYYY-MM"``) for an enrollment and its whole attendance.

    In the final month (the one holding E) the §13 settlements follow the month's own
    lines: they read the enrollment's earlier months from ``history`` (e.g. finalized
    payslips) and compute any month it lacks from the attendance; ``year_to_date`` holds
    the participant's earlier enrollments with the same district in E's year.
    ``pay_cut_percent`` adds the participation pay cut of the month's own taxable pay
    after ``adjustments``.
    """
    enrollment = ctx.enrollment
    schedule = ctx.schedule
    month = ctx.month_code
    month_start, month_end = ctx.month_range
    if month_end < schedule.start or month_start > schedule.end:
        raise PayrollError(
            f"participant {enrollment.participant_id}, {month}: outside the enrollment "
            f"{schedule.start.isoformat()} – {schedule.end.isoformat()}"
        )
    attendance_rules.validate(schedule, ctx.attendance, ctx.calendar)

    month_table = ctx.month_table
    rates = ctx.rates
    rate = ctx.rate
    insurance = ctx.insurance
    program_year = ctx.program_year
    days = ctx.days
    weeks = ctx.weeks

    ordered = rule_lines(ctx)
    meal, meal_taxable = meal_allowance_lines(
        expense_allowance(days, program_year.daily_expense_allowance),
        ctx.tax_year.meal_allowance_cap,
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
    pay_lines.check(earnings, LineKind.EARNING)

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
        rates.child_reduction_on(ctx.pay_date).amounts if children else None,
    )
    employee = employee_deductions(
        declared, insurable, taxable, tax_facts, cover, insurance, bounds, month_table
    )
    settlement: Settlement | None = None
    if ctx.is_final_month:
        own = MonthFigures(month, insurable, taxable, _amounts(employee))
        months = [*_earlier_months(ctx, history or {}), own]
        settlement = final_month_settlement(
            months,
            year_to_date or YearToDate(),
            enrollment.dependents,
            children,
            rates,
        )
        employee = [*employee, *settlement.lines]
    deductions = tuple(
        pay_lines.in_order((line for line in employee if line.amount != 0), LineKind.DEDUCTION)
    )
    hired_at_65 = age_on(enrollment.birth_date, schedule.start) >= EMPLOYMENT_INSURANCE_MAX_AGE
    employer = tuple(
        pay_lines.in_order(
            (
                line
                for line in employer_contributions(
                    insurable, employee, insurance, program_year, hired_at_65
                )
                if line.amount != 0
            ),
            LineKind.EMPLOYER,
        )
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
        program=ctx.program.code,
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
        leave=balance_on(ctx.accruals, ctx.leave_used, month_end),
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


def _earlier_months(ctx: PayContext, history: Mapping[str, MonthFigures]) -> list[MonthFigures]:
    """The enrollment's months before ``ctx.month``: from ``history``, else computed."""
    figures = []
    for earlier in enrollment_months(ctx.enrollment):
        if earlier >= ctx.month_code:
            break
        known = history.get(earlier)
        if known is None:
            known = MonthFigures.of(calculate_month(ctx.in_month(earlier)))
        figures.append(known)
    return figures


def calculate_enrollment(
    ctx: PayContext,
    months: Sequence[str] | None = None,
    year_to_date: YearToDate | None = None,
) -> list[Payslip]:
    """Payslips of ``months`` (None: every month the enrollment touches; ``ctx.month`` is
    not read), in the given order; the final month's settlements add ``year_to_date`` (§13)."""
    validate_attendance(ctx.enrollment, ctx.attendance, ctx.rates, ctx.calendar)
    wanted = enrollment_months(ctx.enrollment) if months is None else list(months)
    history: dict[str, MonthFigures] = {}
    slips = []
    for month in wanted:
        slip = calculate_month(ctx.in_month(month), history=history, year_to_date=year_to_date)
        history[month] = MonthFigures.of(slip)
        slips.append(slip)
    return slips


def _facts(days: Sequence[ScheduledDay], weeks: Sequence[Week]) -> MonthFacts:
    """The month's counts, in one pass over its days (read for every participant)."""
    status = Counter(d.status for d in days)
    worked_hours = sum((d.hours for d in days if d.worked), Decimal(0))
    return MonthFacts(
        scheduled_days=len(days),
        worked_days=status[Status.WORKED],
        worked_hours=worked_hours,
        paid_holidays=sum(1 for d in days if d.paid_holiday),
        weekly_allowance_weeks=sum(1 for w in weeks if w.earned),
        absent_days=status[Status.ABSENT],
        leave_days=status[Status.ANNUAL_LEAVE] + status[Status.OFFICIAL_LEAVE],
    )
