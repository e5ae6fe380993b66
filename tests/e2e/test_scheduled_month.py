"""The scheduled jobs drive the real services: the month is calculated, ledgers and
payslips follow finalization, ended terms close, and the integrity check sees gaps."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select
from typer.testing import CliRunner

from payroll.cli.main import app
from payroll.db.engine import transaction
from payroll.db.models import JobExecution, PayrollRun
from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs.lifecycle import approve_run, finalize_run
from tests.support.factories import add_enrolled

runner = CliRunner()


def scheduler_run(job: str, as_of: str) -> str:
    result = runner.invoke(app, ["scheduler", "run", job, "--as-of", as_of])
    assert result.exit_code == 0, result.output
    return result.output


def test_scheduled_jobs_run_a_month(cli_env: str, engine: Engine) -> None:
    add_enrolled(engine, "P-1", start=date(2025, 1, 10), end=date(2025, 3, 31))
    # 1 April, 02:00 in Seoul: March is calculated; running it again does the same work once.
    assert "2025-03" in scheduler_run("calculate-previous-month", "2025-04-01T02:00")
    scheduler_run("calculate-previous-month", "2025-04-01T02:00")
    [run] = _runs(engine)
    with transaction(engine) as session:
        outcomes = session.scalars(select(JobExecution.outcome)).all()
    assert run.month == "2025-03" and outcomes == ["success", "success"]

    # The integrity check names who is missing: enrolled after March was calculated.
    add_enrolled(engine, "P-2", start=date(2025, 3, 3), end=date(2025, 3, 31))
    failed = runner.invoke(
        app, ["scheduler", "run", "integrity-check", "--as-of", "2025-04-02T04:30"]
    )
    assert failed.exit_code == 1 and "P-2" in failed.output
    scheduler_run("calculate-previous-month", "2025-04-01T03:00")
    [run] = _runs(engine)

    approve_run(SqlUnitOfWork(engine), str(run.id), "lee")
    finalize_run(SqlUnitOfWork(engine), str(run.id), "park")
    scheduler_run("write-previous-month-ledgers", "2025-04-05T06:00")
    out = Path(os.environ["PAYROLL_OUTPUT_DIR"])
    assert (out / "ledgers" / "2025-03" / "ledger-2025-03.csv").exists()
    scheduler_run("render-finalized-payslips", "2025-04-05T06:30")
    assert list(out.glob("payslips/2025-03/11110/dongheng/P-1.pdf"))


def _runs(engine: Engine) -> list[PayrollRun]:
    with transaction(engine) as session:
        return list(session.scalars(select(PayrollRun)))
