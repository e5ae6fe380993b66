"""§8 payout of unused annual leave (미사용 연차수당), in the month that holds E."""

from __future__ import annotations

from payroll.domain.annual_leave import payout_line
from payroll.domain.model import Line
from payroll.domain.pay_context import PayContext
from payroll.domain.pay_lines.registry import pay_line


@pay_line(code="annual_leave_payout", order=80, label="미사용 연차수당")
def annual_leave_payout(ctx: PayContext) -> Line | None:
    if not ctx.is_final_month:
        return None
    unused = len(ctx.accruals) - len(ctx.leave_used)
    return payout_line(unused, ctx.schedule.daily_hours, ctx.rate)
