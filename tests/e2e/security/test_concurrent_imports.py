"""Attack: two attendance imports at once, each fine alone, together 3 annual-leave days
against 2 accrued (§8). Two real processes; one must be refused, nothing over-drawn."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, func, select

from payroll.db.engine import transaction
from payroll.db.models import AttendanceRow, EnrollmentRow, PayrollRun
from tests.support.attack import write
from tests.support.factories import add_enrolled

ROOT = Path(__file__).resolve().parents[3]


def test_two_imports_at_once_cannot_overdraw_leave(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    # Enrolled 10 Jan: one day accrues on 10 Feb and one on 10 Mar; 1-3 April has 2 days.
    add_enrolled(engine, "P-1")
    header = "participant_id,date,status,hours"
    first = write(tmp_path / "a.csv", header, "P-1,2025-04-01,연차,", "P-1,2025-04-02,연차,")
    second = write(tmp_path / "b.csv", header, "P-1,2025-04-03,연차,")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.attendance_child", db_url, str(f)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in (first, second)
    ]
    outcomes = [(c.wait(timeout=120), c.communicate()) for c in children]
    codes = sorted(code for code, _ in outcomes)
    assert codes == [0, 3], outcomes
    with transaction(engine) as session:
        leave = session.scalar(
            select(func.count())
            .select_from(AttendanceRow)
            .where(AttendanceRow.status == "annual_leave")
        )
    assert leave in (1, 2)  # whichever came first; never 3


def test_the_loser_of_two_calculations_gets_a_one_line_error(engine: Engine, cli_env: str) -> None:
    add_enrolled(engine, "P-1")
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.calculate_child"],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outcomes = [(c.wait(timeout=120), *c.communicate()) for c in children]
    assert sorted(code for code, _, _ in outcomes) == [0, 1], outcomes
    [(_, _, stderr)] = [o for o in outcomes if o[0] == 1]
    assert "동시에" in stderr and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) <= 3  # one message (wrapped), no traceback
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(PayrollRun)) == 1


def test_two_roster_imports_at_once_are_serialised(
    engine: Engine, db_url: str, cli_env: str, tmp_path: Path
) -> None:
    header = "참여자번호,성명,생년월일,자치구,사업,기수,주민등록번호"
    row = "J-1,김민지,1970-05-01,종로구,dongheng,2025-H1,700501-2000001"
    files = [write(tmp_path / f"roster-{n}.csv", header, row) for n in (1, 2)]
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.support.roster_child", db_url, str(f)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    outcomes = [(c.wait(timeout=120), *c.communicate()) for c in children]
    # the second waits for the first, then finds the participant stored: unchanged
    assert [code for code, _, _ in outcomes] == [0, 0], outcomes
    with transaction(engine) as session:
        assert session.scalar(select(func.count()).select_from(EnrollmentRow)) == 1
