"""A run killed at any point (SIGKILL) and started again stores exactly what an
uninterrupted run stores, and pays nobody twice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from payroll.db.engine import make_engine, transaction
from payroll.db.models import AttendanceRow, EnrollmentRow, Participant, PayslipLineRow, PayslipRow
from payroll.db.uow import SqlUnitOfWork
from payroll.services.runs.lifecycle import calculate_runs
from tests.conftest import new_database_url
from tests.support.factories import add_enrolled

DISTRICTS = ("11110", "11140")


def populate(engine: Engine, count: int) -> None:
    rng = random.Random(7)
    for n in range(count):
        program = "dongheng" if n % 4 else "maeryeok"
        start, end, term = (
            (date(2025, 1, 10), date(2025, 6, 30), "2025-H1")
            if program == "dongheng"
            else (date(2025, 3, 1), date(2025, 12, 31), "2025")
        )
        enrollment = add_enrolled(
            engine,
            f"P-{n:04d}",
            district=DISTRICTS[n % 2],
            program=program,
            start=start,
            end=end,
            term=term,
            birth_date=date(1950 + n % 45, 1 + n % 12, 1 + n % 28),
        )
        if rng.random() < 0.3:
            with transaction(engine) as session:
                session.add(
                    AttendanceRow(
                        enrollment_id=enrollment,
                        day=date(2025, 3, 12),
                        status="absent",
                        recorded_at=_now(),
                    )
                )


def _now():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


def results(engine: Engine) -> list[tuple]:
    """All stored payslips and lines of March, keyed by participant id, not row ids."""
    with transaction(engine) as session:
        slips = session.execute(
            select(
                Participant.participant_id,
                PayslipRow.gross,
                PayslipRow.net,
                PayslipRow.total_deductions,
                PayslipRow.employer_total,
            )
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .order_by(Participant.participant_id)
        ).all()
        lines = session.execute(
            select(
                Participant.participant_id,
                PayslipLineRow.kind,
                PayslipLineRow.position,
                PayslipLineRow.code,
                PayslipLineRow.amount,
                PayslipLineRow.explanation,
            )
            .join(PayslipRow, PayslipRow.id == PayslipLineRow.payslip_id)
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .order_by(Participant.participant_id, PayslipLineRow.kind, PayslipLineRow.position)
        ).all()
        duplicates = session.scalar(
            select(func.count()).select_from(
                select(PayslipRow.enrollment_id)
                .group_by(PayslipRow.enrollment_id, PayslipRow.month)
                .having(func.count() > 1)
                .subquery()
            )
        )
    assert duplicates == 0
    return [tuple(r) for r in slips] + [tuple(r) for r in lines]


def calculate_command(url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PAYROLL_DATABASE_URL": url}
    return subprocess.Popen(
        [sys.executable, "-m", "payroll.cli.main", "run", "calculate", "--month", "2025-03"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_killed_run_restarted_equals_uninterrupted_run(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    count = 400
    reference_url = new_database_url(backend, request, tmp_path)
    crashed_url = new_database_url(backend, request, tmp_path)
    reference, crashed = make_engine(reference_url), make_engine(crashed_url)
    try:
        populate(reference, count)
        populate(crashed, count)
        calculate_runs(SqlUnitOfWork(reference), "2025-03")
        expected = results(reference)
        assert len([r for r in expected if len(r) == 5]) == count

        rng = random.Random(2025)
        kills = 0
        for _ in range(4):
            process = calculate_command(crashed_url)
            time.sleep(rng.uniform(0.3, 3.0))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            process.wait(timeout=60)
            results(crashed)  # whatever the state, never a participant paid twice
        finisher = calculate_command(crashed_url)
        assert finisher.wait(timeout=300) == 0
        assert results(crashed) == expected
    finally:
        reference.dispose()
        crashed.dispose()
