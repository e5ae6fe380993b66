"""The §6 lines of the monthly basis (월급제): base salary and absence deduction."""

from __future__ import annotations

from payroll.domain import monthly
from payroll.domain.model import Line, PayBasis
from payroll.domain.pay_context import PayContext
from payroll.domain.pay_lines.registry import pay_line


@pay_line(code="base_salary", order=20, label="기본급(월급)")
def base_salary(ctx: PayContext) -> Line | None:
    if ctx.pay_basis is not PayBasis.MONTHLY:
        return None
    return monthly.base_salary(ctx.schedule, ctx.month_start, ctx.month_end, ctx.rate)


@pay_line(code="absence_deduction", order=90, label="결근공제")
def absence_deduction(ctx: PayContext) -> Line | None:
    if ctx.pay_basis is not PayBasis.MONTHLY:
        return None
    return monthly.absence_deduction(ctx.days, ctx.weeks, ctx.schedule, ctx.rate)
