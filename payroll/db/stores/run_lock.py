"""The run row locked before its payslips are written or removed.

Writing a run's payslips takes the run's row lock first (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite holds the whole database while a transaction writes), so a
finalization cannot slip in between the check and the writes; the database's own
freeze triggers stay the last word for any other writer.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from payroll.db.models import PayrollRun
from payroll.domain.runs import RunConflict, RunState


def lock_open_run(session: Session, run_id: int) -> None:
    """Lock run ``run_id`` for this transaction; refuse it if it is finalized."""
    state = session.scalar(
        select(PayrollRun.state).where(PayrollRun.id == run_id).with_for_update()
    )
    if state is None:
        raise RunConflict(f"급여 실행 {run_id} 이(가) 없습니다 (payroll run {run_id} is gone)")
    if state == RunState.FINALIZED:
        raise RunConflict(
            f"급여 실행 {run_id} 은(는) 이미 확정되어 명세를 바꾸지 않습니다 "
            f"(payroll run {run_id} is finalized; its payslips never change)"
        )
