"""Overpayment recovery (환수) through `payroll` on both databases: an early end recorded
after its month was finalized is accepted; the overpaid amount is taken from the
participant's next pay, or stays owed (ledger warning in `reconcile`, `payment open`)."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from payroll.cli.main import app
from tests.support.numbers import csv_text_with_numbers

runner = CliRunner()
JULY = "2025-07/종로구/dongheng"
HEADER = "참여자번호,성명,생년월일,자치구,은행,계좌번호,사업,기수\n"
ROWS = (
    "R-001,김민지,1970-05-01,종로구,국민은행,123456-78-901234,dongheng,2025-H2\n"
    "R-002,이서준,1970-05-01,종로구,신한은행,110-987-654321,dongheng,2025-H2\n"
)


def payroll(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def show(ref: str) -> dict:
    return json.loads(payroll("run", "show", ref, "--json"))


def finish(ref: str, out: Path) -> None:
    payroll("run", "approve", ref, "--by", "이팀장")
    payroll("run", "finalize", ref, "--by", "박과장", "--out", str(out))


def test_an_early_end_inside_a_finalized_month_is_recovered_or_owed(
    cli_env: str, tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(csv_text_with_numbers(HEADER + ROWS), encoding="utf-8")
    payroll("import", "participants", str(roster), "--by", "김담당")
    payroll("run", "calculate", "--month", "2025-07", "--by", "김담당")
    finish(JULY, tmp_path / "out")
    paid = {s["participant_id"]: s for s in show(JULY)["payslips"]}

    # Both left on Friday 18 July, recorded after July was finalized: accepted now.
    for pid in ("R-001", "R-002"):
        payroll(
            "enrollment", "end", pid, "--on", "2025-07-18", "--reason", "withdrew", "--by", "김담당"
        )
    owed = payroll("payment", "open")
    assert "R-001" in owed and "R-002" in owed and "환수" in owed

    # R-001 takes a 매력일자리 job from August: the recovery comes out of that pay.
    payroll(
        "enroll", "R-001", "--program", "maeryeok", "--term", "2025", "--start", "2025-08-01",
        "--end", "2025-12-31", "--override", "재참여 승인", "--by", "김담당",
    )  # fmt: skip
    payroll("run", "calculate", "--month", "2025-08", "--by", "김담당")
    august = show("2025-08/종로구/maeryeok")
    [slip] = august["payslips"]
    recovered = {c["code"]: c for c in slip["carried"]}
    total = sum(c["amount"] for c in recovered.values())
    assert all(c["ref_month"] == "2025-07" for c in recovered.values())
    assert total < 0 and slip["net"] >= 0
    # The recovered amount is July as finalized less July recalculated to the 18th; it is
    # less than July's pay (the first 13 working days and the leave payout stay paid).
    assert -total < paid["R-001"]["gross"]
    finish("2025-08/종로구/maeryeok", tmp_path / "out")

    left = payroll("payment", "open")
    assert "R-001" not in left and "R-002" in left  # R-002 has no later pay: still owed
    assert "대사 일치" in payroll("reconcile", "--month", "2025-08")  # with the recovery lines
    result = runner.invoke(app, ["reconcile", "--month", "2025-07"])
    assert result.exit_code == 0, result.output
    assert "R-002" in result.output and "환수" in result.output
    # The ledger of July shows R-002's recovery as owed (by the participant).
    ledger = tmp_path / "ledger.xlsx"
    said = runner.invoke(app, ["ledger", "--month", "2025-07", "--out", str(ledger)])
    assert said.exit_code == 0, said.output
    assert "R-002 2025-07 환수 미정산 -" in said.output
    [owed_row] = list(load_workbook(ledger)["미정산"].iter_rows(values_only=True))[1:]
    assert owed_row[0] == "R-002" and owed_row[3] == "2025-07" and owed_row[5] < 0

    # A recovery notice for R-002, with the arithmetic of the amount.
    owed_id = next(line.split()[1] for line in left.splitlines() if "R-002" in line)
    pdf = tmp_path / "notice.pdf"
    payroll("payment", "notice", owed_id, "--out", str(pdf))
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "과지급 임금 환수 안내" in text and "R-002" in text and "2025-07" in text
    assert f"{-owed_row[5]:,}" in text  # the amount owed, as in the ledger

    # The insurance-loss filing carries the true end date (not a false 8/1 to get through).
    losses = tmp_path / "losses.xlsx"
    payroll(
        "report", "insurance-losses", "--from", "2025-07-01", "--to", "2025-07-31",
        "--out", str(losses), "--masked",
    )  # fmt: skip
    rows = list(load_workbook(losses).active.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    found = {r[header.index("참여자번호")]: r for r in rows[1:]}
    assert found["R-002"][header.index("마지막 근무일")] == "2025-07-18"
