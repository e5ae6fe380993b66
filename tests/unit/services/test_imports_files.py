"""Roster and attendance files imported on the fake unit of work: all or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from payroll.domain.model import Status
from payroll.formats.tabular import ImportRejected
from payroll.services.imports.attendance import import_attendance
from payroll.services.imports.rosters import import_participants
from tests.support.fake_uow import FakeUnitOfWork

HEADER = "참여자번호,성명,생년월일,자치구,사업,기수,주민등록번호\n"


@pytest.fixture(autouse=True)
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """The keys a roster with resident numbers needs."""
    monkeypatch.setenv("PAYROLL_RRN_KEY", "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMTIzNDU=")
    monkeypatch.setenv("PAYROLL_PERSON_KEY", "test-person-key-of-the-city-0123456789")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_roster_with_one_bad_row_writes_nothing(tmp_path: Path) -> None:
    uow = FakeUnitOfWork()
    roster = write(
        tmp_path,
        "명부.csv",
        HEADER + "P1,김민지,1970-05-01,종로구,동행일자리,2025-H1,700501-2123456\n"
        "P2,이서준,1971-02-03,없는구,동행일자리,2025-H1,710203-1123456\n",
    )

    with pytest.raises(ImportRejected) as refused:
        import_participants(uow, roster, by="kim")

    [error] = refused.value.errors
    assert (error.row, error.column) == (3, "district")
    assert uow.participants.rows == {} and uow.enrollments.rows == {} and uow.audit.log == []


def test_a_roster_adds_people_and_enrollments_once(tmp_path: Path) -> None:
    uow = FakeUnitOfWork()
    roster = write(
        tmp_path,
        "명부.csv",
        HEADER + "P1,김민지,1970-05-01,종로구,동행일자리,2025-H1,700501-2123456\n",
    )

    report = import_participants(uow, roster, by="kim")

    assert (report.participants_added, report.enrollments_added) == (1, 1)
    [person] = uow.participants.rows.values()
    [row] = uow.enrollments.rows.values()
    assert (person.district_code, row.program_code, row.term_code) == (
        "11110",
        "dongheng",
        "2025-H1",
    )
    assert [e.action for e in uow.audit.log] == ["participant.add", "enrollment.add"]
    again = import_participants(uow, roster, by="kim")
    assert (again.participants_added, again.enrollments_added, again.unchanged) == (0, 0, 1)


def test_attendance_of_a_finalized_month_is_refused_without_correction(tmp_path: Path) -> None:
    uow = FakeUnitOfWork()
    roster = write(
        tmp_path,
        "명부.csv",
        HEADER + "P1,김민지,1970-05-01,종로구,동행일자리,2025-H1,700501-2123456\n",
    )
    import_participants(uow, roster, by="kim")
    [pk] = uow.enrollments.rows
    uow.enrollments.frozen[pk] = {"2025-03"}
    days = write(
        tmp_path, "근태.csv", "참여자번호,일자,상태\nP1,2025-03-05,결근\nP1,2025-04-07,결근\n"
    )

    with pytest.raises(ImportRejected) as refused:
        import_attendance(uow, days, actor="kim")
    [error] = refused.value.errors
    assert error.row == 2 and "2025-03은(는) 확정된 달입니다" in error.reason
    assert uow.attendance.records(pk) == []

    fixed = write(tmp_path, "근태2.csv", "참여자번호,일자,상태\nP1,2025-04-07,결근\n")
    report = import_attendance(uow, fixed, actor="kim")
    assert (report.added, report.replaced) == (1, 0)
    [record] = uow.attendance.records(pk)
    assert (record.day, record.status) == (date(2025, 4, 7), Status.ABSENT)
    assert uow.participants.locked == ["P1"]  # the refused import rolled back with its lock
