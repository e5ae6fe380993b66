"""Attack: names and bank fields that are spreadsheet formulas (OWASP CSV injection) must
reach every CSV and XLSX the system writes as plain text; numbers stay numbers."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, text

from payroll.formats.sheet_cells import Formula, neutralise_formula
from tests.support.attack import cli, finalize_month, ok, write
from tests.support.factories import add_enrolled

PAYLOADS = ['=HYPERLINK("http://evil/x","급여")', "+1+1", "@SUM(1)", "-2+3", "\t=1", "\r=1"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_text_cell_that_starts_a_formula_gets_an_apostrophe(payload: str) -> None:
    assert neutralise_formula(payload) == "'" + payload


def test_numbers_and_plain_text_are_left_as_they_are() -> None:
    for value in (-1500, 0, 1_684_680, Decimal("-2.5"), 3.5, None, "김민지", "123-45-678"):
        assert neutralise_formula(value) == value
    assert neutralise_formula(Formula("=SUM(D3:D9)")) == "=SUM(D3:D9)"


def _no_formula_cells(path: Path) -> list[str]:
    """Every text cell of a workbook; fails on any formula cell not built by the program."""
    texts = []
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert str(cell.value).startswith("=SUM("), cell.value
                elif isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def test_payment_file_register_and_ledger_hold_formulas_as_text(
    engine: Engine, cli_env: str, tmp_path: Path
) -> None:
    add_enrolled(engine, "P-1", name=PAYLOADS[0])
    add_enrolled(engine, "P-2", name="+1+1")
    add_enrolled(engine, "P-3", name="@SUM(1)")
    with engine.begin() as conn:
        conn.execute(text("UPDATE participants SET bank = '-2+3' WHERE participant_id = 'P-2'"))
    [run] = finalize_month(engine)
    out = tmp_path / "out"
    result = cli("run", "files", str(run), "--out", out)
    assert result.exit_code == 0, repr(result.exception)
    folder = out / "2025-03" / "11110" / "dongheng"
    rows = list(csv.reader((folder / "payment.csv").open(encoding="utf-8-sig")))
    names = {r[1] for r in rows[1:]}
    assert names == {"'" + PAYLOADS[0], "'+1+1", "'@SUM(1)"}
    banks = sorted(r[2] for r in rows[1:])
    assert "'-2+3" in banks and sum(b.startswith("'") for b in banks) == 1
    assert all(r[4].isdigit() for r in rows[1:])  # net pay is a number, no apostrophe
    assert "'+1+1" in _no_formula_cells(folder / "register.xlsx")

    ledger = tmp_path / "ledger.xlsx"
    ok("ledger", "--month", "2025-03", "--format", "xlsx", "--out", ledger)
    texts = _no_formula_cells(ledger)
    assert "'" + PAYLOADS[0] in texts and "'@SUM(1)" in texts
    book = load_workbook(ledger)
    amounts = [c.value for c in book["참여자별"]["G"][1:]]
    assert all(isinstance(a, int) for a in amounts)


def test_error_file_holds_the_bad_value_as_text(cli_env: str, tmp_path: Path) -> None:
    roster = write(
        tmp_path / "roster.csv",
        "참여자번호,성명,생년월일,자치구,부양가족수",
        'J-1,김민지,1970-05-01,종로구,=HYPERLINK("http://evil")',
    )
    assert cli("import", "participants", roster).exit_code != 0
    [row] = list(csv.DictReader((tmp_path / "roster.errors.csv").open(encoding="utf-8-sig")))
    assert row["value"] == "'" + '=HYPERLINK("http://evil")'
