"""Retro adjustments (소급 정산, how-pay-is-calculated.md §16): corrected finalized months.

A finalized payroll never changes. A correction of a finalized month M is paid in a later
run of the enrollment as the difference between M recalculated with the corrected record
and M as finalized: the taxable part as ``retro_adjustment`` (taxable, insurable), the
non-taxable part (the meal/transport allowance) as ``retro_expense_allowance``
(non-taxable). "M as finalized" is M's own pay: the finalized payslip less the retro lines
it carried for other months. What finalized runs already paid for M is subtracted, so
each difference is paid once whatever the order in which later runs are finalized.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from payroll.domain.calendar import HolidayCalendar, month_code, week_monday
from payroll.domain.deductions import TaxTable
from payroll.domain.engine import calculate_month
from payroll.domain.model import Adjustment, AttendanceRecord, Enrollment, RateBook
from payroll.domain.money import won
from payroll.domain.pay_context import PayContext
from payroll.domain.pay_cut import pay_cut

RETRO_CODE = "retro_adjustment"
RETRO_EXPENSE_CODE = "retro_expense_allowance"
RETRO_CODES = (RETRO_CODE, RETRO_EXPENSE_CODE)


@dataclass(frozen=True)
class MonthPay:
    """A month's pay split by taxability (won)."""

    taxable: int = 0
    non_taxable: int = 0

    def __add__(self, other: MonthPay) -> MonthPay:
        return MonthPay(self.taxable + other.taxable, self.non_taxable + other.non_taxable)

    def __sub__(self, other: MonthPay) -> MonthPay:
        return MonthPay(self.taxable - other.taxable, self.non_taxable - other.non_taxable)

    @property
    def total(self) -> int:
        return self.taxable + self.non_taxable


@dataclass(frozen=True)
class RetroLine:
    """A retro adjustment and the past month it corrects (also the line's ``ref_month``)."""

    month: str
    adjustment: Adjustment

    @property
    def key(self) -> tuple[str, str]:
        """(line code, corrected month): what a run's stored retro lines are summed by."""
        return (self.adjustment.code, self.month)


def corrected_attendance(
    attendance: Sequence[AttendanceRecord], corrections: Sequence[AttendanceRecord]
) -> list[AttendanceRecord]:
    """The attendance with each corrected day replaced by its correction."""
    replaced = {c.day for c in corrections}
    return sorted(
        [*(r for r in attendance if r.day not in replaced), *corrections], key=lambda r: r.day
    )


def affected_months(corrections: Sequence[AttendanceRecord]) -> set[str]:
    """Months whose pay a corrected day can change: its own, and its week's Sunday's."""
    months = set()
    for c in corrections:
        months.add(month_code(c.day))
        months.add(month_code(week_monday(c.day) + timedelta(days=6)))
    return months


def recalculated_pay(ctx: PayContext, pay_cut_percent: Decimal | None = None) -> MonthPay:
    """The own pay (no retro lines) of ``ctx.month`` from ``ctx.attendance``, pay cut included."""
    slip = calculate_month(ctx)
    return MonthPay(slip.taxable - pay_cut(slip.taxable, pay_cut_percent), slip.non_taxable)


def retro_lines(
    enrollment: Enrollment,
    attendance: Sequence[AttendanceRecord],
    corrections: Sequence[AttendanceRecord],
    month: str,
    finalized: Mapping[str, MonthPay],
    already_paid: Mapping[str, MonthPay],
    rates: RateBook,
    calendar: HolidayCalendar,
    withholding: TaxTable,
    pay_cut_percent: Decimal | None = None,
) -> list[RetroLine]:
    """Retro lines for the run of ``month``: per finalized earlier month that changed, a
    taxable ``retro_adjustment`` and a non-taxable ``retro_expense_allowance`` line.

    ``finalized`` maps finalized months to their own pay; ``already_paid`` maps a month to
    the retro amounts for it carried by finalized runs (any month).
    """
    if not corrections:
        return []
    fixed = corrected_attendance(attendance, corrections)
    lines = []
    for past in sorted(affected_months(corrections)):
        if past >= month or past not in finalized:
            continue
        recalculated = recalculated_pay(
            PayContext(enrollment, fixed, past, rates, calendar, withholding), pay_cut_percent
        )
        paid = already_paid.get(past, MonthPay())
        due = recalculated - finalized[past] - paid
        fin = finalized[past]
        for code, taxable, amount, new, old, carried in (
            (RETRO_CODE, True, due.taxable, recalculated.taxable, fin.taxable, paid.taxable),
            (
                RETRO_EXPENSE_CODE,
                False,
                due.non_taxable,
                recalculated.non_taxable,
                fin.non_taxable,
                paid.non_taxable,
            ),
        ):
            if amount == 0:
                continue
            earlier = f" - 기정산 {won(carried)}" if carried else ""
            explanation = f"{past} 정정분: 재계산 {won(new)} - 확정 {won(old)}{earlier}"
            lines.append(RetroLine(past, Adjustment(code, amount, explanation, taxable, past)))
    return lines
