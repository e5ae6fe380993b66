"""``payroll calc``: text and JSON output, stdin, and exit code 2 on invalid input."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from payroll.cli.calc import calc

app = typer.Typer()
app.command("calc")(calc)
app.command("noop")(lambda: None)  # keep calc a sub-command, as in payroll.cli.main
runner = CliRunner()

CASE = {
    "program": "dongheng",
    "birth_date": "1970-05-01",
    "start": "2025-01-10",
    "end": "2025-06-30",
    "months": ["2025-03"],
}


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_json_output_is_the_section_12_payslip(tmp_path: Path) -> None:
    result = runner.invoke(app, ["calc", write(tmp_path, CASE), "--json"])
    assert result.exit_code == 0, result.output
    months = json.loads(result.stdout)["months"]
    assert [m["month"] for m in months] == ["2025-03"]
    march = months[0]
    assert march["earnings"] == {
        "base_pay": 1_203_600,
        "holiday_pay": 60_180,
        "weekly_allowance": 300_900,
        "expense_allowance": 120_000,
    }
    assert march["gross"] == 1_684_680 and march["insurable"] == 1_564_680
    assert march["deductions"]["national_pension"] == 70_380
    assert march["deductions"]["income_tax"] == 10_160  # official table, 1,560–1,570 천원
    assert march["net"] == 1_684_680 - sum(march["deductions"].values())
    assert march["explain"]["base_pay"] == "20일 × 6시간 × 10,030원"


def test_text_output_shows_lines_totals_and_leave(tmp_path: Path) -> None:
    result = runner.invoke(app, ["calc", write(tmp_path, CASE)])
    assert result.exit_code == 0, result.output
    for text in ("2025-03", "기본급", "1,203,600", "300,900", "1,684,680", "연차", "잔여 2일"):
        assert text in result.stdout


def test_stdin_and_every_month_by_default() -> None:
    case = {k: v for k, v in CASE.items() if k != "months"}
    result = runner.invoke(app, ["calc", "-", "--json"], input=json.dumps(case))
    assert result.exit_code == 0, result.output
    months = [m["month"] for m in json.loads(result.stdout)["months"]]
    assert months == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]


def test_invalid_case_exits_2_naming_the_field(tmp_path: Path) -> None:
    result = runner.invoke(app, ["calc", write(tmp_path, {**CASE, "program": "nowhere"})])
    assert result.exit_code == 2
    assert "오류: program: unknown program 'nowhere'" in result.stderr


def test_invalid_attendance_exits_2_naming_the_record(tmp_path: Path) -> None:
    case = {**CASE, "attendance": [{"date": "2025-03-15", "status": "absent"}]}
    result = runner.invoke(app, ["calc", write(tmp_path, case)])
    assert result.exit_code == 2
    assert "오류: attendance[0] 2025-03-15: 근무하는 요일이 아닙니다" in result.stderr


def test_unreadable_file_and_malformed_json(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["calc", str(tmp_path / "none.json")])
    assert missing.exit_code == 2 and "오류: case: cannot read" in missing.stderr
    bad = runner.invoke(app, ["calc", "-"], input="{")
    assert bad.exit_code == 2 and "오류: case: malformed JSON" in bad.stderr
