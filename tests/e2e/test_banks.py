"""Bank codes and accounts: the table, the roster's checks, and the run's exception."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text

from payroll.db import migrate
from payroll.db.engine import make_engine, transaction
from payroll.db.models import Participant, RunException
from payroll.db.uow import SqlUnitOfWork
from payroll.formats.tabular import ImportRejected
from payroll.reference.banks import BankError, account_digits, banks, find_bank, payee_problem
from payroll.services.imports.rosters import import_participants
from payroll.services.runs.lifecycle import (
    RunError,
    approve_run,
    calculate_runs,
    exclude_participant,
)
from tests.conftest import new_empty_database_url
from tests.support.factories import add_enrolled
from tests.support.numbers import csv_with_numbers


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("국민", "004"),
        ("KB국민은행", "004"),
        ("004", "004"),
        ("국민은행", "004"),
        ("kb 국민", "004"),
        ("신한은행", "088"),
        ("NH농협은행", "011"),
        ("농협", "011"),
        ("지역농협", "012"),
        ("IBK기업은행", "003"),
        ("기업은행", "003"),
        ("카카오뱅크", "090"),
        ("우체국", "071"),
        ("새마을금고", "045"),
        ("대구은행", "031"),
        ("iM뱅크", "031"),
        ("수출입은행", "008"),
    ],
)
def test_bank_names_aliases_and_codes(text: str, code: str) -> None:
    assert find_bank(text).code == code


def test_the_table_has_unique_codes_and_the_named_banks() -> None:
    codes = [b.code for b in banks()]
    assert len(codes) == len(set(codes))
    assert {"002", "003", "004", "007", "008", "011", "012", "020", "023", "027", "031"} <= set(
        codes
    )
    assert {"032", "034", "035", "037", "039", "045", "048", "071", "081", "088", "089"} <= set(
        codes
    )
    assert {"090", "092"} <= set(codes)


def test_unknown_bank_is_a_korean_error() -> None:
    with pytest.raises(BankError, match="알 수 없는 은행 '한빛은행'"):
        find_bank("한빛은행")


def test_account_digits_and_length() -> None:
    kb = find_bank("국민")
    assert account_digits("123456-78-901234", kb) == "12345678901234"
    with pytest.raises(BankError, match="숫자 10~14자리.*9자리"):
        account_digits("123-45-6789", kb)
    with pytest.raises(BankError, match="숫자와 '-'만"):
        account_digits("123-45-67a9", kb)
    with pytest.raises(BankError, match="카카오뱅크 계좌번호는 숫자 13자리"):
        account_digits("3333-01-234567", find_bank("카카오"))  # 12 digits


def test_payee_problem() -> None:
    assert payee_problem("004", "123456789012") is None
    assert "계좌번호 없음" in (payee_problem("004", None) or "")
    assert "은행 코드" in (payee_problem(None, "123456789012") or "")
    assert "잘못된 계좌번호" in (payee_problem("090", "123456789012") or "")


HEADER = "참여자번호,성명,생년월일,자치구,은행,계좌번호,예금주,사업,기수"


def roster(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "roster.csv"
    header, rows = csv_with_numbers(HEADER, *rows)  # an enrollment needs a resident number
    path.write_text("\n".join((header, *rows)) + "\n", encoding="utf-8")
    return path


def test_roster_stores_code_digits_and_holder(engine: Engine, tmp_path: Path) -> None:
    import_participants(
        SqlUnitOfWork(engine),
        roster(
            tmp_path,
            "P1,김영희,1970-05-01,종로구,국민,123456-78-901234,,dongheng,2025-H1",
            "P2,이철수,1980-02-03,종로구,088,110-123-456789,이영자,dongheng,2025-H1",
        ),
    )
    with transaction(engine) as session:
        rows = {
            p.participant_id: (p.bank_code, p.bank, p.account, p.account_holder)
            for p in session.scalars(select(Participant))
        }
    assert rows == {
        "P1": ("004", "KB국민은행", "12345678901234", None),
        "P2": ("088", "신한은행", "110123456789", "이영자"),
    }


def test_roster_refuses_an_unknown_bank_and_a_short_account(engine: Engine, tmp_path: Path) -> None:
    path = roster(
        tmp_path,
        "P1,김영희,1970-05-01,종로구,한빛은행,123456-78-901234,,dongheng,2025-H1",
        "P2,이철수,1980-02-03,종로구,신한,123-45,,dongheng,2025-H1",
    )
    with pytest.raises(ImportRejected) as caught:
        import_participants(SqlUnitOfWork(engine), path)
    errors = {(e.row, e.column): e.reason for e in caught.value.errors}
    assert "알 수 없는 은행" in errors[(2, "bank")]
    assert errors[(3, "account")] == "신한은행 계좌번호는 숫자 10~14자리입니다 (이 번호는 5자리)"
    with transaction(engine) as session:
        assert session.scalars(select(Participant)).first() is None


def test_missing_account_blocks_approval_until_a_reimport_fixes_it(
    engine: Engine, tmp_path: Path
) -> None:
    add_enrolled(engine, "P1", name="김영희")
    add_enrolled(engine, "P2", name="이철수", birth_date=date(1980, 2, 3))
    with transaction(engine) as session:
        p1 = session.scalars(select(Participant).where(Participant.participant_id == "P1")).one()
        p1.account = None
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03")
    assert (run.participants, run.exceptions) == (1, 1)
    with transaction(engine) as session:
        [exception] = session.scalars(select(RunException)).all()
        assert exception.reason.startswith("계좌번호 없음")
    with pytest.raises(RunError, match="처리되지 않은 예외 1건"):
        approve_run(SqlUnitOfWork(engine), str(run.id), "팀장")
    # the roster re-import gives the account: calculated again, the exception is gone
    import_participants(
        SqlUnitOfWork(engine), roster(tmp_path, "P1,김영희,1970-05-01,종로구,국민,123456789012,,,")
    )
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03")
    assert (run.participants, run.exceptions) == (2, 0)
    assert approve_run(SqlUnitOfWork(engine), str(run.id), "팀장").state == "approved"


def test_malformed_account_can_be_excluded_instead(engine: Engine) -> None:
    add_enrolled(engine, "P1")
    with transaction(engine) as session:
        session.scalars(select(Participant)).one().account = "12345"
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03")
    assert run.exceptions == 1
    exclude_participant(SqlUnitOfWork(engine), str(run.id), "P1", "계좌 확인 중", "담당자")
    assert approve_run(SqlUnitOfWork(engine), str(run.id), "팀장").state == "approved"


def test_migration_0008_resolves_stored_banks_and_keeps_account_digits(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = new_empty_database_url(backend, request, tmp_path)
    migrate.upgrade(url, "0003")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO districts (code, name) VALUES ('11110', '종로구')"))
        for pid, bank, account in (
            ("P1", "국민은행", "123456-78-901234"),
            ("P2", "한빛은행", "1002 123 456789"),
            ("P3", None, None),
        ):
            conn.execute(
                text(
                    "INSERT INTO participants (participant_id, name, birth_date, district_code,"
                    " bank, account, dependents, created_at) VALUES (:p, '김', '1970-05-01',"
                    " '11110', :b, :a, 1, '2025-01-01T00:00:00+00:00')"
                ),
                {"p": pid, "b": bank, "a": account},
            )
    migrate.upgrade(url, "0008")
    with engine.begin() as conn:
        rows = conn.execute(
            text(
                "SELECT participant_id, bank, bank_code, account FROM participants"
                " ORDER BY participant_id"
            )
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("P1", "KB국민은행", "004", "12345678901234"),
        ("P2", "한빛은행", None, "1002123456789"),  # unknown: a run exception until fixed
        ("P3", None, None, None),
    ]


def test_through_the_cli_a_missing_account_is_shown_fixed_and_paid(
    cli_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from payroll.cli import common
    from payroll.cli.main import app

    monkeypatch.setattr(common.console, "_width", 250)
    monkeypatch.setattr(common.err_console, "_width", 400)
    runner = CliRunner()

    def payroll(*args: str | Path, code: int = 0) -> str:
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code == code, result.output
        return result.output

    path = roster(tmp_path, "JR-104,차카타,1970-05-01,종로구,,,,dongheng,2025-H1")
    payroll("import", "participants", path)
    payroll("run", "calculate", "--month", "2025-03")
    shown = payroll("run", "show", "1")
    assert "JR-104" in shown and "계좌번호 없음" in shown
    assert "처리되지 않은 예외 1건이 있습니다" in payroll(
        "run", "approve", "1", "--by", "팀장", code=1
    )
    path = roster(tmp_path, "JR-104,차카타,1970-05-01,종로구,국민,123456-78-901234,,,")
    payroll("import", "participants", path)
    payroll("run", "calculate", "--month", "2025-03")
    payroll("run", "approve", "1", "--by", "팀장")
    payroll("run", "finalize", "1", "--by", "과장", "--out", tmp_path / "out")
    out = tmp_path / "transfer.csv"
    payroll("report", "bank-transfer", "1", "--out", out)
    [row] = out.read_text(encoding="utf-8-sig").splitlines()[1:]
    assert row.startswith("1,004,KB국민은행,12345678901234,차카타,")
