"""The severance review (퇴직금 검토 대상, how-pay-is-calculated.md §15) of stored enrollments.

Wages are the finalized payslips' earnings less the expense allowance (실비), by month.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from payroll.domain.ledger import EXPENSE_CODES
from payroll.domain.report_records import EnrollmentRecord, ProgramRecord
from payroll.domain.severance import Chain, Estimate, Service, estimate, reviewable
from payroll.services.common import lookup
from payroll.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class SeveranceCase:
    participant_id: str
    name: str
    district: str  # Korean name
    chain: Chain
    estimate: Estimate | None


def _weekly_hours(row: EnrollmentRecord, program: ProgramRecord) -> Decimal:
    hours = row.daily_hours if row.daily_hours is not None else program.daily_hours
    weekdays = row.weekdays or program.weekdays
    return Decimal(hours) * len([d for d in weekdays.split(",") if d])


def severance_cases(uow: UnitOfWork, district: str | None = None) -> list[SeveranceCase]:
    """Every chain of continuous service of 365 days or more, by district and participant."""
    with uow:
        code = lookup.district_code(uow, district) if district else None
        names = lookup.district_names(uow)
        programs = uow.severance.programs()
        people = uow.severance.enrollments(code)
        candidates = [
            (person, found)
            for person, rows in people
            if (
                found := reviewable(
                    [
                        Service(
                            f"{programs[r.program_code].name} {r.term_code or ''}".strip(),
                            r.start,
                            r.end,
                            _weekly_hours(r, programs[r.program_code]),
                        )
                        for r in rows
                    ]
                )
            )
        ]
        wages = uow.severance.monthly_wages([p.id for p, _ in candidates], EXPENSE_CODES)
    return [
        SeveranceCase(
            person.participant_id,
            person.name,
            names.get(person.district_code, person.district_code),
            chain,
            estimate(chain, wages.get(person.id, {})),
        )
        for person, found in candidates
        for chain in found
    ]
