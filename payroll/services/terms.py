"""Closing ended terms: the final month of every ended enrollment is paid (leave payout, §8).

A term is closed once every enrollment of it that ended has a payslip (or an excluded
exception) for the month holding its end date. Closing calculates the runs of those final
months that are not finalized yet, so the unused-leave payout is on the payslips, and
records ``term.closed`` in the audit log once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import AuditLog, EnrollmentRow, PayrollRun, PayslipRow, RunException, TermRow
from payroll.domain.calendar import month_code
from payroll.services import audit
from payroll.services.runs import calculate_runs


@dataclass
class TermCloseReport:
    closed: list[str] = field(default_factory=list)  # "dongheng 2025-H1"
    waiting: list[str] = field(default_factory=list)  # final month not paid yet
    calculated_months: list[str] = field(default_factory=list)


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
        month = month_code(term.end)
        if _unpaid(engine, term) and _run_state(engine, term.program_code, month) != "finalized":
            calculate_runs(engine, month, program=term.program_code, actor=actor)
            report.calculated_months.append(f"{term.program_code} {month}")
        if _unpaid(engine, term):
            report.waiting.append(f"{term.program_code} {term.code}")
            continue
        with transaction(engine) as session:
            audit.record(session, actor, "term.closed", "term", key, end=term.end.isoformat())
        report.closed.append(f"{term.program_code} {term.code}")
    return report


def _unpaid(engine: Engine, term: TermRow) -> list[int]:
    """Enrollments of the term whose final month has no payslip and no excluded exception."""
    with transaction(engine) as session:
        enrollments = session.execute(
            select(EnrollmentRow.id, EnrollmentRow.end).where(
                EnrollmentRow.program_code == term.program_code,
                EnrollmentRow.term_code == term.code,
                EnrollmentRow.source == "roster",
            )
        ).all()
        missing = []
        for enrollment_id, end in enrollments:
            month = month_code(end)
            paid = session.scalar(
                select(PayslipRow.id).where(
                    PayslipRow.enrollment_id == enrollment_id, PayslipRow.month == month
                )
            )
            excluded = session.scalar(
                select(RunException.id)
                .join(PayrollRun)
                .where(
                    RunException.enrollment_id == enrollment_id,
                    PayrollRun.month == month,
                    RunException.excluded,
                )
            )
            if paid is None and excluded is None:
                missing.append(enrollment_id)
        return missing


def _run_state(engine: Engine, program: str, month: str) -> str | None:
    with transaction(engine) as session:
        states = set(
            session.scalars(
                select(PayrollRun.state).where(
                    PayrollRun.program_code == program, PayrollRun.month == month
                )
            )
        )
    return "finalized" if states == {"finalized"} else (states.pop() if states else None)
