"""A city that lives past 2025, through the `payroll` command on SQLite and PostgreSQL.

Shipped 2026/2027 terms; a month whose figure is missing refused in Korean; a year file
imported (dry run first); bad files refused whole; finalized figures protected; a dated
withholding table; a third program added as data only.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from payroll.cli.main import app
from payroll.reference.withholding_data import shipped_withholding_table
from tests.support.numbers import csv_with_numbers

runner = CliRunner()
HEADER = "참여자번호,성명,생년월일,자치구,은행,계좌번호,사업,기수\n"
YEAR_2027 = """
[[hourly_rates]]
source = "living_wage"
rates = { 2027 = 12500 }

[[insurance]]
year = 2027
national_pension = "0.05"
long_term_care_share = "0.1314"
"""


def payroll(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def refused(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return result.output


def roster(tmp_path: Path, *rows: str) -> str:
    """A roster file; every row gets its participant's resident number (an enrollment
    needs one since #22)."""
    path = tmp_path / f"roster{len(list(tmp_path.glob('roster*')))}.csv"
    header, lines = csv_with_numbers(HEADER.strip(), *rows)
    path.write_text(header + "\n" + "".join(r + "\n" for r in lines), encoding="utf-8")
    return str(path)


def slip(month: str, program: str, district: str = "종로구") -> dict:
    shown = json.loads(payroll("run", "show", f"{month}/{district}/{program}", "--json"))
    [one] = shown["payslips"]
    return one


def test_2027_year_imported_after_a_refused_month(cli_env: str, tmp_path: Path) -> None:
    # 2026-H2 and 2027-H1 (동행) and 2027 (매력) rosters are accepted as shipped.
    payroll(
        "import",
        "participants",
        roster(
            tmp_path,
            "J-001,김민지,1970-05-01,종로구,국민은행,123456-78-901234,dongheng,2027-H1",
            "J-002,이서준,1990-02-03,종로구,신한은행,110-987-654321,maeryeok,2027",
            "J-003,박하나,1980-02-03,종로구,신한은행,110-987-654322,dongheng,2026-H2",
        ),
        "--by",
        "김담당",
    )
    # A 2027 매력 month is refused, naming the missing living wage and where to enter it.
    error = refused("run", "calculate", "--month", "2027-03", "--program", "maeryeok")
    assert "2027년 서울시 생활임금(living_wage)" in error
    assert "payroll catalog import" in error and "연도별 기준" in error
    assert "Traceback" not in error
    assert json.loads(payroll("run", "list", "--month", "2027-03", "--json")) == []

    year_file = tmp_path / "2027.toml"
    year_file.write_text(YEAR_2027, encoding="utf-8")
    before = payroll("catalog", "show", "--year", "2027")
    preview = payroll("catalog", "import", str(year_file), "--by", "시청", "--dry-run")
    assert "추가: 시급 living_wage 2027" in preview
    assert "long_term_care_share: (없음) → 0.1314" in preview
    assert "national_pension" not in preview  # shipped already: no change
    assert payroll("catalog", "show", "--year", "2027") == before  # dry run wrote nothing

    payroll("catalog", "import", str(year_file), "--by", "시청")
    shown = payroll("catalog", "show", "--year", "2027")
    assert "12,500원" in shown and "13.14 %" in shown

    payroll("run", "calculate", "--month", "2027-01")
    january = slip("2027-01", "dongheng")
    # §5: the scheduled weekdays from S = 2027-01-10 (a Sunday): 11–15, 18–22, 25–29 Jan,
    # 15 days, no holiday: 15 × 6 h × 10,700 = 963,000.
    assert january["earnings"]["base_pay"] == 963_000
    assert january["explain"]["base_pay"] == "15일 × 6시간 × 10,700원"

    payroll("run", "calculate", "--month", "2027-02")
    february = slip("2027-02", "dongheng")
    # §9: D = round(36 h × 365 / 7 / 12) × 10,700 = 156 × 10,700 = 1,669,200; pension on
    # D truncated to 1,000 (1,669,000, inside 410,000–6,590,000) × 5.0 % = 83,450.
    assert february["deductions"]["national_pension"] == 83_450
    # health 1,669,200 × 3.595 % = 60,007.74 → 60,000; long-term care 60,000 × 13.14 %
    # = 7,884 → 7,880.
    assert february["deductions"]["health_insurance"] == 60_000
    assert february["deductions"]["long_term_care"] == 7_880
    # §6 매력 at the entered living wage: W = 209 h × 12,500 = 2,612,500 (whole March).
    payroll("run", "calculate", "--month", "2027-03", "--program", "maeryeok")
    assert slip("2027-03", "maeryeok")["earnings"]["base_salary"] == 2_612_500

    log = payroll("catalog", "import", str(year_file), "--by", "시청")
    assert "바뀌는 값이 없습니다" in log


def test_bad_year_file_is_refused_whole(cli_env: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        YEAR_2027
        + """
[[program_years]]
program = "dongheng"
year = 2028
daily_expense_allowance = -1
city_ratio = "90"
industrial_accident_rate = "0.0096"

[[terms]]
program = "nowhere"
code = "2028-H1"
start = "2028-06-30"
end = "2028-01-10"
""",
        encoding="utf-8",
    )
    before = payroll("catalog", "export", "--year", "2027", "--out", str(tmp_path / "a.toml"))
    error = refused("catalog", "import", str(bad), "--by", "시청")
    assert "아무것도 바꾸지 않음" in error
    assert "'daily_expense_allowance' 값 -1" in error
    assert "'city_ratio' 값 '90'" in error
    assert "'nowhere'은(는) 등록된 사업이 아닙니다" in error
    # The good blocks of the same file were not written either.
    assert "아직 없는 값" in payroll("catalog", "show", "--year", "2027")
    payroll("catalog", "export", "--year", "2027", "--out", str(tmp_path / "b.toml"))
    assert (tmp_path / "a.toml").read_text("utf-8") == (tmp_path / "b.toml").read_text("utf-8")
    assert before

    not_toml = tmp_path / "x.toml"
    not_toml.write_text("[[insurance]\nyear = ", encoding="utf-8")
    assert "TOML 형식이 아닙니다" in refused("catalog", "import", str(not_toml), "--by", "시청")


def test_finalized_figure_is_protected_and_open_runs_are_marked(
    cli_env: str, tmp_path: Path
) -> None:
    payroll(
        "import",
        "participants",
        roster(
            tmp_path,
            "J-001,김민지,1970-05-01,종로구,국민은행,123456-78-901234,dongheng,2025-H1",
            "J-003,박하나,1980-02-03,중구,신한은행,110-987-654322,dongheng,2026-H1",
        ),
        "--by",
        "김담당",
    )
    payroll("run", "calculate", "--month", "2025-03")
    [run] = json.loads(payroll("run", "list", "--month", "2025-03", "--json"))
    payroll("run", "approve", str(run["id"]), "--by", "이팀장")
    payroll("run", "finalize", str(run["id"]), "--by", "박과장", "--out", str(tmp_path / "o"))
    payroll("run", "calculate", "--month", "2026-01")

    change = tmp_path / "change.toml"
    change.write_text(
        '[[hourly_rates]]\nsource = "minimum_wage"\nrates = { 2025 = 10100, 2026 = 10400 }\n',
        encoding="utf-8",
    )
    error = refused("catalog", "import", str(change), "--by", "시청")
    assert "확정된 급여가 이 값을 썼으므로 바꿀 수 없습니다" in error
    assert "2025-03 종로구 서울 동행일자리" in error
    assert "10,030" in payroll("catalog", "show", "--year", "2025")
    assert "10,320" in payroll("catalog", "show", "--year", "2026")  # nothing written

    change.write_text(
        '[[hourly_rates]]\nsource = "minimum_wage"\nrates = { 2026 = 10400 }\n', encoding="utf-8"
    )
    done = payroll("catalog", "import", str(change), "--by", "시청")
    assert "재계산 필요: 2026-01 중구 서울 동행일자리" in done
    assert "재계산 필요: 2026-01 중구" in payroll("catalog", "show", "--year", "2026")
    [january] = json.loads(payroll("run", "list", "--month", "2026-01", "--json"))
    stale = refused("run", "approve", str(january["id"]), "--by", "이팀장")
    assert "다시 계산하세요" in stale and "연도 기준 변경" in stale
    payroll("run", "calculate", "--month", "2026-01")
    assert "재계산 필요" not in payroll("catalog", "show", "--year", "2026")
    assert "10,400원" in slip("2026-01", "dongheng", "중구")["explain"]["base_pay"]
    payroll("run", "approve", str(january["id"]), "--by", "이팀장")  # current again


def test_withholding_table_dated_2027_is_used_from_its_pay_dates(
    cli_env: str, tmp_path: Path
) -> None:
    year_file = tmp_path / "2027.toml"
    year_file.write_text(YEAR_2027, encoding="utf-8")
    payroll("catalog", "import", str(year_file), "--by", "시청")
    payroll(
        "import",
        "participants",
        roster(
            tmp_path,
            "J-001,김민지,1970-05-01,종로구,국민은행,123456-78-901234,dongheng,2027-H1",
            "J-003,박하나,1980-02-03,종로구,신한은행,110-987-654322,dongheng,2026-H2",
        ),
        "--by",
        "김담당",
    )
    payroll("run", "calculate", "--month", "2026-09")
    september = slip("2026-09", "dongheng")["deductions"]["income_tax"]

    # A table that withholds 1,000 won more for one dependant wherever it withholds at all.
    shipped = shipped_withholding_table()
    rows = [list(r) for r in shipped.to_rows()]
    for row in rows:
        if int(row[2]) > 0:
            row[2] = int(row[2]) + 1000
    table = tmp_path / "nts-2027.csv"
    table.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    payroll("withholding", "import", str(table), "--by", "시청", "--from", "2027-01-01")
    listed = payroll("withholding", "show")
    assert "2027-01-01" in listed and "nts-2027.csv" in listed

    payroll("run", "calculate", "--month", "2027-02")
    february = slip("2027-02", "dongheng")
    expected = shipped.tax(february["taxable"], 1) + 1000
    assert expected > 1000
    assert february["deductions"]["income_tax"] == expected
    # Recalculating September 2026 (paid 2026-10-10) keeps the table in force then.
    payroll("run", "calculate", "--month", "2026-09")
    assert slip("2026-09", "dongheng")["deductions"]["income_tax"] == september


def test_third_program_is_data_only(cli_env: str, tmp_path: Path) -> None:
    youth = tmp_path / "youth.toml"
    youth.write_text(
        """
[[programs]]
code = "youth_intern"
name = "청년인턴 직무캠프"
pay_basis = "monthly"
rate_source = "living_wage"
daily_hours = "8"
weekdays = ["mon", "tue", "wed", "thu", "fri"]
min_age = 18
max_age = 34

[[program_years]]
program = "youth_intern"
year = 2026
daily_expense_allowance = 0
city_ratio = "0.9"
industrial_accident_rate = "0.0096"

[[terms]]
program = "youth_intern"
code = "2026-Y"
start = "2026-04-01"
end = "2026-09-30"

[[limits]]
code = "age_band"
programs = ["youth_intern"]
min_age = 18
max_age = 34
message = "{program}은(는) 시작일 기준 만 {min_age}~{max_age}세만 참여할 수 있습니다"
""",
        encoding="utf-8",
    )
    preview = payroll("catalog", "import", str(youth), "--by", "시청", "--dry-run")
    assert "추가: 사업 youth_intern" in preview
    assert "추가: 참여 제한 age_band youth_intern" in preview
    payroll("catalog", "import", str(youth), "--by", "시청")

    payroll(
        "import",
        "participants",
        roster(
            tmp_path, "Y-001,최청년,2001-01-15,종로구,국민은행,123-45-6789012,youth_intern,2026-Y"
        ),
        "--by",
        "김담당",
    )
    older = "Y-002,정중년,1986-01-15,종로구,국민은행,123456-78-901236,youth_intern,2026-Y"
    path = roster(tmp_path, older)
    refused("import", "participants", path, "--by", "김담당")
    reasons = Path(path).with_suffix(".errors.csv").read_text("utf-8-sig")
    assert "시작일 기준 만 18~34세만 참여할 수 있습니다" in reasons
    assert "만 40세" in reasons

    payroll("run", "calculate", "--month", "2026-05")
    may = slip("2026-05", "youth_intern")
    # §6 at the 2026 living wage: W = 209 h × 12,121 = 2,533,289 for a full month.
    assert may["earnings"]["base_salary"] == 2_533_289
