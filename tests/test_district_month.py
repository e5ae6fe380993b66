"""A district's real month through the CLI, on SQLite and PostgreSQL (issue 13).

Written as a district administrator works: hand-written XLSX files with Korean headers and
Korean date forms, months written ``2025-3`` or ``2025년 4월``, runs named
``2025-03/종로구/동행일자리``, a late correction of a finalized month with the next months
finalized out of order, and an early leaver.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from payroll.cli.main import app

runner = CliRunner()


def payroll(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def refused(code: int, *args: str) -> str:
    """Run a command that must fail with ``code``; its stderr (never a traceback)."""
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.stderr


def xlsx(path: Path, header: list[str], *rows: list[Any]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


ROSTER_HEADER = ["참여자번호", "성명", "생년월일", "자치구", "은행", "계좌번호", "사업", "기수"]
ATTENDANCE_HEADER = ["참여자번호", "일자", "상태", "시간"]


def roster(tmp_path: Path) -> Path:
    return xlsx(
        tmp_path / "명부.xlsx",
        ROSTER_HEADER,
        ["J-001", "김민지", "1970. 5. 1.", "종로", "국민은행", "123-45-678", "동행일자리",
         "2025-H1"],
        ["J-002", "이서준", datetime(1990, 2, 3), "서울 종로구", "신한은행", "987-65-432",
         "서울 동행일자리", "2025-H1"],
    )  # fmt: skip


def retro_lines(run: str) -> dict[str, dict[str, int]]:
    """Participant -> retro line code -> amount, from ``run show --json``."""
    shown = json.loads(payroll("run", "show", run, "--json"))
    return {
        slip["participant_id"]: {
            code: amount for code, amount in slip["earnings"].items() if code.startswith("retro_")
        }
        for slip in shown["payslips"]
    }


def close(run: str) -> None:
    payroll("run", "approve", run, "--by", "김담당")
    payroll("run", "finalize", run, "--by", "박팀장")


def test_a_correction_is_paid_once_when_months_are_finalized_out_of_order(
    cli_env: str, tmp_path: Path
) -> None:
    payroll("import", "participants", str(roster(tmp_path)), "--by", "김담당")
    march = xlsx(tmp_path / "3월.xlsx", ATTENDANCE_HEADER, ["J-001", "2025.3.12", "결근", None])
    payroll("import", "attendance", str(march))
    payroll("run", "calculate", "--month", "2025-3")
    close("2025-03/종로구/동행일자리")

    # The absence was a mistake: J-001 worked the full 6 hours on 12 March.
    fix = xlsx(tmp_path / "정정.xlsx", ATTENDANCE_HEADER, ["J-001", "2025/03/12", "근무", 6])
    payroll("import", "attendance", str(fix), "--correction")
    payroll("run", "calculate", "--month", "2025년 4월")
    payroll("run", "calculate", "--month", "2025.05")
    april, may = "2025-04/종로/dongheng", "2025-05/11110/동행"
    # Both calculated now carry the correction; only one may ever be finalized with it.
    assert retro_lines(april)["J-001"] == retro_lines(may)["J-001"]

    # May cannot be approved before April is finalized (§16) ...
    message = refused(1, "run", "approve", may, "--by", "김담당")
    assert "2025-04" in message and "확정되지 않았습니다" in message
    close(april)
    # ... and once April paid the correction, May's copy is stale: recalculate first.
    assert "다시 계산하세요" in refused(1, "run", "approve", may, "--by", "김담당")
    payroll("run", "calculate", "--month", "2025-05")
    close(may)

    # March as finalized lost 12 March: base 6 h × 10,030 = 60,180, the week's weekly
    # allowance 6 h × 10,030 = 60,180 (§5, §7), the day's expense allowance 6,000 (§5).
    # So the correction is 120,360 taxable + 6,000 non-taxable = 126,360, paid in April
    # only, the allowance as retro_expense_allowance (§16).
    assert retro_lines(april)["J-001"] == {
        "retro_adjustment": 120_360,
        "retro_expense_allowance": 6_000,
    }
    assert retro_lines(may)["J-001"] == {}
    assert retro_lines(april)["J-002"] == {}
    for month in ("2025-03", "2025-04", "2025-05"):
        assert "reconciles" in payroll("reconcile", "--month", month)


def test_month_date_and_name_errors_are_one_korean_line_with_exit_2(
    cli_env: str, tmp_path: Path
) -> None:
    assert "13월은 없습니다" in refused(2, "run", "calculate", "--month", "2025-13")
    assert "월을 알 수 없습니다" in refused(2, "run", "list", "-m", "March")
    assert "자치구 '해운대구'" in refused(
        2, "run", "calculate", "--month", "2025-03", "--district", "해운대구"
    )
    assert "사업 '청년'" in refused(2, "run", "show", "2025-03/종로구/청년")
    assert "급여 실행" in refused(2, "run", "show", "2025-03/종로구/동행일자리")
    assert "13월은 없습니다" in refused(2, "reconcile", "--month", "2025-13")
    bad = xlsx(tmp_path / "bad.xlsx", ATTENDANCE_HEADER, ["J-001", "3월 5일", "결근", None])
    payroll("import", "participants", str(roster(tmp_path)), "--by", "김담당")
    assert "1 row error" in refused(1, "import", "attendance", str(bad))
    assert "날짜를 알 수 없습니다" in (tmp_path / "bad.errors.csv").read_text("utf-8-sig")


def test_no_database_is_created_by_any_command_but_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAYROLL_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    message = refused(2, "run", "list")
    assert "payroll init" in message and not (tmp_path / "payroll.db").exists()
    payroll("init")
    assert (tmp_path / "payroll.db").exists()
    assert "Payroll runs" in payroll("run", "list")


def test_reconcile_stops_on_a_run_not_finalized(cli_env: str, tmp_path: Path) -> None:
    payroll("import", "participants", str(roster(tmp_path)), "--by", "김담당")
    payroll("run", "calculate", "--month", "2025-03")
    assert "확정되지 않은 급여 실행 1건" in refused(3, "reconcile", "--month", "2025-03")
    payroll("reconcile", "--month", "2025-03", "--allow-unfinalized")
