"""The §5 day-based lines (시급제); overtime and holiday work apply to both pay bases."""

from __future__ import annotations

from payroll.domain import hourly
from payroll.domain.model import Line, PayBasis
from payroll.domain.pay_context import PayContext
from payroll.domain.pay_lines.registry import pay_line


@pay_line(code="base_pay", order=10, label="기본급")
def base_pay(ctx: PayContext) -> Line | None:
    if ctx.pay_basis is not PayBasis.HOURLY:
        return None
    return hourly.base_pay(ctx.days, ctx.schedule.daily_hours, ctx.rate)


@pay_line(code="overtime_pay", order=30, label="연장근로수당")
def overtime_pay(ctx: PayContext) -> Line:
    return hourly.overtime_pay(ctx.days, ctx.schedule.daily_hours, ctx.rate)


@pay_line(code="holiday_pay", order=40, label="유급휴일수당")
def holiday_pay(ctx: PayContext) -> Line | None:
    if ctx.pay_basis is not PayBasis.HOURLY:
        return None
    s = ctx.schedule
    return hourly.holiday_pay(ctx.days, s.daily_hours, ctx.rate, s.weekly_hours)


@pay_line(code="holiday_work_pay", order=50, label="휴일근로수당")
def holiday_work_pay(ctx: PayContext) -> Line:
    return hourly.holiday_work_pay(ctx.days, ctx.rate)


@pay_line(code="paid_leave_pay", order=60, label="유급휴가수당")
def paid_leave_pay(ctx: PayContext) -> Line | None:
    if ctx.pay_basis is not PayBasis.HOURLY:
        return None
    return hourly.paid_leave_pay(ctx.days, ctx.schedule.daily_hours, ctx.rate)
