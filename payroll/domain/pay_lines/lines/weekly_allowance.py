"""§7 weekly allowance (주휴수당) of the hourly basis; the monthly wage already holds it."""

from __future__ import annotations

from payroll.domain.model import Line, PayBasis
from payroll.domain.pay_context import PayContext
from payroll.domain.pay_lines.registry import pay_line
from payroll.domain.weekly_allowance import weekly_allowance_line


@pay_line(code="weekly_allowance", order=70, label="주휴수당")
def weekly_allowance(ctx: PayContext) -> Line | None:
    if ctx.pay_basis is not PayBasis.HOURLY:
        return None
    return weekly_allowance_line(ctx.weeks, ctx.schedule.weekly_hours, ctx.rate)
