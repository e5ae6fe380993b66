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
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from payroll.cli.main import app
from tests.support.numbers import with_numbers

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
    header, filled = with_numbers(header, rows)  # an enrollment needs a resident number
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in filled:
        sheet.append(row)
    book.save(path)
    return path


ROSTER_HEADER = ["참여자번호", "성명", "생년월일", "자치구", "은행", "계좌번호", "사업", "기수"]
ATTENDANCE_HEADER = ["참여자번호", "일자", "상태", "시간"]


def roster(tmp_path: Path) -> Path:
    return xlsx(
        tmp_path / "명부.xlsx",
        ROSTER_HEADER,
        ["J-001", "김민지", "1970. 5. 1.", "종로", "국민은행", "123-45-678901", "동행일자리",
         "2025-H1"],
        ["J-002", "이서준", datetime(1990, 2, 3), "서울 종로구", "신한은행", "987-65-432109",
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
    # §8/§16: the corrected record no longer blocks the period 10 Mar – 9 Apr, so April
    # accrues its day on 10 April like J-002's (10 Feb, 10 Mar, 10 Apr: 3 days).
    shown = json.loads(payroll("run", "show", april, "--json"))
    assert {s["participant_id"]: s["leave"]["accrued"] for s in shown["payslips"]} == {
        "J-001": 3,
        "J-002": 3,
    }
    for month in ("2025-03", "2025-04", "2025-05"):
        assert "대사 일치" in payroll("reconcile", "--month", month)


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
    assert "오류 1건" in refused(1, "import", "attendance", str(bad))
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
    assert "급여 실행" in payroll("run", "list")


def test_reconcile_stops_on_a_run_not_finalized(cli_env: str, tmp_path: Path) -> None:
    payroll("import", "participants", str(roster(tmp_path)), "--by", "김담당")
    payroll("run", "calculate", "--month", "2025-03")
    assert "확정되지 않은 급여 실행 1건" in refused(3, "reconcile", "--month", "2025-03")
    payroll("reconcile", "--month", "2025-03", "--allow-unfinalized")


def earnings(run: str) -> dict[str, dict[str, int]]:
    shown = json.loads(payroll("run", "show", run, "--json"))
    return {slip["participant_id"]: slip["earnings"] for slip in shown["payslips"]}


def test_an_early_leaver_is_paid_to_the_new_end_and_shown_everywhere(
    cli_env: str, tmp_path: Path
) -> None:
    payroll("import", "participants", str(roster(tmp_path)), "--by", "김담당")
    payroll("run", "calculate", "--month", "2025-03")
    march = "2025-03/종로구/동행일자리"
    close(march)

    # (An end inside finalized March is accepted as a recovery: tests/e2e/test_recovery_cli.py)
    assert "--note" in refused(
        1, "enrollment", "end", "J-001", "--on", "2025-04-18", "--reason", "other", "--by", "김"
    )
    payroll("run", "calculate", "--month", "2025-04")  # recalculated by the end below
    said = payroll(
        "enrollment", "end", "J-001", "--on", "2025-04-18", "--reason", "employed", "--by", "김담당"
    )
    assert "2025-06-30 → 2025-04-18 (취업)" in said and "다시 계산" in said

    # April for J-001 (S 2025-01-10, E' 2025-04-18, a Friday; §5, §7, §8, §14):
    #   base pay     14 workdays (1–4, 7–11, 14–18 Apr) × 6 h × 10,030 = 842,520
    #   weekly allowance  weeks ending 6 and 13 Apr only (E' is before Sunday 20 Apr)
    #                     2 × 6 h × 10,030 = 120,360
    #   leave payout  3 days accrued (10 Feb, 10 Mar, 10 Apr ≤ E'), none used
    #                     3 × 6 h × 10,030 = 180,540
    #   expense allowance 14 × 6,000 = 84,000
    april = earnings("2025-04/종로구/동행일자리")["J-001"]
    assert april == {
        "base_pay": 842_520,
        "weekly_allowance": 120_360,
        "annual_leave_payout": 180_540,
        "expense_allowance": 84_000,
    }
    payroll("run", "calculate", "--month", "2025-05")
    assert set(earnings("2025-05/종로구/동행일자리")) == {"J-002"}  # no May payslip

    shown = payroll("participant", "show", "J-001")
    assert "중도 종료" in shown and "취업" in shown and "2025-04-18" in shown

    # The roster's 종료사유 column ends J-002 the same way; re-importing the original
    # roster afterwards changes nothing.
    ended = xlsx(
        tmp_path / "명부-종료.xlsx",
        [*ROSTER_HEADER, "종료일", "종료사유"],
        ["J-002", "이서준", "1990-02-03", "종로구", "", "", "동행일자리", "2025-H1",
         "2025. 5. 16.", "중도 포기"],
    )  # fmt: skip
    assert "중도 종료" in payroll("import", "participants", str(ended), "--by", "김담당")
    assert "withdrew" in payroll("participant", "show", "J-002", "--json")
    assert "참여 0건 추가" in payroll(
        "import", "participants", str(roster(tmp_path)), "--by", "김담당"
    )

    out = tmp_path / "files"
    april_run = "2025-04/종로구/동행일자리"
    payroll("run", "calculate", "--month", "2025-04")
    payroll("run", "approve", april_run, "--by", "김담당")
    payroll("run", "finalize", april_run, "--by", "박팀장", "--out", str(out))
    book = load_workbook(out / "2025-04" / "11110" / "dongheng" / "register.xlsx")
    sheet = book.active
    assert sheet["A1"].value == "임금대장 2025년 4월 종로구 서울 동행일자리"
    header = [c.value for c in sheet[3]]
    row = dict(zip(header, [c.value for c in sheet[4]], strict=True))
    assert (row["성명"], row["종료일"], row["종료사유"]) == ("김민지", "2025-04-18", "취업")
    assert (row["근로일수"], row["근로시간"], row["연장근로시간"]) == (14, 84, 0)

    # May was calculated before the roster ended J-002 on 16 May: stale, recalculate first.
    may_run = "2025-05/종로구/동행일자리"
    message = refused(1, "run", "approve", may_run, "--by", "김담당")
    assert "종료일이 바뀌었습니다" in message and "J-002" in message
    payroll("run", "calculate", "--month", "2025-05")
    payroll("run", "approve", may_run, "--by", "김담당")

    payroll("payslips", "--month", "2025-04", "--out", str(out), "--district", "종로")
    text = PdfReader(out / "2025-04" / "11110" / "dongheng" / "J-001.pdf").pages[0].extract_text()
    assert "2025.01.10 ~ 2025.04.18" in text and "취업" in text


def test_the_review_workbook_and_the_register_print_and_total_as_values(
    cli_env: str, tmp_path: Path
) -> None:
    payroll("import", "participants", str(roster(tmp_path)), "--by", "김담당")
    payroll("run", "calculate", "--month", "2025-03")
    close("2025-03/종로구/동행일자리")
    april = xlsx(
        tmp_path / "4월.xlsx",
        ATTENDANCE_HEADER,
        ["J-001", "2025. 4. 9.", "결근", None],
        ["J-002", "2025-04-10", "근무", 8],
    )
    payroll("import", "attendance", str(april))
    payroll("run", "calculate", "--month", "2025-04")
    out = tmp_path / "검토.xlsx"
    assert "2명" in payroll("run", "review", "2025-04/종로구/동행일자리", "--out", str(out))

    sheet = load_workbook(out).active
    assert sheet["A1"].value == "급여 검토표 2025년 4월 종로구 서울 동행일자리"
    assert "상태 계산됨" in sheet["A2"].value  # the state in Korean, not its code
    header = [c.value for c in sheet[3]]
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=4, max_row=5)}
    total = [c.value for c in sheet[6]]
    net = header.index("실지급액")
    assert total[0].startswith("합계 2명")
    assert total[net] == rows["J-001"][net].value + rows["J-002"][net].value  # values
    assert not any(isinstance(v, str) and v.startswith("=") for v in total)
    # J-002 worked 2 h overtime on 10 April: that column differs from March, highlighted.
    overtime = header.index("연장근로수당")
    assert rows["J-002"][overtime].fill.fgColor.rgb.endswith("FFF2CC")
    assert rows["J-001"][header.index("결근일수")].value == 1
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage


def test_templates_have_korean_headers_an_example_and_explanations(
    cli_env: str, tmp_path: Path
) -> None:
    for kind, first in (
        ("roster", "참여자번호"),
        ("history", "참여자번호"),
        ("attendance", "일자"),
    ):
        path = tmp_path / f"{kind}.xlsx"
        payroll("template", kind, "--out", str(path))
        book = load_workbook(path)
        headers = [c.value for c in book.worksheets[0][1]]
        assert first in headers and all(h and not h.isascii() for h in headers)
        explained = [r[0].value for r in book["설명"].iter_rows(min_row=2) if r[0].value]
        assert set(headers) <= set(explained)
    # Filled as they come (the example rows), the roster and attendance import.
    payroll("import", "participants", str(tmp_path / "roster.xlsx"), "--by", "김담당")
    payroll("import", "attendance", str(tmp_path / "attendance.xlsx"))
    assert "양식 'payslip'" in refused(2, "template", "payslip", "--out", str(tmp_path / "x.xlsx"))


def test_severance_review_lists_a_year_of_continuous_service(cli_env: str, tmp_path: Path) -> None:
    payroll("import", "participants", str(roster(tmp_path)), "--by", "김담당")
    history = xlsx(
        tmp_path / "이력.xlsx",
        ["참여자번호", "사업", "시작일", "종료일"],
        ["J-001", "동행일자리", "2024.7.1", "2024.12.31"],  # 10 days before 2025-01-10
        ["J-002", "동행일자리", "2024.7.1", "2024.11.29"],  # 41 days: not continuous
    )
    payroll("import", "history", str(history))
    for month in ("2025-04", "2025-05", "2025-06"):
        payroll("run", "calculate", "--month", month)
        close(f"{month}/종로구/동행일자리")
    wages = sum(
        amount
        for month in ("2025-04", "2025-05", "2025-06")
        for code, amount in earnings(f"{month}/종로구/동행일자리")["J-001"].items()
        if code != "expense_allowance"
    )
    out = tmp_path / "퇴직금.xlsx"
    payroll("report", "severance", "--district", "종로구", "--out", str(out))
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[3]]
    [row] = [dict(zip(header, [c.value for c in r], strict=True)) for r in sheet.iter_rows(4)]
    # §15: 2024-07-01 .. 2025-06-30 is 365 days; average daily wage = wages of April–June
    # / 91 days; estimate = that × 30 × 365 / 365, rounded down.
    assert (row["참여자번호"], row["시작일"], row["종료일"], row["일수"]) == (
        "J-001", "2024-07-01", "2025-06-30", 365
    )  # fmt: skip
    assert row["3개월 임금"] == wages and row["3개월 일수"] == 91
    assert row["퇴직금 추정액"] == wages * 30 // 91
    assert "J-001" in payroll("report", "severance")


def test_a_second_correction_after_the_first_was_paid_is_paid_by_the_next_run(
    cli_env: str, tmp_path: Path
) -> None:
    payroll("import", "participants", str(roster(tmp_path)), "--by", "김담당")
    # 45728 is how Excel stores 2025-03-12 in a cell formatted as a number.
    march = xlsx(
        tmp_path / "3월.xlsx",
        ATTENDANCE_HEADER,
        ["J-001", 45728, "결근", None],
        ["J-001", datetime(2025, 3, 13), "결근", None],
    )
    payroll("import", "attendance", str(march))
    payroll("run", "calculate", "--month", "2025-03")
    close("2025-03/종로구/동행일자리")
    first = xlsx(tmp_path / "정정1.xlsx", ATTENDANCE_HEADER, ["J-001", "2025-03-12", "근무", 6])
    payroll("import", "attendance", str(first), "--correction")
    payroll("run", "calculate", "--month", "2025-04")
    close("2025-04/종로구/동행일자리")
    second = xlsx(tmp_path / "정정2.xlsx", ATTENDANCE_HEADER, ["J-001", "2025-03-13", "근무", 6])
    payroll("import", "attendance", str(second), "--correction")
    # Until May pays it, reconcile names the unpaid part as pending (a warning, exit 0).
    result = runner.invoke(app, ["reconcile", "--month", "2025-04"])
    assert result.exit_code == 0 and "J-001 2025-03 정정분" in result.stderr
    payroll("run", "calculate", "--month", "2025-05")
    close("2025-05/종로구/동행일자리")
    # 12 March alone gives back its day (6 h × 10,030 = 60,180, allowance 6,000); the
    # week stays broken by 13 March. 13 March then gives back its day and the week's
    # weekly allowance (60,180 + 60,180, allowance 6,000): §5, §7, §16.
    assert retro_lines("2025-04/종로구/동행일자리")["J-001"] == {
        "retro_adjustment": 60_180,
        "retro_expense_allowance": 6_000,
    }
    assert retro_lines("2025-05/종로구/동행일자리")["J-001"] == {
        "retro_adjustment": 120_360,
        "retro_expense_allowance": 6_000,
    }
    result = runner.invoke(app, ["reconcile", "--month", "2025-05"])
    assert result.exit_code == 0 and "정정분" not in result.stderr


def test_a_month_cannot_be_closed_while_an_earlier_month_was_never_calculated(
    cli_env: str, tmp_path: Path
) -> None:
    """§16: May with no April run at all is as out of order as May before April's
    finalization: April's pay, corrections and leave would be settled after May."""
    payroll("import", "participants", str(roster(tmp_path)), "--by", "김담당")
    payroll("run", "calculate", "--month", "2025-3")
    close("2025-03/종로구/동행일자리")
    payroll("run", "calculate", "--month", "2025-5")
    message = refused(1, "run", "approve", "2025-05/종로구/동행일자리", "--by", "김담당")
    assert "2025-04" in message and "계산되지 않았습니다" in message
    payroll("run", "calculate", "--month", "2025-4")
    close("2025-04/종로구/동행일자리")
    close("2025-05/종로구/동행일자리")
    assert "대사 일치" in payroll("reconcile", "--month", "2025-05")


def test_the_withholding_returns_a02_reports_the_g_the_settlement_used(
    cli_env: str, tmp_path: Path
) -> None:
    """A district whose first run is June: the final month's §13 income-tax settlement
    counts Jan–Jun (G = 총급여 of the whole enrollment), so the withholding return's A02
    총지급액 must be that same G, not only the months the system finalized."""
    payroll("import", "participants", str(roster(tmp_path)), "--by", "김담당")
    payroll("run", "calculate", "--month", "2025-6")
    close("2025-06/종로구/동행일자리")
    shown = json.loads(payroll("run", "show", "2025-06/종로구/동행일자리", "--json"))
    slip = next(s for s in shown["payslips"] if s["participant_id"] == "J-001")
    # "2025년 총급여 9,087,180원: 결정세액 0원 - 기납부 …" (§13 step 1)
    text = slip["explain"]["income_tax_settlement"]
    g = int(text.split("총급여 ")[1].split("원")[0].replace(",", ""))
    assert g > slip["taxable"]  # Jan–May are in G though no run paid them here
    out = tmp_path / "원천징수.xlsx"
    payroll("report", "withholding", "--month", "2025-06", "--out", str(out))
    sheet = load_workbook(out, data_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    a02 = [dict(zip(header, r, strict=True)) for r in rows[1:] if r[header.index("코드")] == "A02"]
    assert [(r["인원"], r["총지급액"]) for r in a02] == [(2, 2 * g)]  # J-001, J-002 alike
    assert a02[0]["징수세액(소득세 등)"] == 2 * slip["deductions"]["income_tax_settlement"] < 0


def test_refused_rows_and_run_tables_have_korean_headers(cli_env: str, tmp_path: Path) -> None:
    bad = xlsx(tmp_path / "근태.xlsx", ATTENDANCE_HEADER, ["J-999", "2025.3.5", "결근", None])
    result = runner.invoke(app, ["import", "attendance", str(bad)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "행 오류" in result.stdout and "사유" in result.stdout and "reason" not in result.stdout
    payroll("import", "participants", str(roster(tmp_path)), "--by", "김담당")
    listed = payroll("run", "calculate", "--month", "2025-3")
    assert "실지급액" in listed and "deductions" not in listed
