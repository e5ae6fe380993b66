"""What waits for a manager, and the upload history, on the fake unit of work."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from payroll.domain.console import ExceptionItem
from payroll.domain.runs import RunRecord
from payroll.services.common.access import Actor, Forbidden, NotFound, Role
from payroll.services.console import imports as console_imports
from payroll.services.console import waiting as console_waiting
from tests.support.fake_uow import FakeUnitOfWork

OWN, OTHER = "11110", "11140"
CLERK = Actor("clerk", Role.CLERK, frozenset({OWN}))
MANAGER = Actor("manager", Role.MANAGER, frozenset({OWN}))


@pytest.fixture
def uow() -> FakeUnitOfWork:
    """종로구 in April 2027: a clean run and one with an open exception; in May one the
    manager calculated himself and one approved by another manager; a 중구 run."""
    fake = FakeUnitOfWork()
    for run in (
        RunRecord(1, "2027-04", OWN, "dongheng", "calculated", 3, calculated_by="clerk"),
        RunRecord(2, "2027-04", OWN, "maeryeok", "calculated", 2, 1, calculated_by="clerk"),
        RunRecord(3, "2027-05", OWN, "dongheng", "calculated", 2, calculated_by="manager"),
        RunRecord(4, "2027-05", OWN, "maeryeok", "approved", 2, approved_by="manager2"),
        RunRecord(5, "2027-04", OTHER, "dongheng", "calculated", 1, calculated_by="clerk2"),
    ):
        fake.runs.put(run)
    fake.console.month_of = {1: "2027-04", 2: "2027-04", 3: "2027-05", 4: "2027-05", 5: "2027-04"}
    fake.console.exceptions = {
        2: [ExceptionItem("J-009", "최예외", "계좌 없음", False, None, None)]
    }
    return fake


def test_a_manager_is_waited_for_only_where_they_may_act(uow: FakeUnitOfWork) -> None:
    waiting = console_waiting.waiting_for(uow, MANAGER)
    assert [(w.run_id, w.step, w.district, w.program) for w in waiting] == [
        (1, "승인", "종로구", "서울 동행일자리"),  # 2027-04 first
        (4, "확정", "종로구", "서울 매력일자리"),
    ]  # not 2 (open exception), 3 (own calculation), 5 (another district)
    assert console_waiting.waiting_for(uow, CLERK) == ()
    assert console_waiting.header(uow, MANAGER).districts == "종로구"


def test_bulk_approval_approves_what_it_may_and_says_why_not(uow: FakeUnitOfWork) -> None:
    done = console_waiting.approve_month(uow, MANAGER, "2027-04")
    assert done.approved == ("종로구 서울 동행일자리",)
    assert done.left == ("종로구 서울 매력일자리: 처리되지 않은 예외 1건",)
    assert uow.runs.get(1).state == "approved" and uow.runs.get(2).state == "calculated"
    assert uow.runs.get(5).state == "calculated"  # another district is never touched
    with pytest.raises(Forbidden):
        console_waiting.approve_month(uow, CLERK, "2027-04")


def test_upload_history_is_kept_per_district(uow: FakeUnitOfWork) -> None:
    data = "참여자번호,일자,상태\nJ-404,2027-04-05,결근\n".encode()
    result = console_imports.upload(uow, CLERK, "attendance", "4월.csv", data)
    assert not result.ok  # J-404 is nobody: a row error, nothing written
    [kept] = console_imports.upload_history(uow, CLERK)
    assert (kept.username, kept.filename, kept.rows, kept.ok) == ("clerk", "4월.csv", 1, False)
    assert kept.result.startswith("오류 1건 (첫 오류 2행") and kept.uploaded_at <= datetime.now(UTC)
    assert console_imports.upload_original(uow, CLERK, kept.id) == ("4월.csv", data)
    stranger = Actor("clerk2", Role.CLERK, frozenset({OTHER}))
    assert console_imports.upload_history(uow, stranger) == []
    with pytest.raises(NotFound):
        console_imports.upload_original(uow, stranger, kept.id)
