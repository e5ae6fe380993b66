"""The database and every file the console or the CLI writes are owner-only."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from payroll.cli.main import app as cli
from payroll.db.engine import make_engine
from tests.e2e.web.conftest import OWN
from tests.support.factories import add_enrolled


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual 022 umask of a login shell, restored afterwards."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_payroll_init_creates_an_owner_only_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loose_umask: None
) -> None:
    db = tmp_path / "payroll.db"
    monkeypatch.setenv("PAYROLL_DATABASE_URL", f"sqlite:///{db}")
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 0, result.output
    assert mode(db) == 0o600
    for extra in (tmp_path / "payroll.db-wal", tmp_path / "payroll.db-shm"):
        assert not extra.exists() or mode(extra) == 0o600


def test_an_existing_world_readable_database_is_narrowed(tmp_path: Path, loose_umask: None) -> None:
    db = tmp_path / "old.db"
    db.touch(mode=0o644)
    db.chmod(0o644)
    engine = make_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        conn.execute(text("select 1"))
    engine.dispose()
    assert mode(db) == 0o600


@pytest.mark.usefixtures("users")
def test_console_written_run_files_are_owner_only(
    browser: Any, engine: Engine, tmp_path: Path, loose_umask: None
) -> None:
    from payroll.db.uow import SqlUnitOfWork
    from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run

    add_enrolled(engine, "J-001", district=OWN)
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03", actor="clerk")
    approve_run(SqlUnitOfWork(engine), str(run.id), "manager")
    finalize_run(SqlUnitOfWork(engine), str(run.id), "manager2")
    b = browser()  # the console sets its own umask when it starts
    os.umask(0o022)  # as if something else in the process loosened it again
    b.login("manager")
    assert b.get(f"/runs/{run.id}/payment.csv").status_code == 200
    b.post(f"/runs/{run.id}/payslips")
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert any(p.name.endswith(".csv") for p in written)
    assert all(mode(p) == 0o600 for p in written), {str(p): oct(mode(p)) for p in written}
    folders = [p for p in (tmp_path / "out").rglob("*") if p.is_dir()]
    assert all(mode(p) & 0o077 == 0 for p in folders)
