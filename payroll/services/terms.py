"""Closing ended terms: every ended enrollment's final month is paid (leave payout, §8).

A term is closed once every enrollment of it has a payslip in a finalized run (or an
excluded exception) for the month holding its end date. Closing calculates the final
month's run of a district that has none yet, so that the unused-leave payout is on the
payslips; it never recalculates a run that exists (an approval is never undone by the
schedule). ``term.closed`` is recorded in the audit log once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import (
    AuditLog,
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipRow,
    RunException,
    TermRow,
)
from payroll.db.uow import SqlUnitOfWork
from payroll.domain.calendar import month_code
from payroll.domain.runs import RunState
from payroll.services import audit
from payroll.services.runs import calculate_runs


@dataclass
class TermCloseReport:
    closed: list[str] = field(default_factory=list)  # "dongheng 2025-H1"
    waiting: list[str] = field(default_factory=list)  # final months not finalized yet
    calculated: list[str] = field(default_factory=list)  # "2025-06 11110 dongheng"


@dataclass(frozen=True)
class FinalMonth:
    """An enrollment of the term, the month holding its end, and its district."""

    enrollment_id: int
    month: str
    district: str


def close_ended_terms(engine: Engine, today: date, actor: str = "scheduler") -> TermCloseReport:
    """Close every term that ended before ``today``."""
    report = TermCloseReport()
    with transaction(engine) as session:
        terms = list(session.scalars(select(TermRow).where(TermRow.end < today)))
        done = set(
            session.scalars(select(AuditLog.entity_id).where(AuditLog.action == "term.closed"))
        )
    for term in terms:
        key = f"{term.program_code}:{term.code}"
        if key in done:
            continue
        finals = _final_months(engine, term)
        for month, district in sorted({(f.month, f.district) for f in finals}):
            if not _run_exists(engine, month, district, term.program_code):
                calculate_runs(
                    SqlUnitOfWork(engine), month, district, term.program_code, actor=actor
                )
                report.calculated.append(f"{month} {district} {term.program_code}")
        if _unpaid(engine, finals):
            report.waiting.append(f"{term.program_code} {term.code}")
            continue
        with transaction(engine) as session:
            audit.record(session, actor, "term.closed", "term", key, end=term.end.isoformat())
        report.closed.append(f"{term.program_code} {term.code}")
    return report


def _final_months(engine: Engine, term: TermRow) -> list[FinalMonth]:
    with transaction(engine) as session:
        rows = session.execute(
            select(EnrollmentRow.id, EnrollmentRow.end, Participant.district_code)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(
                EnrollmentRow.program_code == term.program_code,
                EnrollmentRow.term_code == term.code,
                EnrollmentRow.source == "roster",
            )
        ).all()
    return [FinalMonth(pk, month_code(end), district) for pk, end, district in rows]


def _run_exists(engine: Engine, month: str, district: str, program: str) -> bool:
    with transaction(engine) as session:
        return (
            session.scalar(
                select(PayrollRun.id).where(
                    PayrollRun.month == month,
                    PayrollRun.district_code == district,
                    PayrollRun.program_code == program,
                )
            )
            is not None
        )


def _unpaid(engine: Engine, finals: list[FinalMonth]) -> list[int]:
    """Enrollments whose final month has no finalized payslip and no excluded exception."""
    ids = [f.enrollment_id for f in finals]
    settled: set[tuple[int, str]] = set()
    with transaction(engine) as session:
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            settled |= set(
                session.execute(
                    select(PayslipRow.enrollment_id, PayslipRow.month)
                    .join(PayrollRun)
                    .where(
                        PayslipRow.enrollment_id.in_(chunk), PayrollRun.state == RunState.FINALIZED
                    )
                ).all()
            )
            settled |= set(
                session.execute(
                    select(RunException.enrollment_id, PayrollRun.month)
                    .join(PayrollRun)
                    .where(RunException.enrollment_id.in_(chunk), RunException.excluded)
                ).all()
            )
    return [f.enrollment_id for f in finals if (f.enrollment_id, f.month) not in settled]
