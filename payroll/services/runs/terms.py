"""Closing ended terms: every ended enrollment's final month is paid (leave payout, §8).

A term is closed once every enrollment of it has a payslip in a finalized run (or an
excluded exception) for the month holding its end date. Closing calculates the final
month's run of a district that has none yet, so that the unused-leave payout is on the
payslips; it never recalculates a run that exists (an approval is never undone by the
schedule). A closed term is stored as closed (who, when: ``uow.terms.close``), with one
``term.closed`` audit entry; both are written in one transaction with the check that every
final month is paid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from payroll.domain.roster import FinalMonth, StoredTerm
from payroll.services.common import audit
from payroll.services.runs import lifecycle as runs
from payroll.services.unit_of_work import UnitOfWork


@dataclass
class TermCloseReport:
    closed: list[str] = field(default_factory=list)  # "dongheng 2025-H1"
    waiting: list[str] = field(default_factory=list)  # final months not finalized yet
    calculated: list[str] = field(default_factory=list)  # "2025-06 11110 dongheng"


def close_ended_terms(uow: UnitOfWork, today: date, actor: str = "scheduler") -> TermCloseReport:
    """Close every term that ended before ``today``.

    For each open term: first the missing final-month runs are calculated (each run
    commits on its own, so a later failure keeps them); then, in one transaction, the
    final months are checked and the term closed, or left waiting.
    """
    report = TermCloseReport()
    with uow:
        terms = [t for t in uow.terms.ended_before(today) if t.closed_at is None]
    for term in terms:
        with uow:
            missing = sorted(
                {(f.month, f.district) for f in uow.terms.final_months(term.program, term.code)}
            )
            missing = [
                (month, district)
                for month, district in missing
                if uow.runs.find(month, district, term.program) is None
            ]
        for month, district in missing:
            runs.calculate_runs(uow, month, district, term.program, actor=actor)
            report.calculated.append(f"{month} {district} {term.program}")
        label = f"{term.program} {term.code}"
        if close_term(uow, term, actor):
            report.closed.append(label)
        else:
            report.waiting.append(label)
    return report


def close_term(uow: UnitOfWork, term: StoredTerm, actor: str) -> bool:
    """Close ``term`` if every final month is paid: state and audit entry in one
    transaction (all or nothing). False: still waiting, nothing written."""
    with uow:
        finals = uow.terms.final_months(term.program, term.code)
        if unpaid(uow, finals):
            return False
        uow.terms.close(term.program, term.code, actor, datetime.now(UTC))
        audit.record(uow, actor, "term.closed", "term", term.key, end=term.end.isoformat())
    return True


def unpaid(uow: UnitOfWork, finals: list[FinalMonth]) -> list[int]:
    """Enrollments whose final month has no finalized payslip and no excluded exception."""
    settled = uow.terms.settled([f.enrollment_id for f in finals])
    return [f.enrollment_id for f in finals if (f.enrollment_id, f.month) not in settled]
