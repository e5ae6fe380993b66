"""Retro adjustments (소급 정산): a finalized month recalculated with late corrections.

A finalized payroll never changes. A correction for a past month is paid in the
participant's next run as one ``retro_adjustment`` line per corrected month, equal to
the recalculated gross minus the finalized gross (less what earlier retro lines for that
month already paid). Deductions then follow from the next month's corrected total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from payroll.domain.calendar import HolidayCalendar, month_code, week_monday
from payroll.domain.deductions import TaxTable
from payroll.domain.engine import calculate_month
from payroll.domain.model import Adjustment, AttendanceRecord, Enrollment, RateBook
from payroll.domain.money import won

RETRO_CODE = "retro_adjustment"


@dataclass(frozen=True)
class RetroLine:
    """A retro adjustment and the past month it corrects."""

    month: str
    adjustment: Adjustment


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


def retro_lines(
    enrollment: Enrollment,
    attendance: Sequence[AttendanceRecord],
    corrections: Sequence[AttendanceRecord],
    month: str,
    finalized_gross: Mapping[str, int],
    already_paid: Mapping[str, int],
    rates: RateBook,
    calendar: HolidayCalendar,
    withholding: TaxTable,
) -> list[RetroLine]:
    """Retro lines for the run of ``month``: one per finalized earlier month that changed.

    ``finalized_gross`` maps finalized months to their stored gross; ``already_paid``
    maps a month to the retro amounts for it carried by finalized later runs.
    """
    if not corrections:
        return []
    fixed = corrected_attendance(attendance, corrections)
    lines = []
    for past in sorted(affected_months(corrections)):
        if past >= month or past not in finalized_gross:
            continue
        recalculated = calculate_month(enrollment, fixed, past, rates, calendar, withholding)
        paid = finalized_gross[past] + already_paid.get(past, 0)
        difference = recalculated.gross - paid
        if difference == 0:
            continue
        carried = already_paid.get(past, 0)
        earlier = f" - 기정산 {won(carried)}" if carried else ""
        explanation = (
            f"{past} 정정분: 재계산 {won(recalculated.gross)} - 확정 "
            f"{won(finalized_gross[past])}{earlier}"
        )
        lines.append(RetroLine(past, Adjustment(RETRO_CODE, difference, explanation)))
    return lines
