"""Attendance written for the whole file in one batch (both backends, March 2026).

Replacing one participant's day must not touch another participant's record of the same
day, and the report counts what changed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import AttendanceRow, EnrollmentRow, Participant
from payroll.db.uow import SqlUnitOfWork
from payroll.services.imports.attendance import import_attendance
from tests.support.factories import add_enrolled

TERM = {"start": date(2026, 1, 5), "end": date(2026, 6, 30), "term": "2026-H1"}


def _csv(path: Path, *rows: str) -> Path:
    path.write_text("\n".join(["참여자번호,일자,상태,시간", *rows]) + "\n", encoding="utf-8")
    return path


def _stored(engine: Engine) -> dict[tuple[str, date], tuple[str, Decimal | None]]:
    with transaction(engine) as session:
        rows = session.execute(
            select(Participant.participant_id, AttendanceRow.day, AttendanceRow.status)
            .add_columns(AttendanceRow.hours)
            .join(EnrollmentRow, EnrollmentRow.id == AttendanceRow.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
        )
        return {
            (pid, day): (status, None if hours is None else Decimal(hours))
            for pid, day, status, hours in rows
        }


def test_a_file_replaces_only_its_own_days(engine: Engine, tmp_path: Path) -> None:
    add_enrolled(engine, "P-1", **TERM)  # type: ignore[arg-type]
    add_enrolled(engine, "P-2", name="이서준", **TERM)  # type: ignore[arg-type]
    first = _csv(
        tmp_path / "march.csv",
        "P-1,2026-03-11,결근,",
        "P-2,2026-03-11,근무,4",
        "P-2,2026-03-12,결근,",
    )
    report = import_attendance(SqlUnitOfWork(engine), first, actor="kim")
    assert (report.added, report.replaced, report.unchanged) == (3, 0, 0)
    second = _csv(
        tmp_path / "march-fixed.csv",
        "P-1,2026-03-11,근무,3",
        "P-1,2026-03-13,결근,",
        "P-2,2026-03-11,근무,4",
    )
    report = import_attendance(SqlUnitOfWork(engine), second, actor="kim")
    assert (report.added, report.replaced, report.unchanged) == (1, 1, 1)
    assert _stored(engine) == {
        ("P-1", date(2026, 3, 11)): ("worked", Decimal(3)),
        ("P-1", date(2026, 3, 13)): ("absent", None),
        ("P-2", date(2026, 3, 11)): ("worked", Decimal(4)),
        ("P-2", date(2026, 3, 12)): ("absent", None),
    }
