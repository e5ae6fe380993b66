"""``payroll scheduler list / run / history`` through the Typer app."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from sqlalchemy import Engine
from typer.testing import CliRunner

from payroll.cli.scheduler import scheduler_app
from payroll.db.uow import SqlUnitOfWork
from payroll.scheduler import history, locks
from tests.support import sample_jobs

SCHEDULES = """
[[jobs]]
id = "monthly-sample"
func = "tests.support.sample_jobs:slow_locked"
cron = { day = "1", hour = "2", minute = "0" }
misfire_grace_time = 600
description = "a monthly sample"

[[jobs]]
id = "broken"
func = "tests.support.sample_jobs:boom"
cron = { hour = "1" }
description = "always fails"
"""

app = typer.Typer()
app.add_typer(scheduler_app, name="scheduler")
runner = CliRunner()


@pytest.fixture
def schedules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "schedules"
    directory.mkdir()
    (directory / "jobs.toml").write_text(SCHEDULES, encoding="utf-8")
    monkeypatch.setenv("PAYROLL_SCHEDULES_DIR", str(directory))
    monkeypatch.setenv("COLUMNS", "250")
    sample_jobs.calls.clear()
    return directory


def test_list_shows_each_job_with_its_next_fire_time(schedules: Path) -> None:
    result = runner.invoke(app, ["scheduler", "list"])
    assert result.exit_code == 0, result.output
    assert "monthly-sample" in result.output
    assert "a monthly sample" in result.output
    assert "day=1 hour=2 minute=0" in result.output
    assert "-01 02:00:00" in result.output  # next 1st of a month, 02:00 KST
    assert "broken" in result.output


def test_list_names_a_bad_schedule_file(schedules: Path) -> None:
    (schedules / "zz.toml").write_text('[[jobs]]\nid = "x"\n', encoding="utf-8")
    result = runner.invoke(app, ["scheduler", "list"])
    assert result.exit_code == 1
    assert "zz.toml: job 'x': missing 'func'" in result.output


def test_run_by_hand_is_recorded_as_manual(cli_env: str, schedules: Path, engine: Engine) -> None:
    result = runner.invoke(
        app, ["scheduler", "run", "monthly-sample", "--as-of", "2025-03-01T02:00"]
    )
    assert result.exit_code == 0, result.output
    assert "month 2025-02" in result.output
    (row,) = history.recent(SqlUnitOfWork(engine), "monthly-sample")
    assert (row.trigger, row.outcome, row.message) == ("manual", "success", "month 2025-02")
    assert row.scheduled_for is not None
    assert row.scheduled_for.isoformat() == "2025-02-28T17:00:00+00:00"

    shown = runner.invoke(app, ["scheduler", "history", "--job", "monthly-sample"])
    assert shown.exit_code == 0, shown.output
    for text in ("monthly-sample", "manual", "2025-03-01 02:00:00", "success", "month 2025-02"):
        assert text in shown.output


def test_run_while_the_work_is_locked_is_skipped_naming_the_holder(
    cli_env: str, schedules: Path, engine: Engine
) -> None:
    locks.acquire(
        SqlUnitOfWork(engine), "sample:2025-02", "batch-host:4242:abc (schedule monthly-sample #1)"
    )
    result = runner.invoke(
        app, ["scheduler", "run", "monthly-sample", "--as-of", "2025-03-01T02:00"]
    )
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output
    assert "batch-host:4242:abc" in result.output
    assert sample_jobs.calls == []
    (row,) = history.recent(SqlUnitOfWork(engine), "monthly-sample")
    assert row.outcome == "skipped" and "batch-host:4242:abc" in row.message


def test_a_failing_run_exits_non_zero_and_is_recorded(
    cli_env: str, schedules: Path, engine: Engine
) -> None:
    result = runner.invoke(app, ["scheduler", "run", "broken"])
    assert result.exit_code == 1
    assert "job broken failed: PayrollError: boom" in result.output
    assert [r.outcome for r in history.recent(SqlUnitOfWork(engine), "broken")] == ["failed"]


def test_run_of_an_unknown_job_lists_the_defined_ones(cli_env: str, schedules: Path) -> None:
    result = runner.invoke(app, ["scheduler", "run", "nope"])
    assert result.exit_code == 1
    assert "no job 'nope'; defined jobs: monthly-sample, broken" in result.output


def test_history_limit_and_filter(cli_env: str, schedules: Path, engine: Engine) -> None:
    for _ in range(3):
        history.note(SqlUnitOfWork(engine), "broken", None, "missed", "missed firing")
    history.note(SqlUnitOfWork(engine), "other", None, "skipped", "someone else's")
    shown = runner.invoke(app, ["scheduler", "history", "--job", "broken", "--limit", "2"])
    assert shown.exit_code == 0, shown.output
    assert shown.output.count("missed firing") == 2
    assert "someone else's" not in shown.output
    empty = runner.invoke(app, ["scheduler", "history", "--job", "never-ran"])
    assert "작업 never-ran의 실행 기록이 없습니다." in empty.output
