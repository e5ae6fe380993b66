"""Attack: bulk statements against a finalized run, and the bulk writes of the app.

Since migration 0016 PostgreSQL checks payslip rows and lines once per statement (over
all the statement's rows) instead of once per row, and the app stores lines with COPY.
Here a single statement that touches an open run *and* a finalized one must be refused
whole (nothing half-written), on SQLite and PostgreSQL, and the app's bulk path must
write lines that add up to each payslip's totals. Month: March 2026, 종로구 finalized,
중구 calculated only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from payroll.db.bulk import bulk_insert
from payroll.db.engine import transaction
from payroll.db.models import PayslipLineRow, PayslipRow
from payroll.db.uow import SqlUnitOfWork
from payroll.domain.report_records import LINE_KINDS
from payroll.domain.runs import RunConflict
from payroll.services.runs.lifecycle import calculate_runs
from tests.support.attack import finalize_month
from tests.support.factories import add_enrolled

FROZEN = "never change"
MONTH = "2026-03"
TERM = {"start": date(2026, 1, 5), "end": date(2026, 6, 30), "term": "2026-H1"}


@pytest.fixture
def month(engine: Engine) -> dict[str, int]:
    add_enrolled(engine, "P-1", **TERM)  # type: ignore[arg-type]
    add_enrolled(engine, "P-2", name="이서준", **TERM)  # type: ignore[arg-type]
    [final] = finalize_month(engine, MONTH)
    add_enrolled(engine, "P-3", name="박하늘", district="11140", **TERM)  # type: ignore[arg-type]
    [other] = calculate_runs(SqlUnitOfWork(engine), MONTH, district="11140")
    with transaction(engine) as session:
        slip_final = session.scalar(select(PayslipRow.id).where(PayslipRow.run_id == final))
        slip_other = session.scalar(select(PayslipRow.id).where(PayslipRow.run_id == other.id))
    assert slip_final and slip_other
    return {"final": final, "other": other.id, "slip_final": slip_final, "slip_other": slip_other}


def _line_counts(engine: Engine) -> dict[int, int]:
    with transaction(engine) as session:
        rows = session.execute(
            select(PayslipLineRow.payslip_id, func.count()).group_by(PayslipLineRow.payslip_id)
        )
        return {slip: n for slip, n in rows}


def test_one_statement_over_an_open_and_a_finalized_run_is_refused_whole(
    engine: Engine, month: dict[str, int]
) -> None:
    before = _line_counts(engine)
    both = f"({month['slip_other']}, {month['slip_final']})"
    for statement in (
        f"DELETE FROM payslip_lines WHERE payslip_id IN {both}",
        "INSERT INTO payslip_lines (payslip_id, kind, code, amount, explanation, position)"
        f" SELECT payslip_id, kind, code, amount, explanation, position + 100"
        f" FROM payslip_lines WHERE payslip_id IN {both}",
        "INSERT INTO run_exceptions (run_id, enrollment_id, reason, excluded)"
        " SELECT r.id, s.enrollment_id, '검토', false FROM payroll_runs r"
        f" JOIN payslips s ON s.id = {month['slip_other']}"
        f" WHERE r.id IN ({month['other']}, {month['final']})",
    ):
        with pytest.raises(DBAPIError, match=FROZEN), engine.begin() as conn:
            conn.execute(text(statement))
    assert _line_counts(engine) == before
    with engine.begin() as conn:  # the open run alone is still the app's to change
        conn.execute(text(f"DELETE FROM payslip_lines WHERE payslip_id = {month['slip_other']}"))
    assert month["slip_other"] not in _line_counts(engine)


def test_the_bulk_writer_cannot_add_a_line_to_a_finalized_payslip(
    engine: Engine, month: dict[str, int]
) -> None:
    # COPY on PostgreSQL, executemany on SQLite: the open payslip's row is not kept either
    before = _line_counts(engine)
    rows = [
        {
            "payslip_id": slip,
            "kind": "earning",
            "code": "bonus",
            "amount": 1_000_000,
            "explanation": "공격",
            "position": 99,
            "ref_month": None,
        }
        for slip in (month["slip_other"], month["slip_final"])
    ]
    with pytest.raises(DBAPIError, match=FROZEN), transaction(engine) as session:
        bulk_insert(session, PayslipLineRow.__table__, rows)  # type: ignore[arg-type]
    assert _line_counts(engine) == before


def test_the_store_refuses_to_clear_a_finalized_run_in_korean(
    engine: Engine, month: dict[str, int]
) -> None:
    uow = SqlUnitOfWork(engine)
    with pytest.raises(RunConflict, match="이미 확정되어"), uow:
        uow.runs.clear(month["final"])
    assert _line_counts(engine)[month["slip_final"]] > 0


def test_recalculated_lines_add_up_to_each_payslip(engine: Engine, month: dict[str, int]) -> None:
    add_enrolled(engine, "P-4", name="최유나", district="11140", **TERM)  # type: ignore[arg-type]
    [run] = calculate_runs(SqlUnitOfWork(engine), MONTH, district="11140")
    assert run.participants == 2
    with transaction(engine) as session:
        slips = session.scalars(select(PayslipRow).where(PayslipRow.run_id == run.id)).all()
        for slip in slips:
            lines = session.scalars(
                select(PayslipLineRow).where(PayslipLineRow.payslip_id == slip.id)
            ).all()
            total = {kind: sum(x.amount for x in lines if x.kind == kind) for kind in LINE_KINDS}
            assert total["earning"] == slip.gross
            assert total["deduction"] == slip.total_deductions
            assert total["employer"] == slip.employer_total
            assert sorted(x.position for x in lines if x.kind == "earning") == list(
                range(sum(1 for x in lines if x.kind == "earning"))
            )
            assert slip.net == slip.gross - slip.total_deductions > 0
            assert slip.month == MONTH and "worked_hours" in slip.facts  # JSON through COPY
