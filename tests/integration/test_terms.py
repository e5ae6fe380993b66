"""Closing ended terms (§8 payout in the final month's run) on the real services."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import PayslipLineRow, PayslipRow
from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs import terms
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run
from payroll.services.runs.terms import TermCloseReport
from tests.support.factories import add_enrolled


def close_ended_terms(engine: Engine, today: date) -> TermCloseReport:
    """The scheduler's call, on a unit of work of ``engine``."""
    return terms.close_ended_terms(SqlUnitOfWork(engine), today)


def test_an_ended_term_closes_once_its_final_month_is_finalized(engine: Engine) -> None:
    add_enrolled(engine, "P-1")  # dongheng 2025-H1, 2025-01-10 .. 2025-06-30
    early = close_ended_terms(engine, date(2025, 6, 30))
    assert early.closed == [] and early.calculated == []  # H1 has not ended yet

    first = close_ended_terms(engine, date(2025, 7, 2))
    assert first.calculated == ["2025-06 11110 dongheng"] and first.waiting == ["dongheng 2025-H1"]
    with transaction(engine) as session:
        payout = session.scalar(
            select(PayslipLineRow.amount)
            .join(PayslipRow)
            .where(PayslipRow.month == "2025-06", PayslipLineRow.code == "annual_leave_payout")
        )
    assert payout == 5 * 6 * 10_030  # §8: 5 unused days × 6 h × 10,030 won

    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-06")
    approve_run(SqlUnitOfWork(engine), str(run.id), "lee")
    again = close_ended_terms(engine, date(2025, 7, 3))
    assert again.calculated == [] and again.waiting == ["dongheng 2025-H1"]  # approval kept
    finalize_run(SqlUnitOfWork(engine), str(run.id), "park")
    closed = close_ended_terms(engine, date(2025, 7, 4))
    assert closed.closed == ["dongheng 2025-H1"]
    assert close_ended_terms(engine, date(2025, 7, 5)).closed == []  # closed once
