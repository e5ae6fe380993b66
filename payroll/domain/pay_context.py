"""The pay context: one participant-month's inputs and what the month derives from them.

The engine (:mod:`payroll.domain.engine`), the pay-line rules
(:mod:`payroll.domain.pay_lines`) and :func:`payroll.domain.retro.recalculated_pay` take a
:class:`PayContext` instead of the six inputs. What the month derives (schedule, month
range, hourly rate, program year, scheduled days, weeks, absences, leave accrual …) is
computed once, the first time something reads it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from payroll.domain.annual_leave import leave_accruals
from payroll.domain.attendance import (
    Schedule,
    ScheduledDay,
    absent_dates,
    records_by_day,
    schedule_of,
    scheduled_days_between,
)
from payroll.domain.calendar import HolidayCalendar, add_months, month_range
from payroll.domain.deductions import TaxTable
from payroll.domain.derived import derived
from payroll.domain.model import (
    AttendanceRecord,
    Enrollment,
    InsuranceRates,
    PayBasis,
    PayrollError,
    Program,
    ProgramYear,
    RateBook,
    Status,
)
from payroll.domain.tax_year import TaxYear
from payroll.domain.weekly_allowance import Week, weeks_of_month
from payroll.domain.withholding_dates import table_for

PAY_DAY = 10
"""§9: the pay date of month M is the 10th of M + 1 (the child reduction goes by it)."""


def pay_date_of(month_start: date) -> date:
    """The pay date of the month starting ``month_start``: the 10th of the next month."""
    return add_months(month_start, 1).replace(day=PAY_DAY)


@dataclass(frozen=True, eq=False)
class PayContext:
    """An enrollment, its whole attendance (weeks and leave accrual look across months), the
    month (``"YYYY-MM"``; ``None`` for what spans the enrollment) and the reference data.

    Every line of month M uses the rates and insurance of M's year (§3).
    """

    enrollment: Enrollment
    attendance: Sequence[AttendanceRecord]
    month: str | None
    rates: RateBook
    calendar: HolidayCalendar
    withholding: TaxTable

    def in_month(self, month: str) -> PayContext:
        """The same inputs for another month."""
        return dataclasses.replace(self, month=month)

    # -- what the enrollment derives -------------------------------------------------

    @derived
    def program(self) -> Program:
        return self.rates.program(self.enrollment.program)

    @derived
    def schedule(self) -> Schedule:
        return schedule_of(self.enrollment, self.program)

    @property
    def pay_basis(self) -> PayBasis:
        return self.program.pay_basis

    @derived
    def absent(self) -> frozenset[date]:
        """The enrollment's absent days (any month)."""
        return frozenset(absent_dates(self.attendance))

    @derived
    def accruals(self) -> list[date]:
        """Days on which a leave day accrues over the whole enrollment (§8)."""
        s = self.schedule
        return leave_accruals(s.start, s.end, s.weekly_hours, self.absent)

    @derived
    def leave_used(self) -> list[date]:
        """Days of annual leave taken (any month)."""
        return [r.day for r in self.attendance if r.status is Status.ANNUAL_LEAVE]

    # -- what the month derives -----------------------------------------------------

    @derived
    def month_code(self) -> str:
        if self.month is None:
            raise PayrollError(f"participant {self.enrollment.participant_id}: no month given")
        return self.month

    @derived
    def month_range(self) -> tuple[date, date]:
        return month_range(self.month_code)

    @property
    def month_start(self) -> date:
        return self.month_range[0]

    @property
    def month_end(self) -> date:
        return self.month_range[1]

    @property
    def year(self) -> int:
        return self.month_start.year

    @property
    def pay_date(self) -> date:
        return pay_date_of(self.month_start)

    @property
    def is_final_month(self) -> bool:
        """The month holds E: annual-leave payout and the §13 settlements."""
        return self.month_start <= self.schedule.end <= self.month_end

    @derived
    def rate(self) -> int:
        """The hourly rate r of the program in the month's year."""
        return self.rates.hourly_rate(self.program.code, self.year)

    @derived
    def insurance(self) -> InsuranceRates:
        return self.rates.insurance_rates(self.year)

    @derived
    def program_year(self) -> ProgramYear:
        return self.rates.program_year(self.program.code, self.year)

    @derived
    def tax_year(self) -> TaxYear:
        return self.rates.tax_year(self.year)

    @derived
    def month_table(self) -> TaxTable:
        """The withholding table in force on the month's pay date."""
        return table_for(self.withholding, self.pay_date)

    @derived
    def days(self) -> list[ScheduledDay]:
        """The month's scheduled days with their attendance."""
        return scheduled_days_between(
            self.schedule,
            records_by_day(self.attendance),
            self.calendar,
            self.month_start,
            self.month_end,
        )

    @derived
    def weeks(self) -> list[Week]:
        """The weeks whose Sunday is in the month (§7)."""
        return weeks_of_month(self.month_code, self.schedule, self.absent)
