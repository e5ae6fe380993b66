"""What a payroll run reads: enrollments of a month, their attendance and corrections."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from payroll.domain.calendar import month_range
from payroll.domain.retro import MonthPay
from payroll.domain.run_member import EnrolledParticipant, RunMember
from payroll.domain.settlement import MonthFigures, YearToDate
from payroll.services.unit_of_work import UnitOfWork

__all__ = ["EnrolledParticipant", "RunMember", "load_inputs", "run_sizes"]


def run_sizes(
    uow: UnitOfWork, month: str, district: str | None, program: str | None
) -> dict[tuple[str, str], int]:
    """How many roster enrollments overlap ``month`` per (district, program), counted by
    the database: the month's runs, each read in full by its own calculation."""
    with uow:
        return uow.run_inputs.sizes(month, district, program)


def load_inputs(
    uow: UnitOfWork, month: str, members: Sequence[RunMember]
) -> list[EnrolledParticipant]:
    """Attendance, corrections and earlier finalized pay of a run's enrollments, in bulk."""
    first_day, last_day = month_range(month)
    people = {m.enrollment_id: EnrolledParticipant(m) for m in members}
    ids = list(people)
    inputs = uow.run_inputs
    for enrollment_id, records in inputs.attendance(ids).items():
        people[enrollment_id].attendance.extend(records)
    for enrollment_id, records in inputs.corrections(ids).items():
        people[enrollment_id].corrections.extend(records)
    for enrollment_id, items in uow.carryovers.of_enrollments(ids).items():
        people[enrollment_id].carryovers.extend(items)
    with_corrections = [pid for pid, p in people.items() if p.corrections]
    for enrollment_id, slip_month, ref_month, paid in inputs.finalized_pay(with_corrections):
        person = people[enrollment_id]
        if ref_month is not None:
            person.retro_paid[ref_month] = person.retro_paid.get(ref_month, MonthPay()) + paid
        elif slip_month < month:
            person.finalized[slip_month] = person.finalized.get(slip_month, MonthPay()) + paid
    finishing = [p for p in people.values() if first_day <= p.enrollment.end <= last_day]
    load_settlement_inputs(uow, month, finishing)
    return list(people.values())


YTD_CODES: dict[str, str] = {
    "income_tax": "income_tax",
    "income_tax_settlement": "income_tax",
    "local_income_tax": "local_income_tax",
    "local_income_tax_settlement": "local_income_tax",
    "national_pension": "national_pension",
    "health_insurance": "health_insurance",
    "health_insurance_settlement": "health_insurance",
    "long_term_care": "long_term_care",
    "long_term_care_settlement": "long_term_care",
    "employment_insurance": "employment_insurance",
}
"""Deduction lines of earlier enrollments and the year-to-date figure they count toward."""


def load_settlement_inputs(
    uow: UnitOfWork, month: str, people: Sequence[EnrolledParticipant]
) -> None:
    """For enrollments ending in ``month`` (§13): their earlier finalized months, and the
    year-to-date of the participant's earlier enrollments with the same district in E's
    year, from finalized payslips."""
    inputs = uow.run_inputs
    by_enrollment = {p.enrollment_id: p for p in people}
    slips = inputs.finalized_slips(list(by_enrollment), month)
    amounts = inputs.deduction_amounts([slip_id for slip_id, *_ in slips])
    for slip_id, enrollment_id, slip_month, insurable, taxable in slips:
        by_enrollment[enrollment_id].history[slip_month] = MonthFigures(
            slip_month, insurable, taxable, amounts.get(slip_id, {})
        )
    by_participant: dict[int, list[EnrolledParticipant]] = defaultdict(list)
    for person in people:
        by_participant[person.member.participant_pk].append(person)
    earlier: dict[int, list[tuple[int, int]]] = defaultdict(list)  # enrollment -> slips
    for slip_id, taxable, participant_pk, ended, district in inputs.finalized_year_slips(
        list(by_participant), month[:4]
    ):
        for person in by_participant[participant_pk]:
            if ended < person.enrollment.start and district == person.member.district:
                earlier[person.enrollment_id].append((slip_id, taxable))
    amounts = inputs.deduction_amounts([i for found in earlier.values() for i, _t in found])
    for person in people:
        found = earlier.get(person.enrollment_id, [])
        totals = dict.fromkeys(YearToDate.field_names(), 0)
        totals["taxable"] = sum(taxable for _id, taxable in found)
        for slip_id, _taxable in found:
            for code, amount in amounts.get(slip_id, {}).items():
                if code in YTD_CODES:
                    totals[YTD_CODES[code]] += amount
        person.year_to_date = YearToDate(**totals)
