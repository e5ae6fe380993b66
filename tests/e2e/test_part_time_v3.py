"""A schedule under 15 hours a week through the `payroll` command (rulebook v3 §5, §7, §8):
the roster's 일근로시간 2 (10 h a week), an annual-leave day refused at import naming the
rule, and a month whose stored payslip matches `payroll calc` with no holiday pay."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from payroll.cli.main import app
from tests.support.numbers import csv_text_with_numbers

runner = CliRunner()


def payroll(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_10_hour_week_has_no_leave_and_no_holiday_pay(cli_env: str, tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        csv_text_with_numbers(
            "참여자번호,성명,생년월일,자치구,은행,계좌번호,사업,기수,일근로시간\n"
            "S-001,최단시,1970-05-01,종로구,국민은행,123456-78-901234,dongheng,2025-H1,2\n"
        ),
        encoding="utf-8",
    )
    payroll("import", "participants", str(roster), "--by", "김담당")

    leave = tmp_path / "leave.csv"
    leave.write_text(
        "participant_id,date,status,hours\nS-001,2025-03-12,annual_leave,\n", encoding="utf-8"
    )
    refused = runner.invoke(app, ["import", "attendance", str(leave)])
    assert refused.exit_code != 0
    assert "아무것도 가져오지 않았습니다" in refused.output and "Traceback" not in refused.output
    errors = (tmp_path / "leave.errors.csv").read_text("utf-8-sig")
    assert "2,status,annual_leave" in errors
    assert "15시간 미만" in errors and "근로기준법 제18조 제3항" in errors

    payroll("run", "calculate", "--month", "2025-03")
    shown = json.loads(payroll("run", "show", "2025-03/종로구/dongheng", "--json"))
    [slip] = shown["payslips"]
    # March 2025, 2 h × Mon–Fri: 20 workdays × 2 h × 10,030 = 401,200; 3 March
    # (삼일절 대체공휴일) unpaid under 15 h (§5 v3); no weekly allowance (§7); the
    # annual-leave day was not stored, so 12 March stays a workday. Meal 20 × 6,000.
    assert slip["earnings"] == {"base_pay": 401_200, "expense_allowance": 120_000}
    case = tmp_path / "case.json"
    case.write_text(
        json.dumps(
            {
                "program": "dongheng",
                "birth_date": "1970-05-01",
                "start": "2025-01-10",
                "end": "2025-06-30",
                "daily_hours": 2,
                "months": ["2025-03"],
            }
        ),
        encoding="utf-8",
    )
    calc = json.loads(payroll("calc", str(case), "--json"))
    [month] = calc["months"]
    assert {k: slip[k] for k in month} == month
    # D = round(10 × 365 / 7 / 12 = 43.45) = 43 h × 10,030 = 431,290 (§9 v3)
    assert calc["declared_monthly_pay"] == 431_290


def test_calc_refuses_annual_leave_under_15_hours(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(
        json.dumps(
            {
                "program": "dongheng",
                "birth_date": "1970-05-01",
                "start": "2026-07-01",
                "end": "2026-12-31",
                "daily_hours": 4,
                "weekdays": ["tue", "thu", "fri"],
                "attendance": [{"date": "2026-11-03", "status": "annual_leave"}],
            }
        ),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["calc", str(case), "--json"])
    assert result.exit_code == 2
    assert "attendance[0] 2026-11-03" in result.output
    assert "근로기준법 제18조 제3항" in result.output
