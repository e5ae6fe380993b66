"""A roster written in bulk (#29): checked whole first, then participants, enrollments and
their audit entries each written at once. A bad file still writes nothing and names every
bad row; one person's limits still count every district."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from payroll.db.engine import transaction
from payroll.db.models import AuditLog, EnrollmentRow, Participant
from payroll.db.uow import SqlUnitOfWork
from payroll.formats.tabular import ImportRejected
from payroll.services.imports.rosters import import_participants

HEADER = "참여자번호,성명,생년월일,자치구,주민등록번호,사업,기수,시작일,종료일"


def row(pid: str, district: str, n: int, *, born: str = "1970-05-01") -> str:
    """A 동행일자리 2025-H1 enrollment of person ``n`` (resident number by ``n``)."""
    return f"{pid},김민지,{born},{district},700501-2{n:06d},동행일자리,2025-H1,,"


def roster(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def counts(engine: Engine) -> tuple[int, int, int]:
    with transaction(engine) as s:
        return (
            s.scalar(select(func.count()).select_from(Participant)) or 0,
            s.scalar(select(func.count()).select_from(EnrollmentRow)) or 0,
            s.scalar(select(func.count()).select_from(AuditLog)) or 0,
        )


def test_a_bulk_roster_stores_every_row_with_its_audit_entries_in_row_order(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [row(f"G-{n:03d}", "11140", n) for n in range(30)]
    report = import_participants(SqlUnitOfWork(engine), roster(tmp_path / "r.csv", rows), by="kim")
    assert (report.participants_added, report.enrollments_added) == (30, 30)
    with transaction(engine) as s:
        stored = s.execute(
            select(Participant.participant_id, Participant.person_key, EnrollmentRow.term_code)
            .join(EnrollmentRow, EnrollmentRow.participant_pk == Participant.id)
            .order_by(Participant.id)
        ).all()
        log = s.execute(
            select(AuditLog.action, AuditLog.entity_id, AuditLog.detail).order_by(AuditLog.id)
        ).all()
    assert [pid for pid, _k, _t in stored] == [f"G-{n:03d}" for n in range(30)]
    assert len({key for _p, key, _t in stored}) == 30  # each its own person
    assert [(a, d["row"]) for a, _e, d in log] == [
        (action, n + 2) for n in range(30) for action in ("participant.add", "enrollment.add")
    ]  # the spreadsheet's row numbers, the participant before its enrollment
    enrollment_ids = [int(e) for a, e, _d in log if a == "enrollment.add"]
    with transaction(engine) as s:
        owners = dict(
            s.execute(
                select(EnrollmentRow.id, Participant.participant_id).join(
                    Participant, Participant.id == EnrollmentRow.participant_pk
                )
            ).all()
        )
    assert [owners[i] for i in enrollment_ids] == [f"G-{n:03d}" for n in range(30)]
    again = import_participants(SqlUnitOfWork(engine), tmp_path / "r.csv", by="kim")
    assert (again.participants_added, again.enrollments_added, again.unchanged) == (0, 0, 30)


def test_a_bulk_roster_with_bad_rows_names_them_all_and_writes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [row(f"B-{n:03d}", "11140", n) for n in range(40)]
    rows[5] = row("B-005", "11140", 5, born="1970-13-01")  # no such date: row 7
    rows[21] = row("B-021", "없는구", 21)  # no such district: row 23
    rows[33] = "B-033,김민지,1970-05-01,11140,70050,동행일자리,2025-H1,,"  # short number: row 35
    before = counts(engine)
    with pytest.raises(ImportRejected) as refused:
        import_participants(SqlUnitOfWork(engine), roster(tmp_path / "bad.csv", rows), by="kim")
    assert sorted({e.row for e in refused.value.errors}) == [7, 23, 35]
    assert counts(engine) == before


def test_one_person_in_two_districts_is_still_refused_in_a_bulk_roster(
    engine: Engine, tmp_path: Path
) -> None:
    first = roster(tmp_path / "jongno.csv", [row("J-001", "11110", 999)])
    import_participants(SqlUnitOfWork(engine), first, by="kim")
    before = counts(engine)
    rows = [row(f"C-{n:03d}", "11140", n) for n in range(30)]
    rows.insert(15, row("C-999", "11140", 999))  # the same person as J-001: row 17
    with pytest.raises(ImportRejected) as refused:
        import_participants(SqlUnitOfWork(engine), roster(tmp_path / "junggu.csv", rows), by="kim")
    [error] = refused.value.errors
    assert error.row == 17 and "J-001" not in error.value
    assert counts(engine) == before  # the 30 others are not written either
    del rows[15]
    accepted = import_participants(SqlUnitOfWork(engine), roster(tmp_path / "ok.csv", rows))
    assert accepted.enrollments_added == 30
