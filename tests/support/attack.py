"""Shared steps of the attack tests: a CLI runner and a finalized month built the normal way."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from payroll.cli.main import app
from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run

runner = CliRunner()


def cli(*args: str | Path) -> Result:
    """``payroll ARGS`` as a user runs it (exceptions handled as the real command does)."""
    return runner.invoke(app, [str(a) for a in args])


def ok(*args: str | Path) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return result.output


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def finalize_month(engine: Engine, month: str = "2025-03") -> list[int]:
    """Calculate, approve and finalize every run of ``month``; their ids."""
    ids = []
    for run in calculate_runs(SqlUnitOfWork(engine), month):
        approve_run(SqlUnitOfWork(engine), str(run.id), "이팀장")
        finalize_run(SqlUnitOfWork(engine), str(run.id), "박과장")
        ids.append(run.id)
    return ids
