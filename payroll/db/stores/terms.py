"""Terms and their closure behind :class:`payroll.services.ports.terms.TermStore`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from payroll.db.batches import batches
from payroll.db.models import (
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipRow,
    RunException,
    TermClosure,
    TermRow,
)
from payroll.domain.calendar import month_code
from payroll.domain.roster import FinalMonth, StoredTerm
from payroll.domain.runs import RunState


class SqlTermStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def ended_before(self, day: date) -> list[StoredTerm]:
        rows = self.session.execute(
            select(TermRow, TermClosure)
            .outerjoin(
                TermClosure,
                and_(
                    TermClosure.program_code == TermRow.program_code,
                    TermClosure.term_code == TermRow.code,
                ),
            )
            .where(TermRow.end < day)
            .order_by(TermRow.id)
        )
        return [
            StoredTerm(
                t.program_code,
                t.code,
                t.start,
                t.end,
                c.closed_at if c else None,
                c.closed_by if c else None,
            )
            for t, c in rows
        ]

    def close(self, program: str, code: str, by: str, at: datetime) -> None:
        self.session.add(
            TermClosure(program_code=program, term_code=code, closed_at=at, closed_by=by)
        )
        self.session.flush()

    def final_months(self, program: str, code: str) -> list[FinalMonth]:
        rows = self.session.execute(
            select(EnrollmentRow.id, EnrollmentRow.end, Participant.district_code)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(
                EnrollmentRow.program_code == program,
                EnrollmentRow.term_code == code,
                EnrollmentRow.source == "roster",
            )
        ).all()
        return [FinalMonth(pk, month_code(end), district) for pk, end, district in rows]

    def settled(self, enrollment_ids: Sequence[int]) -> set[tuple[int, str]]:
        found: set[tuple[int, str]] = set()
        for chunk in batches(list(enrollment_ids)):
            paid = (
                select(PayslipRow.enrollment_id, PayslipRow.month)
                .join(PayrollRun)
                .where(PayslipRow.enrollment_id.in_(chunk), PayrollRun.state == RunState.FINALIZED)
            )
            excluded = (
                select(RunException.enrollment_id, PayrollRun.month)
                .join(PayrollRun)
                .where(RunException.enrollment_id.in_(chunk), RunException.excluded)
            )
            for query in (paid, excluded):
                found |= {(pk, month) for pk, month in self.session.execute(query)}
        return found
