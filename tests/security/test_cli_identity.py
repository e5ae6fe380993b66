"""``--by`` names one registered person: spelling games do not make a second approver."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from payroll.cli.main import app
from payroll.db.engine import make_engine
from payroll.db.uow import SqlUnitOfWork
from payroll.services.admin.users import UserError, add_user
from payroll.services.common.identity import operator
from payroll.services.runs.lifecycle import calculate_runs
from tests.support.factories import add_enrolled

runner = CliRunner()
KOREAN = "김담당"


def _users(engine: Engine) -> None:
    add_user(SqlUnitOfWork(engine), "clerk.b", KOREAN, "district_manager", ["11110"], "t")
    add_user(SqlUnitOfWork(engine), "other", "이팀장", "district_manager", ["11110"], "t")


@pytest.mark.parametrize(
    "spelling",
    ["clerk.b ", " CLERK.B", KOREAN, unicodedata.normalize("NFD", KOREAN), f" {KOREAN} "],
)
def test_spellings_of_the_calculator_cannot_approve(cli_env: str, spelling: str) -> None:
    engine = make_engine(cli_env)
    _users(engine)
    add_enrolled(engine, "J-001")
    calculate_runs(SqlUnitOfWork(engine), "2025-03", actor="clerk.b")
    engine.dispose()
    refused = runner.invoke(app, ["run", "approve", "1", "--by", spelling])
    assert refused.exit_code == 1 and "승인할 수 없습니다" in refused.output
    assert runner.invoke(app, ["run", "approve", "1", "--by", "이팀장"]).exit_code == 0


def test_unregistered_by_is_refused_once_users_exist(cli_env: str) -> None:
    engine = make_engine(cli_env)
    _users(engine)
    add_enrolled(engine, "J-001")
    calculate_runs(SqlUnitOfWork(engine), "2025-03", actor="clerk.b")
    engine.dispose()
    refused = runner.invoke(app, ["run", "approve", "1", "--by", "somebody"])
    assert refused.exit_code == 1 and "등록된 사용자가 아닙니다" in refused.output
    assert "Traceback" not in refused.output


def test_display_name_resolves_to_the_username(engine: Engine) -> None:
    _users(engine)
    assert operator(SqlUnitOfWork(engine), unicodedata.normalize("NFD", KOREAN)) == "clerk.b"
    with pytest.raises(UserError):
        operator(SqlUnitOfWork(engine), "   ")


def test_without_users_the_trimmed_nfc_name_is_the_identity(engine: Engine) -> None:
    nfd = unicodedata.normalize("NFD", KOREAN) + " "
    assert operator(SqlUnitOfWork(engine), nfd) == KOREAN


def test_other_commands_record_the_resolved_username(cli_env: str) -> None:
    from sqlalchemy import select

    from payroll.db.engine import transaction
    from payroll.db.models import AuditLog

    engine = make_engine(cli_env)
    _users(engine)
    done = runner.invoke(app, ["holiday", "add", "2025-10-10", "임시공휴일", "--by", f" {KOREAN}"])
    assert done.exit_code == 0, done.output
    refused = runner.invoke(app, ["holiday", "remove", "2025-10-10", "--by", "nobody"])
    assert refused.exit_code == 1 and "등록된 사용자가 아닙니다" in refused.output
    with transaction(engine) as session:
        actors = {
            a.actor for a in session.scalars(select(AuditLog).where(AuditLog.entity == "holiday"))
        }
    engine.dispose()
    assert actors == {"clerk.b"}
