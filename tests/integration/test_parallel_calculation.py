"""The month's runs calculated in worker processes (``PAYROLL_WORKERS``): the same stored
payslips as one process, and one failing run leaves the others calculated and itself
unwritten."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from payroll.db.engine import make_engine, transaction
from payroll.db.models import (
    AuditLog,
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipLineRow,
    PayslipRow,
)
from payroll.db.uow import SqlUnitOfWork, uow_factory
from payroll.services.common import audit
from payroll.services.runs.lifecycle import RunsFailed, calculate_runs
from tests.conftest import new_database_url
from tests.support.factories import add_enrolled
from tests.support.failing_uow import FailingFactory

MONTH = "2025-03"
DISTRICTS = ("11110", "11140", "11170")


def a_small_city(engine: Engine) -> None:
    """Six runs (three districts × two programs) of people paid differently."""
    n = 0
    for district in DISTRICTS:
        for program, term in (("dongheng", "2025-H1"), ("maeryeok", "2025")):
            for k in range(3):
                n += 1
                add_enrolled(
                    engine,
                    f"P-{n:03d}",
                    district=district,
                    program=program,
                    term=term,
                    start=date(2025, 3, 1 + 5 * k) if k else date(2025, 1, 10),
                    end=date(2025, 3, 20) if k == 2 else date(2025, 6, 30),
                    dependents=1 + k,
                    birth_date=date(1960 + 5 * n % 30, 1 + n % 12, 1),
                    pay_cut_percent=Decimal(10) if k == 1 else None,
                )


def stored(engine: Engine) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """Every payslip line of the month by participant, and every run's totals."""
    with transaction(engine) as session:
        lines = session.execute(
            select(
                Participant.participant_id,
                PayrollRun.district_code,
                PayrollRun.program_code,
                PayslipRow.gross,
                PayslipRow.net,
                PayslipLineRow.kind,
                PayslipLineRow.code,
                PayslipLineRow.amount,
                PayslipLineRow.explanation,
                PayslipLineRow.position,
            )
            .join(PayslipRow, PayslipRow.id == PayslipLineRow.payslip_id)
            .join(PayrollRun, PayrollRun.id == PayslipRow.run_id)
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(PayslipRow.month == MONTH)
        ).all()
        runs = session.execute(
            select(
                PayrollRun.district_code,
                PayrollRun.program_code,
                PayrollRun.state,
                PayrollRun.participant_count,
                PayrollRun.exception_count,
                PayrollRun.gross,
                PayrollRun.total_deductions,
                PayrollRun.net,
                PayrollRun.employer_total,
            ).where(PayrollRun.month == MONTH)
        ).all()
    return sorted(tuple(r) for r in lines), sorted(tuple(r) for r in runs)


def test_parallel_calculation_stores_exactly_what_one_process_stores(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    serial = make_engine(new_database_url(backend, request, tmp_path))
    parallel = make_engine(new_database_url(backend, request, tmp_path))
    for engine in (serial, parallel):
        a_small_city(engine)
    one = calculate_runs(SqlUnitOfWork(serial), MONTH, actor="kim")
    advanced: list[int] = []
    two = calculate_runs(
        SqlUnitOfWork(parallel),
        MONTH,
        actor="kim",
        workers=2,
        uow_factory=uow_factory(parallel),
        progress=advanced.append,
    )
    lines, runs = stored(parallel)
    assert len(runs) == 6 and len({line[0] for line in lines}) == 18
    assert (lines, runs) == stored(serial)
    assert [(r.district, r.program, r.gross, r.net) for r in two] == [
        (r.district, r.program, r.gross, r.net) for r in one
    ]  # reported in the same order as one process reports them
    assert sorted(advanced) == [3] * 6  # progress: each run's participants as it finishes
    serial.dispose()
    parallel.dispose()


def test_every_run_is_audited_as_the_caller_in_whichever_process_it_ran(
    engine: Engine,
) -> None:
    """Runs the workers calculate carry the caller's actor kind, like those it calculates
    itself while they start (a console user's calculation is never logged as an operator's)."""
    a_small_city(engine)
    with audit.acting_as("user"):
        calculate_runs(
            SqlUnitOfWork(engine),
            MONTH,
            actor="kim",
            workers=2,
            uow_factory=uow_factory(engine),
        )
    with transaction(engine) as session:
        kinds = session.execute(
            select(AuditLog.actor, AuditLog.actor_kind).where(AuditLog.action == "run.calculated")
        ).all()
    assert sorted(kinds) == [("kim", "user")] * 6


def test_a_failing_run_in_the_pool_leaves_the_others_stored_and_itself_unwritten(
    engine: Engine, db_url: str
) -> None:
    a_small_city(engine)
    bad = DISTRICTS[1]
    failing = FailingFactory(db_url, bad)
    with pytest.raises(RunsFailed) as raised:
        calculate_runs(
            failing(),  # the same fault in the runs the command takes while its workers start
            MONTH,
            actor="kim",
            workers=2,
            uow_factory=failing,
        )
    message = str(raised.value)
    assert "2건을 계산하지 못했습니다" in message and "나머지 4건" in message
    assert f"{MONTH} {bad} dongheng" in message and f"{MONTH} {bad} maeryeok" in message
    assert "disk full" in message
    assert sorted((r.district, r.program) for r in raised.value.done) == sorted(
        (d, p) for d in DISTRICTS if d != bad for p in ("dongheng", "maeryeok")
    )
    with transaction(engine) as session:
        districts = session.scalars(select(PayrollRun.district_code)).all()
        slips = session.scalar(select(func.count()).select_from(PayslipRow))
    assert sorted(set(districts)) == [DISTRICTS[0], DISTRICTS[2]]  # the failed run rolled back
    assert slips == 12
    # calculated again without the fault, the month is whole
    again = calculate_runs(SqlUnitOfWork(engine), MONTH, actor="kim")
    assert len(again) == 6 and sum(r.participants for r in again) == 18


def test_killing_the_command_ends_its_workers_and_stores_no_half_run(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    a_small_city(engine)
    pids = tmp_path / "workers.txt"
    command = subprocess.Popen(
        [sys.executable, "-m", "tests.support.failing_uow", db_url, str(pids)],
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        deadline = time.monotonic() + 60
        started = Path(f"{pids}.started")
        while not (len(_pids(pids)) == 2 and _pids(started)) and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = _pids(pids)
        assert len(workers) == 2 and _pids(started), "the workers never started their runs"
    finally:
        command.kill()  # SIGKILL: no clean-up runs in the command
        command.wait()
    deadline = time.monotonic() + 20
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in workers)  # no worker left behind
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(PayrollRun)) == 0


def _pids(path: Path) -> set[int]:
    return {int(n) for n in path.read_text().split()} if path.exists() else set()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
