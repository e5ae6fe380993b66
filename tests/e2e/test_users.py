"""Console users: Argon2 hashes, one-time passwords, lockout, CLI, separation of duties."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from payroll.cli.main import app
from payroll.db.engine import make_engine, transaction
from payroll.db.models import AuditLog, UserRow
from payroll.db.uow import SqlUnitOfWork
from payroll.services.admin import city_settings
from payroll.services.admin.users import (
    MAX_FAILED,
    LoginFailed,
    UserError,
    add_user,
    change_password,
    disable_user,
    login,
    reset_password,
)
from payroll.services.runs.lifecycle import RunError, approve_run, calculate_runs, finalize_run
from tests.e2e.web.conftest import cheap_argon2
from tests.support.factories import add_enrolled

pytestmark = pytest.mark.usefixtures(cheap_argon2.__name__)


def _add(engine: Engine, username: str, role: str = "district_clerk", *districts: str) -> str:
    return add_user(
        SqlUnitOfWork(engine), username, username, role, list(districts or ["종로구"]), "admin"
    )


def test_password_is_stored_as_argon2_and_one_time_password_must_be_changed(
    engine: Engine,
) -> None:
    password = _add(engine, "kim")
    with transaction(engine) as session:
        row = session.scalars(select(UserRow).where(UserRow.username == "kim")).one()
        assert row.password_hash.startswith("$argon2id$")
        assert password not in row.password_hash
        assert row.districts == "11110"  # the name was resolved to its code
    user = login(SqlUnitOfWork(engine), "kim", password)
    assert user.must_change_password
    change_password(SqlUnitOfWork(engine), "kim", password, "새로운-비밀번호-123")
    assert not login(SqlUnitOfWork(engine), "kim", "새로운-비밀번호-123").must_change_password
    with pytest.raises(LoginFailed):
        login(SqlUnitOfWork(engine), "kim", password)


def test_repeated_failures_lock_the_account_until_reset(engine: Engine) -> None:
    password = _add(engine, "kim")
    for _ in range(MAX_FAILED):
        with pytest.raises(LoginFailed):
            login(SqlUnitOfWork(engine), "kim", "wrong")
    with pytest.raises(LoginFailed):  # the right password is refused while locked
        login(SqlUnitOfWork(engine), "kim", password)
    fresh = reset_password(SqlUnitOfWork(engine), "kim", "admin")
    assert login(SqlUnitOfWork(engine), "kim", fresh).username == "kim"
    with pytest.raises(LoginFailed):
        login(SqlUnitOfWork(engine), "kim", password)  # the old one-time password is gone


def test_disabled_and_unknown_users_cannot_log_in(engine: Engine) -> None:
    password = _add(engine, "kim")
    disable_user(SqlUnitOfWork(engine), "kim", "admin")
    with pytest.raises(LoginFailed, match="아이디 또는 비밀번호"):
        login(SqlUnitOfWork(engine), "kim", password)
    with pytest.raises(LoginFailed, match="아이디 또는 비밀번호"):
        login(SqlUnitOfWork(engine), "nobody", password)


def test_district_roles_need_a_known_district(engine: Engine) -> None:
    with pytest.raises(UserError, match="담당 자치구가 필요"):
        add_user(SqlUnitOfWork(engine), "kim", "김", "district_clerk", [], "admin")
    with pytest.raises(UserError, match="알 수 없는 자치구"):
        add_user(SqlUnitOfWork(engine), "kim", "김", "district_manager", ["없는구"], "admin")
    with pytest.raises(UserError, match="알 수 없는 역할"):
        add_user(SqlUnitOfWork(engine), "kim", "김", "boss", ["11110"], "admin")
    _add(engine, "fin", "finance")  # city-wide roles may have none
    with pytest.raises(UserError, match="이미 있습니다"):
        _add(engine, "fin", "finance")


def test_cli_user_commands(cli_env: str) -> None:
    runner = CliRunner()
    out = runner.invoke(
        app, ["user", "add", "lee", "--role", "district_manager", "-d", "11110", "--name", "이팀장"]
    )
    assert out.exit_code == 0, out.output
    first = re.search(r"lee의 일회용 비밀번호.*?: (\S+)", out.output.replace("\n", " "))
    assert first
    listed = runner.invoke(app, ["user", "list"]).output
    assert "lee" in listed and "district_manager" in listed and "비밀번호 변경" in listed
    reset = runner.invoke(app, ["user", "reset-password", "lee"])
    assert reset.exit_code == 0 and first.group(1) not in reset.output
    assert runner.invoke(app, ["user", "disable", "lee"]).exit_code == 0
    assert "사용 중지" in runner.invoke(app, ["user", "list"]).output
    bad = runner.invoke(app, ["user", "add", "x", "--role", "district_clerk"])
    assert bad.exit_code == 1 and "담당 자치구" in bad.output


def _calculated_run(engine: Engine, by: str) -> int:
    add_enrolled(engine, "J-001")
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03", actor=by)
    return run.id


def test_who_calculated_cannot_approve(engine: Engine) -> None:
    run = _calculated_run(engine, "kim")
    with pytest.raises(RunError, match="계산한 급여는 kim님이 승인할 수 없습니다"):
        approve_run(SqlUnitOfWork(engine), str(run), "kim")
    assert approve_run(SqlUnitOfWork(engine), str(run), "lee").state == "approved"


def test_who_approved_cannot_finalize_unless_the_city_relaxes_it(engine: Engine) -> None:
    run = _calculated_run(engine, "kim")
    approve_run(SqlUnitOfWork(engine), str(run), "lee")
    with pytest.raises(RunError, match="승인한 급여는 lee님이 확정할 수 없습니다"):
        finalize_run(SqlUnitOfWork(engine), str(run), "lee")
    with SqlUnitOfWork(engine) as uow:
        city_settings.put(uow, city_settings.SELF_FINALIZE, "on", "city")
    assert finalize_run(SqlUnitOfWork(engine), str(run), "lee").state == "finalized"
    with transaction(engine) as session:
        entries = {
            a.action: a.detail
            for a in session.scalars(select(AuditLog).where(AuditLog.actor.in_(("lee", "city"))))
        }
    assert entries["setting.changed"] == {"old": None, "new": "on"}
    assert entries["run.finalized"]["separation_of_duties_relaxed"] is True


def test_cli_refuses_the_same_operator_for_approve_and_finalize(cli_env: str) -> None:
    engine = make_engine(cli_env)
    add_enrolled(engine, "J-001")
    calculate_runs(SqlUnitOfWork(engine), "2025-03", actor="kim")
    engine.dispose()
    runner = CliRunner()
    assert runner.invoke(app, ["run", "approve", "1", "--by", "lee"]).exit_code == 0
    refused = runner.invoke(app, ["run", "finalize", "1", "--by", "lee"])
    assert refused.exit_code == 1 and "확정할 수 없습니다" in refused.output
