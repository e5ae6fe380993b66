"""``payroll calc`` under rulebook v2: children, D, year_to_date and the settlement steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from payroll.cli import common
from payroll.cli.calc import calc

app = typer.Typer()
app.command("calc")(calc)
app.command("noop")(lambda: None)
runner = CliRunner()

JUNE = {
    "program": "dongheng",
    "birth_date": "1970-05-01",
    "start": "2025-01-10",
    "end": "2025-06-30",
    "months": ["2025-06"],
}


def invoke(tmp_path: Path, case: dict, *args: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    return runner.invoke(app, ["calc", str(path), *args])


def test_json_keeps_its_shape_and_adds_d_and_the_settlement_codes(tmp_path: Path) -> None:
    result = invoke(tmp_path, JUNE, "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["declared_monthly_pay"] == 1_564_680  # §9: 156 h × 10,030
    [june] = out["months"]
    assert set(june) == {
        "month", "earnings", "deductions", "employer", "gross", "insurable", "taxable",
        "total_deductions", "net", "leave", "explain",
    }  # fmt: skip
    assert june["deductions"]["income_tax_settlement"] == -55_780  # test_golden_v2 (§13)
    assert june["deductions"]["local_income_tax_settlement"] == -5_550
    assert june["employer"]["long_term_care_settlement"] == 800
    assert june["net"] == 1_865_920


def test_year_to_date_children_and_declared_pay_are_read(tmp_path: Path) -> None:
    case = {
        **JUNE,
        "children": 1,
        "declared_monthly_pay": 1_600_000,
        "year_to_date": {"taxable": 3_000_000, "income_tax": 20_000, "local_income_tax": 2_000},
    }
    out = json.loads(invoke(tmp_path, case, "--json").stdout)
    june = out["months"][0]
    assert out["declared_monthly_pay"] == 1_600_000
    assert june["deductions"]["national_pension"] == 72_000  # 1,600,000 × 4.5 %
    # row 1,860–1,870, 1 dependant: 16,350 − 12,500 (1 child, paid 2025-07-10) = 3,850
    assert june["deductions"]["income_tax"] == 3_850


def test_readable_output_explains_each_settlement_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common.console, "_width", 250)
    result = invoke(tmp_path, JUNE)
    assert result.exit_code == 0, result.output
    for step in ("총급여", "근로소득공제", "과세표준", "산출세액", "세액공제", "결정세액",
                 "기납부세액", "차감", "9,087,180", "5,134,872", "환급"):  # fmt: skip
        assert step in result.stdout, step


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"children": -1}, "children: expected a whole number ≥ 0"),
        ({"declared_monthly_pay": "lots"}, "declared_monthly_pay: expected a whole number ≥ 1"),
        ({"year_to_date": {"taxes": 1}}, "year_to_date.taxes: unknown field"),
        ({"year_to_date": {"taxable": 1.5}}, "year_to_date.taxable: expected a whole number"),
        ({"year_to_date": [1]}, "year_to_date: expected an object"),
    ],
)
def test_bad_new_fields_are_one_line_errors(tmp_path: Path, change: dict, message: str) -> None:
    result = invoke(tmp_path, {**JUNE, **change})
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
