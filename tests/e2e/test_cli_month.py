"""A district administrator's month through the `payroll` command, on SQLite and PostgreSQL:
init → roster → attendance → calculate → approve → finalize → payslips → ledger → reconcile."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from payroll.cli.main import app
from payroll.db import migrate
from tests.support.ledger_csv import ledger_rows

runner = CliRunner()


def payroll(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_init_creates_then_reports_up_to_date(cli_env: str) -> None:
    # cli_env's database is already migrated: init keeps it and adds nothing.
    assert "최신입니다" in payroll("init")
    assert "추가한 것이 없습니다" in payroll("init")
    assert migrate.current_revision(cli_env) == migrate.head_revision()


def test_a_month_end_to_end(cli_env: str, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "참여자번호,성명,생년월일,자치구,은행,계좌번호,사업,기수,주민등록번호\n"
        "J-001,김민지,1970-05-01,종로구,국민은행,123456-78-901234,dongheng,2025-H1,"
        "700501-2000001\n"
        "J-002,이서준,1990-02-03,11110,신한은행,110-987-654321,maeryeok,2025,900203-1000002\n",
        encoding="utf-8",
    )
    attendance = tmp_path / "march.csv"
    attendance.write_text(
        "participant_id,date,status,hours\nJ-001,2025-03-12,absent,\nJ-002,2025-03-13,worked,10\n",
        encoding="utf-8",
    )
    payroll("import", "participants", str(roster), "--by", "김담당")
    payroll("import", "attendance", str(attendance))
    payroll("run", "calculate", "--month", "2025-03")
    runs = json.loads(payroll("run", "list", "--month", "2025-03", "--json"))
    assert {(r["district"], r["program"], r["state"]) for r in runs} == {
        ("11110", "dongheng", "calculated"),
        ("11110", "maeryeok", "calculated"),
    }

    shown = json.loads(payroll("run", "show", "2025-03/종로구/dongheng", "--json"))
    [slip] = shown["payslips"]
    # The run stores what `payroll calc` computes for the same case, to the won.
    case = tmp_path / "case.json"
    case.write_text(
        json.dumps(
            {
                "program": "dongheng",
                "birth_date": "1970-05-01",
                "start": "2025-01-10",
                "end": "2025-06-30",
                "attendance": [{"date": "2025-03-12", "status": "absent"}],
                "months": ["2025-03"],
            }
        ),
        encoding="utf-8",
    )
    [calc] = json.loads(payroll("calc", str(case), "--json"))["months"]
    assert {k: slip[k] for k in calc} == calc

    out = tmp_path / "out"
    for run in runs:
        payroll("run", "approve", str(run["id"]), "--by", "이팀장")
        payroll("run", "finalize", str(run["id"]), "--by", "박과장", "--out", str(out))
    payment = out / "2025-03" / "11110" / "dongheng" / "payment.csv"
    [row] = list(csv.DictReader(payment.open(encoding="utf-8-sig")))
    assert (row["참여자번호"], int(row["실지급액"])) == ("J-001", calc["net"])

    payroll("payslips", "--month", "2025-03", "--out", str(out), "--encrypt", "--password", "birth")
    pdf = PdfReader(out / "2025-03" / "11110" / "dongheng" / "J-001.pdf")
    assert pdf.is_encrypted and pdf.decrypt("700501")
    text = pdf.pages[0].extract_text()
    assert "김민지" in text and f"{calc['net']:,}" in text and "검토용" not in text
    again = payroll(
        "payslips", "--month", "2025-03", "--out", str(out), "--encrypt", "--password", "birth"
    )
    assert "0건 만듦, 2건 이미 최신" in again

    ledger = tmp_path / "ledger.csv"
    payroll("ledger", "--month", "2025-03", "--format", "csv", "--out", str(ledger))
    lines = ledger_rows(ledger.read_text(encoding="utf-8"))
    wages = sum(int(r["amount"]) for r in lines if r["cost_item"] != "employer_insurance")
    assert wages == sum(r["gross"] for r in runs)
    assert all(int(r["city_share"]) + int(r["district_share"]) == int(r["amount"]) for r in lines)
    assert "대사 일치" in payroll("reconcile", "--month", "2025-03")


def test_a_database_never_initialised_is_named_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "new.db"
    empty.touch()  # a file someone created, never initialised
    monkeypatch.setenv("PAYROLL_DATABASE_URL", f"sqlite:///{empty}")
    result = runner.invoke(app, ["run", "list"])
    assert result.exit_code == 1 and "run `payroll init` first" in result.output
