"""Two ``payroll scheduler start`` processes on one database: only one runs the jobs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import JobExecution, SchedulerLease

REPO_ROOT = Path(__file__).resolve().parents[3]
"""The checkout: ``python -m tests.support.cli_entry`` runs from there."""

EVERY_SECOND = """
[[jobs]]
id = "tick"
func = "tests.support.sample_jobs:tick"
cron = { second = "*" }
misfire_grace_time = 30
description = "writes a marker every second"
"""


@pytest.fixture
def env(db_url: str, tmp_path: Path) -> dict[str, str]:
    schedules = tmp_path / "schedules"
    schedules.mkdir()
    (schedules / "test.toml").write_text(EVERY_SECOND, encoding="utf-8")
    return {
        **os.environ,
        "PAYROLL_DATABASE_URL": db_url,
        "PAYROLL_SCHEDULES_DIR": str(schedules),
        "PAYROLL_TEST_MARKER": str(tmp_path / "marker.txt"),
        "PAYROLL_SCHEDULER_LEASE_SECONDS": "5",
        "PAYROLL_SCHEDULER_RENEW_SECONDS": "0.5",
        "COLUMNS": "200",
    }


def start(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.support.cli_entry", "scheduler", "start"],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def wait_for(condition: Callable[[], object], what: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def markers(env: dict[str, str]) -> list[tuple[int, str]]:
    path = Path(env["PAYROLL_TEST_MARKER"])
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [(int(pid), fired) for pid, fired in (line.split() for line in lines)]


def test_a_second_scheduler_process_refuses_to_start(
    engine: Engine, env: dict[str, str], tmp_path: Path
) -> None:
    first = start(env, tmp_path / "first.log")
    try:
        wait_for(lambda: len(markers(env)) >= 2 or first.poll() is not None, "ticks")
        assert first.poll() is None, (tmp_path / "first.log").read_text()

        second = subprocess.run(
            [sys.executable, "-m", "tests.support.cli_entry", "scheduler", "start"],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode != 0
        assert "another scheduler is already running" in second.stderr
        with transaction(engine) as session:
            holder = session.scalar(select(SchedulerLease.holder))
        assert holder is not None and f":{first.pid}:" in holder
        assert f"held by {holder}" in second.stderr

        ticks_before = len(markers(env))
        wait_for(lambda: len(markers(env)) >= ticks_before + 2, "more ticks")
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=20) == 0, (tmp_path / "first.log").read_text()
    finally:
        if first.poll() is None:
            first.kill()
            first.wait(timeout=10)

    ticks = markers(env)
    assert {pid for pid, _ in ticks} == {first.pid}, "only the lease holder runs jobs"
    fired = [f for _, f in ticks]
    assert len(fired) == len(set(fired)), "each firing runs once"
    with transaction(engine) as session:
        assert session.scalar(select(SchedulerLease.holder)) is None, "released on SIGTERM"
        rows = session.scalars(select(JobExecution).where(JobExecution.job_id == "tick")).all()
    done = [r for r in rows if r.outcome == "success"]
    assert len(done) == len(ticks)
    assert all(r.trigger == "schedule" and r.ended_at is not None for r in done)
    assert not [r for r in rows if r.outcome == "running"], "the stop waited for the job"
