"""Who a payroll run pays, everything a participant-month's pay depends on, and that pay.

:func:`month_payslip` is the month a run stores: calculated once from the corrected
record, with the retro lines still due (§16) and the participation pay cut.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from payroll.domain.calendar import HolidayCalendar
from payroll.domain.carryover import (
    CarryKind,
    Carryover,
    payment_adjustments,
    recovery_adjustments,
)
from payroll.domain.deductions import TaxTable
from payroll.domain.engine import PayContext, calculate_month
from payroll.domain.model import (
    Adjustment,
    AttendanceRecord,
    Enrollment,
    Payslip,
    RateBook,
    weekdays_from_codes,
)
from payroll.domain.retro import MonthPay, RetroLine, corrected_attendance, retro_lines
from payroll.domain.settlement import MonthFigures, YearToDate


def domain_enrollment(row: Any, participant: Any) -> Enrollment:
    """The pay engine's enrollment from a stored enrollment and its participant (any
    objects with the columns' names: rows or records)."""
    return Enrollment(
        participant_id=participant.participant_id,
        program=row.program_code,
        start=row.start,
        end=row.end,
        birth_date=participant.birth_date,
        dependents=participant.dependents,
        daily_hours=row.daily_hours,
        weekdays=weekdays_from_codes(row.weekdays.split(",")) if row.weekdays else None,
        children=participant.children,
        declared_monthly_pay=row.declared_monthly_pay,
    )


@dataclass(frozen=True)
class RunMember:
    """A roster enrollment of a run's month with its participant's payee details."""

    enrollment_id: int
    participant_pk: int
    participant_id: str
    district: str
    bank_code: str | None
    account: str | None
    enrollment: Enrollment
    pay_cut_percent: Decimal | None = None

    @property
    def program(self) -> str:
        return self.enrollment.program


@dataclass
class EnrolledParticipant:
    """An enrollment due for pay in the run's month, with everything its pay depends on."""

    member: RunMember
    attendance: list[AttendanceRecord] = field(default_factory=list)
    corrections: list[AttendanceRecord] = field(default_factory=list)
    finalized: dict[str, MonthPay] = field(default_factory=dict)  # own pay, months < run's
    retro_paid: dict[str, MonthPay] = field(default_factory=dict)  # by finalized runs
    history: dict[str, MonthFigures] = field(default_factory=dict)  # final month only
    year_to_date: YearToDate | None = None  # final month only (§13)
    carryovers: list[Carryover] = field(default_factory=list)  # held, returned, recovery

    @property
    def enrollment_id(self) -> int:
        return self.member.enrollment_id

    @property
    def enrollment(self) -> Enrollment:
        return self.member.enrollment

    @property
    def participant_id(self) -> str:
        return self.member.participant_id

    @property
    def pay_cut_percent(self) -> Decimal | None:
        return self.member.pay_cut_percent


def due_retro_lines(
    person: EnrolledParticipant,
    month: str,
    rates: RateBook,
    calendar: HolidayCalendar,
    withholding: TaxTable,
) -> list[RetroLine]:
    """The retro lines the run of ``month`` owes ``person`` (corrected finalized months)."""
    return retro_lines(
        person.enrollment,
        person.attendance,
        person.corrections,
        month,
        person.finalized,
        person.retro_paid,
        rates,
        calendar,
        withholding,
        person.pay_cut_percent,
    )


def month_payslip(
    person: EnrolledParticipant,
    month: str,
    rates: RateBook,
    calendar: HolidayCalendar,
    withholding: TaxTable,
) -> Payslip:
    """One participant-month with its retro lines (each naming the month it corrects) and
    its pay cut. The month is calculated from the corrected record (§16: weekly allowances
    and leave accruals follow the corrections of earlier months)."""
    retro = due_retro_lines(person, month, rates, calendar, withholding)
    attendance = (
        corrected_attendance(person.attendance, person.corrections)
        if person.corrections
        else person.attendance
    )
    due = due_carryovers(person, month)
    carried = payment_adjustments(due)

    def slip(retro_part: list[Adjustment], extra: list[Adjustment]) -> Payslip:
        return calculate_month(
            PayContext(person.enrollment, attendance, month, rates, calendar, withholding),
            [*retro_part, *carried, *extra],
            history=person.history,
            year_to_date=person.year_to_date,
            pay_cut_percent=person.pay_cut_percent,
        )

    lines = [line.adjustment for line in retro]
    if any(a.amount < 0 for a in lines):  # a correction lowering a month: net stays >= 0
        before = slip([a for a in lines if a.amount >= 0], [])
        lines = limited_retro(lines, before.net)
    payslip = slip(lines, [])
    recover = [c for c in due if c.kind is CarryKind.RECOVERY]
    recovery = recovery_adjustments(recover, payslip.net) if recover else []
    return slip(lines, recovery) if recovery else payslip


def limited_retro(lines: list[Adjustment], net: int) -> list[Adjustment]:
    """The retro lines with the negative ones (a lowered month, 환수) cut so that together
    they take at most ``net`` (the month's net pay without them), oldest month first; the
    rest stays due and the next run takes it (§16 counts what was paid)."""
    room = max(net, 0)
    order = sorted(
        (i for i, a in enumerate(lines) if a.amount < 0),
        key=lambda i: (lines[i].ref_month or "", not lines[i].taxable),
    )
    cut: dict[int, Adjustment | None] = {}
    for i in order:
        a = lines[i]
        take = min(-a.amount, room)
        room -= take
        rest = -a.amount - take
        note = f" (이번 달 {take:,}원 공제, 남은 {rest:,}원은 다음 급여에서)" if rest else ""
        cut[i] = replace(a, amount=-take, explanation=a.explanation + note) if take else None
    kept = (cut.get(i, a) for i, a in enumerate(lines))
    return [a for a in kept if a is not None]


def due_carryovers(person: EnrolledParticipant, month: str) -> list[Carryover]:
    """The carryovers the run of ``month`` settles for ``person`` (how-pay-is-calculated.md §17)."""
    final = month == person.enrollment.end.isoformat()[:7]
    return [c for c in person.carryovers if c.due_in(month, final)]
