"""The severance review (퇴직금 검토 대상, how-pay-is-calculated.md §15) of stored enrollments.

Wages are the finalized payslips' earnings less the expense allowance (실비), by month.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Engine, and_, func, select

from payroll.db.engine import transaction
from payroll.db.models import (
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipLineRow,
    PayslipRow,
    ProgramRow,
)
from payroll.domain.runs import RunState
from payroll.domain.severance import Chain, Estimate, Service, estimate, reviewable
from payroll.services import lookup
from payroll.services.ledger import EXPENSE_CODES


@dataclass(frozen=True)
class SeveranceCase:
    participant_id: str
    name: str
    district: str  # Korean name
    chain: Chain
    estimate: Estimate | None


def _weekly_hours(row: EnrollmentRow, program: ProgramRow) -> Decimal:
    hours = row.daily_hours if row.daily_hours is not None else program.daily_hours
    weekdays = row.weekdays or program.weekdays
    return Decimal(hours) * len([d for d in weekdays.split(",") if d])


def severance_cases(engine: Engine, district: str | None = None) -> list[SeveranceCase]:
    """Every chain of continuous service of 365 days or more, by district and participant."""
    with transaction(engine) as session:
        code = lookup.district_code(session, district) if district else None
        names = lookup.district_names(session)
        programs = {p.code: p for p in session.scalars(select(ProgramRow))}
        stmt = (
            select(EnrollmentRow, Participant)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .order_by(Participant.district_code, Participant.participant_id, EnrollmentRow.start)
        )
        if code:
            stmt = stmt.where(Participant.district_code == code)
        by_person: dict[int, list[EnrollmentRow]] = defaultdict(list)
        people: dict[int, Participant] = {}
        for row, person in session.execute(stmt):
            by_person[person.id].append(row)
            people[person.id] = person
        candidates = {
            pk: found
            for pk, rows in by_person.items()
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
        }
        wages = _wages(session, list(candidates))
        cases = []
        for pk, found in candidates.items():
            person = people[pk]
            for chain in found:
                cases.append(
                    SeveranceCase(
                        person.participant_id,
                        person.name,
                        names.get(person.district_code, person.district_code),
                        chain,
                        estimate(chain, wages.get(pk, {})),
                    )
                )
        return cases


def _wages(session, participant_pks: list[int]) -> dict[int, dict[str, int]]:  # type: ignore[no-untyped-def]
    out: dict[int, dict[str, int]] = defaultdict(dict)
    if not participant_pks:
        return out
    for start in range(0, len(participant_pks), 900):
        chunk = participant_pks[start : start + 900]
        stmt = (
            select(EnrollmentRow.participant_pk, PayslipRow.month, func.sum(PayslipLineRow.amount))
            .join(PayslipRow, PayslipRow.id == PayslipLineRow.payslip_id)
            .join(PayrollRun, and_(PayrollRun.id == PayslipRow.run_id))
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .where(
                EnrollmentRow.participant_pk.in_(chunk),
                PayrollRun.state == RunState.FINALIZED,
                PayslipLineRow.kind == "earning",
                PayslipLineRow.code.not_in(EXPENSE_CODES),
            )
            .group_by(EnrollmentRow.participant_pk, PayslipRow.month)
        )
        for pk, month, amount in session.execute(stmt):
            out[pk][month] = int(amount or 0)
    return out
