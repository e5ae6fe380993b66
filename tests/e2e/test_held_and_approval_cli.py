"""Holds, approval bound to the figures, and returned transfers, through `payroll` on both
databases: no won is lost or moved behind the approver's back."""

from __future__ import annotations

import json
import re
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import create_engine, update
from typer.testing import CliRunner

from payroll.cli.main import app
from payroll.db.models import Participant
from payroll.formats.xlsx_layout import CHANGED
from tests.support.numbers import csv_text_with_numbers

runner = CliRunner()
JULY = "2025-07/종로구/dongheng"
AUGUST = "2025-08/종로구/dongheng"
HEADER = "참여자번호,성명,생년월일,자치구,은행,계좌번호,사업,기수\n"


def payroll(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def refused(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    return result.output


def roster(tmp_path: Path, name: str, *rows: str) -> str:
    path = tmp_path / name
    text = HEADER + "".join(r + "\n" for r in rows)
    path.write_text(csv_text_with_numbers(text), encoding="utf-8")  # with resident numbers
    payroll("import", "participants", str(path), "--by", "김담당")
    return str(path)


PAID = "H-001,김민지,1970-05-01,종로구,국민은행,123456-78-901234,dongheng,2025-H2"
HELD_NO_ACCOUNT = "H-002,이서준,1970-05-01,종로구,,,dongheng,2025-H2"
HELD_WITH_ACCOUNT = "H-002,이서준,1970-05-01,종로구,신한은행,110-987-654321,dongheng,2025-H2"


def show(ref: str) -> dict:
    return json.loads(payroll("run", "show", ref, "--json"))


def slip_of(shown: dict, pid: str) -> dict:
    return next(s for s in shown["payslips"] if s["participant_id"] == pid)


def earnings(slip: dict) -> dict[str, tuple[int, str | None]]:
    """The carried-over lines of a payslip: code → (amount, the month it belongs to)."""
    return {c["code"]: (c["amount"], c["ref_month"]) for c in slip["carried"]}


def finish(ref: str, out: Path) -> None:
    payroll("run", "approve", ref, "--by", "이팀장")
    payroll("run", "finalize", ref, "--by", "박과장", "--out", str(out))


def test_a_held_month_is_released_into_the_next_run_and_paid_once(
    cli_env: str, tmp_path: Path
) -> None:
    roster(tmp_path, "july.csv", PAID, HELD_NO_ACCOUNT)
    payroll("run", "calculate", "--month", "2025-07", "--by", "김담당")
    july = show(JULY)
    assert [x["participant_id"] for x in july["exceptions"]] == ["H-002"]
    refused("run", "approve", JULY, "--by", "이팀장")  # an open exception
    payroll("run", "hold", JULY, "H-002", "--reason", "계좌 미제출", "--by", "김담당")
    finish(JULY, tmp_path / "out")
    july = show(JULY)
    [held] = july["held"]
    # H-002 has the same schedule, birth date and dependents as H-001: the kept month is
    # exactly what H-001 was paid for July (gross, its taxable and non-taxable parts).
    paid = slip_of(july, "H-001")
    assert (held["participant_id"], held["ref_month"], held["amount"]) == (
        "H-002",
        "2025-07",
        paid["gross"],
    )
    assert held["released"] is False
    assert "H-002" not in {s["participant_id"] for s in july["payslips"]}
    register = tmp_path / "out" / "2025-07" / "11110" / "dongheng" / "register.xlsx"
    [on_register] = list(load_workbook(register)["지급 보류"].iter_rows(values_only=True))[1:2]
    assert on_register[:3] == ("H-002", "2025-07", held["amount"])
    review = tmp_path / "july-review.xlsx"
    payroll("run", "review", JULY, "--out", str(review))
    [kept] = [r for r in load_workbook(review)["지급 보류"].iter_rows(values_only=True)][1:2]
    assert kept[:3] == ("H-002", "2025-07", held["amount"])

    # Not released yet: August does not pay it (H-002 still has no account anyway).
    roster(tmp_path, "account.csv", HELD_WITH_ACCOUNT)
    payroll("run", "calculate", "--month", "2025-08", "--by", "김담당")
    assert "held_pay" not in earnings(slip_of(show(AUGUST), "H-002"))

    # A manager releases it after August was calculated: August must be recalculated.
    payroll("run", "release", JULY, "H-002", "--by", "이팀장")
    out = refused("run", "approve", AUGUST, "--by", "이팀장")
    assert "H-002" in out and "다시 계산" in out
    payroll("run", "calculate", "--month", "2025-08", "--by", "김담당")
    lines = earnings(slip_of(show(AUGUST), "H-002"))
    taxable, non_taxable = lines["held_pay"], lines["held_expense_allowance"]
    assert taxable[1] == non_taxable[1] == "2025-07"
    assert taxable[0] + non_taxable[0] == held["amount"]
    finish(AUGUST, tmp_path / "out")

    # Paid once: September carries no July line, and nothing is left open.
    payroll("run", "calculate", "--month", "2025-09", "--by", "김담당")
    september = show("2025-09/종로구/dongheng")
    assert all("held_pay" not in earnings(s) for s in september["payslips"])
    assert "남은 이월" in payroll("payment", "open")
    for month in ("2025-07", "2025-08"):
        assert "대사 일치" in payroll("reconcile", "--month", month)

    # The audit log, readable without SQL.
    runs = runner.invoke(app, ["audit", "--run", JULY], terminal_width=250).output
    assert "지급 보류" in runs and "급여 승인" in runs and "급여 확정" in runs
    person = runner.invoke(app, ["audit", "--participant", "H-002"], terminal_width=250).output
    assert "지급 보류" in person and "보류분 해제" in person
    assert "급여 계산" not in person
    by = runner.invoke(app, ["audit", "--actor", "박과장"], terminal_width=250).output
    assert "급여 확정" in by and "지급 보류" not in by
    assert "없습니다" in payroll("audit", "--since", "2099-01-01")


def test_an_account_changed_after_approval_reopens_the_run(cli_env: str, tmp_path: Path) -> None:
    roster(tmp_path, "july.csv", PAID, HELD_WITH_ACCOUNT)
    payroll("run", "calculate", "--month", "2025-07", "--by", "김담당")
    payroll("run", "approve", JULY, "--by", "이팀장")
    changed = PAID.replace("123456-78-901234", "999999-11-222222")
    roster(tmp_path, "new-account.csv", changed)
    july = show(JULY)
    assert july["state"] == "calculated"
    assert "H-001 지급 계좌 변경" in july["reopened_note"]
    out = refused("run", "finalize", JULY, "--by", "박과장")
    assert "승인됨 상태에서만" in out
    # The payees the approver now sees carry the new account, marked as changed.
    payees = {p["participant_id"]: p for p in july["payees"]}
    assert payees["H-001"]["account"].endswith("2222")
    payroll("run", "approve", JULY, "--by", "이팀장")
    payroll("run", "finalize", JULY, "--by", "박과장", "--out", str(tmp_path / "out"))

    # August pays H-001 on yet another account: marked against July's payment.
    roster(tmp_path, "august.csv", PAID.replace("123456-78-901234", "777777-11-333333"))
    payroll("run", "calculate", "--month", "2025-08", "--by", "김담당")
    payees = {p["participant_id"]: p for p in show(AUGUST)["payees"]}
    assert payees["H-001"]["changed"] is True and "99999911222222" in payees["H-001"]["previous"]
    assert payees["H-002"]["changed"] is False
    review = tmp_path / "review.xlsx"
    payroll("run", "review", AUGUST, "--out", str(review))
    sheet = load_workbook(review)["검토표"]
    rows = {r[1].value: r for r in sheet.iter_rows() if r[1].value in ("H-001", "H-002")}
    account = [c for c in rows["H-001"] if c.value == "77777711333333"][0]
    assert account.fill.fgColor.rgb.endswith(CHANGED.fgColor.rgb[-6:])
    other = [c for c in rows["H-002"] if c.value == "110987654321"][0]
    assert other.fill.fgColor.rgb != account.fill.fgColor.rgb


def test_a_change_behind_the_approval_is_refused_at_finalize(cli_env: str, tmp_path: Path) -> None:
    roster(tmp_path, "july.csv", PAID, HELD_WITH_ACCOUNT)
    payroll("run", "calculate", "--month", "2025-07", "--by", "김담당")
    payroll("run", "approve", JULY, "--by", "이팀장")
    # An account written without the roster import (no hook saw it): finalize compares.
    engine = create_engine(cli_env)
    with engine.begin() as conn:
        conn.execute(
            update(Participant)
            .where(Participant.participant_id == "H-002")
            .values(account="555555555555")
        )
    engine.dispose()
    out = refused("run", "finalize", JULY, "--by", "박과장")
    assert "승인한 내용과 다릅니다" in out and "H-002 지급 계좌 변경" in out
    assert show(JULY)["state"] == "calculated"

    # A recalculation after approval (absences imported) also needs a new approval.
    payroll("run", "approve", JULY, "--by", "이팀장")
    absences = tmp_path / "absent.csv"
    absences.write_text(
        "participant_id,date,status,hours\nH-001,2025-07-14,absent,\n", encoding="utf-8"
    )
    payroll("import", "attendance", str(absences))
    assert "H-001 출결 변경" in show(JULY)["reopened_note"]
    payroll("run", "approve", JULY, "--by", "이팀장")
    payroll("run", "calculate", "--month", "2025-07", "--by", "김담당")
    assert "승인됨 상태에서만" in refused("run", "finalize", JULY, "--by", "박과장")


def july_pay_returned(tmp_path: Path) -> str:
    """H-001's July pay finalized and paid, then returned by the bank: the CLI's answer."""
    roster(tmp_path, "july.csv", PAID)
    payroll("run", "calculate", "--month", "2025-07", "--by", "김담당")
    finish(JULY, tmp_path / "out")
    reason = ("--reason", "해지된 계좌", "--by", "김담당")
    return payroll("payment", "returned", JULY, "H-001", *reason)


def test_a_returned_transfer_is_paid_again_and_only_then_reconciles(
    cli_env: str, tmp_path: Path
) -> None:
    july_pay_returned(tmp_path)
    net = slip_of(show(JULY), "H-001")["net"]
    refused("payment", "returned", JULY, "H-001", "--reason", "again", "--by", "김담당")
    out = refused("reconcile", "--month", "2025-07")
    assert "이체 반환" in out
    payroll("run", "calculate", "--month", "2025-08", "--by", "김담당")
    assert earnings(slip_of(show(AUGUST), "H-001"))["returned_pay"] == (net, "2025-07")
    finish(AUGUST, tmp_path / "out")
    assert "대사 일치" in payroll("reconcile", "--month", "2025-07")
    assert "대사 일치" in payroll("reconcile", "--month", "2025-08")


def test_a_carried_line_written_off_after_calculation_is_refused_until_recalculated(
    cli_env: str, tmp_path: Path
) -> None:
    # The run carries a line whose carryover is no longer due (written off since it was
    # calculated): approval names the participant until the run is calculated again.
    out = july_pay_returned(tmp_path)
    carry_id = re.search(r"이월 항목 (\d+)", out).group(1)  # type: ignore[union-attr]
    payroll("run", "calculate", "--month", "2025-08", "--by", "김담당")
    assert "returned_pay" in earnings(slip_of(show(AUGUST), "H-001"))
    payroll("payment", "write-off", carry_id, "--reason", "직접 지급", "--by", "이팀장")
    out = refused("run", "approve", AUGUST, "--by", "이팀장")
    assert "H-001" in out and "다시 계산" in out
    payroll("run", "calculate", "--month", "2025-08", "--by", "김담당")
    assert "returned_pay" not in earnings(slip_of(show(AUGUST), "H-001"))
    finish(AUGUST, tmp_path / "out")
