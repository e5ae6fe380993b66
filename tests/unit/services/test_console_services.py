"""The console's services on the fake unit of work: access refusals, users, admin tables."""

from __future__ import annotations

from datetime import date

import pytest
from argon2 import PasswordHasher

from payroll.db.text_limits import TextTooLong
from payroll.domain.console import ExceptionItem, ParticipantRef
from payroll.domain.runs import RunRecord
from payroll.services.admin import tables as admin_tables
from payroll.services.admin import users
from payroll.services.common.access import Actor, Forbidden, NotFound, Role
from payroll.services.console import admin as console_admin
from payroll.services.console import imports as console_imports
from payroll.services.console import runs as console_runs
from tests.support.fake_uow import FakeUnitOfWork

OWN, OTHER = "11110", "11140"
CLERK = Actor("clerk", Role.CLERK, frozenset({OWN}))
MANAGER = Actor("manager", Role.MANAGER, frozenset({OWN}))
FINANCE = Actor("finance", Role.FINANCE)
ADMIN = Actor("admin", Role.CITY_ADMIN)


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.runs.put(
        RunRecord(7, "2025-03", OWN, "dongheng", "calculated", 2, 1, calculated_by="clerk")
    )
    fake.runs.put(RunRecord(8, "2025-03", OTHER, "dongheng", "calculated", 1, 0))
    fake.console.month_of = {7: "2025-03", 8: "2025-03"}
    fake.console.exceptions = {7: [ExceptionItem("J-002", "김둘", "계좌 없음", False, None, None)]}
    fake.console.people = {
        "J-001": ParticipantRef(1, "J-001", "김하나", OWN),
        "C-001": ParticipantRef(2, "C-001", "박중구", OTHER),
    }
    return fake


# --- access -----------------------------------------------------------------------------


def test_a_run_of_another_district_is_not_found_for_a_district_user(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFound, match="급여 실행 8: 찾을 수 없습니다"):
        console_runs.run_page(uow, CLERK, 8)
    with pytest.raises(NotFound):
        console_runs.approve(uow, MANAGER, 8)  # not "forbidden": nothing leaks
    page = console_runs.run_page(uow, FINANCE, 8)  # finance sees every district
    assert page.district_name == "중구" and page.state_label == "계산됨"


def test_a_role_without_approval_is_refused_and_nothing_is_audited(uow: FakeUnitOfWork) -> None:
    for viewer in (FINANCE, CLERK):
        with pytest.raises(Forbidden, match="권한으로는 할 수 없는 작업입니다"):
            console_runs.approve(uow, viewer, 7)
    assert uow.audit.log == []


def test_the_run_page_says_why_a_manager_may_not_approve_yet(uow: FakeUnitOfWork) -> None:
    page = console_runs.run_page(uow, MANAGER, 7)
    assert page.open_exceptions == 1 and not page.buttons["approve"]
    assert page.why_not["approve"] == "처리되지 않은 예외 1건이 있습니다"
    assert not console_runs.run_page(uow, CLERK, 7).buttons["approve"]  # the role may not


def test_the_board_shows_only_the_actors_districts(uow: FakeUnitOfWork) -> None:
    uow.console.enrolled = {(OWN, "dongheng"): 2, (OTHER, "dongheng"): 1}
    own = console_runs.month_board(uow, CLERK, "2025-03")
    assert [(c.district, c.run_id, c.open_exceptions) for c in own] == [(OWN, 7, 1)]
    assert own[0].next_step == "담당: 예외 1건 수정 후 재계산 또는 제외"
    assert len(console_runs.month_board(uow, FINANCE, "2025-03")) == 2


def test_a_participant_of_another_district_is_not_found(uow: FakeUnitOfWork) -> None:
    assert console_runs.find_participants(uow, CLERK, "0") == [("J-001", "김하나", OWN)]
    with pytest.raises(NotFound, match="참여자 C-001"):
        console_runs.load_participant(uow, CLERK, "C-001")


def test_an_upload_naming_another_districts_participant_is_a_row_error(
    uow: FakeUnitOfWork,
) -> None:
    data = b"participant_id,date,status\nC-001,2025-03-12,absent\n"
    result = console_imports.upload(uow, CLERK, "attendance", "근태.csv", data)
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (2, "participant_id", "참여자를 찾을 수 없습니다")
    ]
    assert not result.ok and result.summary == ""  # nothing imported


# --- users ------------------------------------------------------------------------------


def test_a_new_user_gets_a_one_time_password_and_an_audit_entry(uow: FakeUnitOfWork) -> None:
    password = console_admin.add_user(uow, ADMIN, "kim", "김관리", "city_admin", [])
    account = uow.users.get("kim")
    assert account is not None and account.districts == ()
    assert account.must_change_password and account.password_hash.startswith("$argon2")
    assert password not in account.password_hash and len(password) == 14
    [entry] = uow.audit.entries("user", "kim")
    assert (entry.action, entry.actor, entry.actor_kind) == ("user.added", "admin", "user")
    assert entry.detail == {"role": "city_admin", "districts": []}
    assert users.login(uow, "kim", password).must_change_password


def test_a_refused_user_stores_nothing(uow: FakeUnitOfWork) -> None:
    with pytest.raises(users.UserError, match="알 수 없는 자치구"):
        users.add_user(uow, "kim", "김", "district_manager", ["없는구"], "admin")
    with pytest.raises(users.UserError, match="담당 자치구가 필요"):
        users.add_user(uow, "lee", "이", "district_clerk", [], "admin")
    assert uow.users.all() == [] and uow.audit.log == [] and uow.rollbacks == 2


def test_wrong_passwords_lock_the_account_and_the_count_is_kept(uow: FakeUnitOfWork) -> None:
    password = users.add_user(uow, "kim", "김", "finance", [], "admin")
    for _ in range(users.MAX_FAILED):
        with pytest.raises(users.LoginFailed, match="아이디 또는 비밀번호"):
            users.login(uow, "kim", "wrong")
    with pytest.raises(users.LoginFailed):  # the right password while locked
        users.login(uow, "kim", password)
    assert [e.action for e in uow.audit.entries("user", "kim")] == ["user.added", "user.locked"]
    fresh = users.reset_password(uow, "kim", "admin")
    assert users.login(uow, "kim", fresh).username == "kim"


def test_an_administrator_may_not_disable_themselves(uow: FakeUnitOfWork) -> None:
    users.add_user(uow, "admin", "관리자", "city_admin", [], "setup")
    with pytest.raises(users.UserError, match="자기 자신은 사용 중지할 수 없습니다"):
        console_admin.disable_user(uow, ADMIN, "admin")
    with pytest.raises(Forbidden):
        console_admin.disable_user(uow, FINANCE, "admin")
    assert not uow.users.get("admin").disabled  # type: ignore[union-attr]


# --- administrators' tables -------------------------------------------------------------


def test_a_holiday_override_is_stored_with_its_audit_entry(uow: FakeUnitOfWork) -> None:
    day = console_admin.change_holiday(uow, ADMIN, " 2025-10-10 ", "add", " 임시공휴일 ")
    assert day == date(2025, 10, 10)
    assert [(o.day, o.action, o.name) for o in uow.admin.holiday_overrides()] == [
        (day, "add", "임시공휴일")
    ]
    [entry] = uow.audit.entries("holiday", "2025-10-10")
    assert (entry.action, entry.detail) == ("holiday.add", {"name": "임시공휴일"})


def test_a_holiday_without_a_name_is_refused_and_nothing_is_kept(uow: FakeUnitOfWork) -> None:
    with pytest.raises(TextTooLong, match="비어 있을 수 없습니다"):
        admin_tables.set_holiday_override(uow, date(2025, 10, 10), "add", "  ", "admin")
    with pytest.raises(Forbidden):
        console_admin.change_holiday(uow, MANAGER, "2025-10-10", "add", "임시공휴일")
    assert uow.admin.overrides == {} and uow.audit.log == []


# --- the resident-number key ------------------------------------------------------------


def test_a_key_rotation_reencrypts_every_number_or_a_wrong_key_changes_nothing(
    uow: FakeUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cryptography.fernet import Fernet

    from payroll.privacy import rrn
    from payroll.services.admin import rrn_keys

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv(rrn.KEY_VARIABLE, old)
    uow.rrn_keys.numbers = {1: rrn.encrypt("700101-1234567")}
    monkeypatch.setenv(rrn.NEW_KEY_VARIABLE, new)
    report = rrn_keys.rotate_key(uow, "admin")
    assert (report.numbers, report.new_fingerprint) == (1, rrn.key_fingerprint(new))
    assert uow.rrn_keys.stored == rrn.key_fingerprint(new)
    assert Fernet(new.encode()).decrypt(uow.rrn_keys.numbers[1]) == b"700101-1234567"
    [entry] = uow.audit.entries("rrn_key", report.new_fingerprint)
    assert entry.detail == {"numbers": 1, "old": rrn.key_fingerprint(old)}
    kept = dict(uow.rrn_keys.numbers)
    with pytest.raises(rrn.RrnError, match="암호화한 키가 아닙니다"):  # the old key again
        rrn_keys.rotate_key(uow, "admin")
    assert uow.rrn_keys.numbers == kept and uow.rollbacks == 1
