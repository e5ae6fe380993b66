"""``payroll report …``: the month's filings from a finalized month, through the CLI.

The month: 종로구 동행일자리 2025-H1 (S = 2025-01-10), January to March finalized, with
P1 an ordinary participant with a resident number, P2 an early leaver (E' = 2025-03-14)
whose final month carries a refund settlement, P3 hired at 70 (65+: no unemployment part
of employment insurance, no pension), and P4 whose missing account first stopped the
March run and was then fixed by a roster re-import.
"""

from __future__ import annotations

import io
import os
import stat
from datetime import date
from pathlib import Path

import msoffcrypto
import pytest
import typer
from openpyxl import load_workbook
from sqlalchemy import Engine, select
from typer.testing import CliRunner, Result

from payroll.cli import common
from payroll.cli.report import report_app
from payroll.db.engine import make_engine, transaction
from payroll.db.models import (
    AuditLog,
    EnrollmentRow,
    Participant,
    PayslipLineRow,
    PayslipRow,
)
from payroll.db.uow import SqlUnitOfWork
from payroll.privacy import rrn as rrn_codec
from payroll.services.filings import sources as filing_sources
from payroll.services.filings.jobs import write_month_filings, write_term_insurance
from payroll.services.filings.reads import OpenRunsError
from payroll.services.imports.rosters import import_participants
from payroll.services.ledger.build import build_ledger, resolve_scope
from payroll.services.runs.files import write_run_files
from payroll.services.runs.lifecycle import approve_run, calculate_runs, finalize_run
from tests.support.factories import add_enrolled

PASSWORD = "동행-비밀번호-2025"
RRN_P1 = "700501-2000007"  # a number issued after October 2020: no check digit


def cli(*args: str | Path, typed: str | None = None) -> Result:
    app = typer.Typer()
    app.add_typer(report_app, name="report")
    return CliRunner().invoke(app, ["report", *[str(a) for a in args]], input=typed)


def ok(*args: str | Path) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return result.output


def sheet_rows(path: Path, password: str | None = None) -> list[list[object]]:
    data = path.read_bytes()
    if password is not None:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        office.load_key(password=password)
        out = io.BytesIO()
        office.decrypt(out)
        data = out.getvalue()
    book = load_workbook(io.BytesIO(data), data_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def as_dicts(rows: list[list[object]]) -> list[dict[str, object]]:
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


def finalize(engine: Engine, month: str) -> int:
    [run] = calculate_runs(SqlUnitOfWork(engine), month)
    approve_run(SqlUnitOfWork(engine), str(run.id), "팀장")
    finalize_run(SqlUnitOfWork(engine), str(run.id), "과장")
    return run.id


def settlement_of(engine: Engine, month: str, participant_id: str) -> tuple[int, int]:
    """The §13 income-tax settlement the engine put on the final month (a refund: < 0)."""
    with transaction(engine) as session:
        amounts = dict(
            session.execute(
                select(PayslipLineRow.code, PayslipLineRow.amount)
                .join(PayslipRow, PayslipRow.id == PayslipLineRow.payslip_id)
                .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
                .join(Participant, Participant.id == EnrollmentRow.participant_pk)
                .where(
                    Participant.participant_id == participant_id,
                    PayslipRow.month == month,
                    PayslipLineRow.code.in_(
                        ("income_tax_settlement", "local_income_tax_settlement")
                    ),
                )
            ).all()
        )
    return amounts["income_tax_settlement"], amounts["local_income_tax_settlement"]


@pytest.fixture
def month(cli_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """January to March 2025 finalized (see the module docstring)."""
    monkeypatch.setattr(common.console, "_width", 250)
    monkeypatch.setattr(common.err_console, "_width", 400)
    engine = make_engine(cli_env)
    add_enrolled(engine, "P1", name="김민지")
    add_enrolled(engine, "P2", name="이서준", birth_date=date(1985, 2, 3), end=date(2025, 3, 14))
    add_enrolled(engine, "P3", name="박영수", birth_date=date(1955, 1, 2))
    add_enrolled(engine, "P4", name="최지우", birth_date=date(1990, 7, 8))
    with transaction(engine) as session:
        people = {p.participant_id: p for p in session.scalars(select(Participant))}
        people["P1"].rrn_encrypted = rrn_codec.encrypt(RRN_P1)
        people["P1"].rrn_masked = rrn_codec.mask(RRN_P1)
        people["P2"].account_holder = "이영자"
    finalize(engine, "2025-01")
    finalize(engine, "2025-02")
    with transaction(engine) as session:
        session.scalars(
            select(Participant).where(Participant.participant_id == "P4")
        ).one().account = None
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03")
    assert run.exceptions == 1  # P4: no account
    roster = tmp_path / "fix.csv"
    roster.write_text(
        "참여자번호,성명,생년월일,자치구,은행,계좌번호\nP4,최지우,1990-07-08,종로구,신한,110-123-456789\n",
        encoding="utf-8",
    )
    import_participants(SqlUnitOfWork(engine), roster)
    [run] = calculate_runs(SqlUnitOfWork(engine), "2025-03")
    assert run.exceptions == 0
    refund = settlement_of(engine, "2025-03", "P2")
    approve_run(SqlUnitOfWork(engine), str(run.id), "팀장")
    finalize_run(SqlUnitOfWork(engine), str(run.id), "과장")
    files = write_run_files(SqlUnitOfWork(engine), str(run.id), tmp_path / "runs")
    uow = SqlUnitOfWork(engine)
    ledger = build_ledger(uow, resolve_scope(uow, month="2025-03"))
    with transaction(engine) as session:
        march = list(session.scalars(select(PayslipRow).where(PayslipRow.month == "2025-03")))
        p2_slips = list(
            session.scalars(
                select(PayslipRow)
                .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
                .join(Participant, Participant.id == EnrollmentRow.participant_pk)
                .where(Participant.participant_id == "P2")
            )
        )
    engine.dispose()
    p2_year = sum(s.taxable for s in p2_slips)
    register = as_dicts(sheet_rows(files.register)[2:])[:-1]  # title rows above, 합계 below
    return {
        "run": run.id,
        "refund": refund,
        "register": register,
        "ledger": ledger,
        "march": march,
        "p2_year": p2_year,
        "p2_insurable": sum(s.insurable for s in p2_slips),
        "net": files.net_total,
    }


def test_withholding_return_reconciles_with_the_register(
    month: dict[str, object], tmp_path: Path
) -> None:
    out = tmp_path / "withholding.xlsx"
    assert "4명" in ok("withholding", "--month", "2025-03", "--district", "종로구", "--out", out)
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    rows = {r["코드"]: r for r in as_dicts(sheet_rows(out))}
    register: list[dict[str, object]] = month["register"]  # type: ignore[assignment]
    march: list[PayslipRow] = month["march"]  # type: ignore[assignment]
    tax = sum(int(r["소득세"]) for r in register)
    refund_tax, _refund_local = month["refund"]  # type: ignore[misc]
    assert rows["A01"]["인원"] == 4
    assert rows["A01"]["총지급액"] == sum(s.taxable for s in march)
    assert rows["A01"]["징수세액(소득세 등)"] == tax > 0
    # A02: P2 left early; the year's taxable pay (Jan-Mar) and the refund of all tax withheld
    assert (rows["A02"]["인원"], rows["A02"]["총지급액"]) == (1, month["p2_year"])
    assert rows["A02"]["징수세액(소득세 등)"] == refund_tax < 0
    assert rows["A10"]["인원"] == 5
    assert rows["A10"]["징수세액(소득세 등)"] == tax + refund_tax
    assert rows["A10"]["납부세액(소득세 등)"] == max(0, tax + refund_tax)
    assert rows["A10"]["차월이월환급세액"] == max(0, -(tax + refund_tax))
    # taxable + non-taxable = the register's gross = the ledger's wages + expense allowance
    detail = as_dicts(
        [list(r) for r in load_workbook(out).worksheets[2].iter_rows(values_only=True)]
    )
    a01 = [r for r in detail if r["코드"] == "A01"]
    gross = sum(int(r["임금 총액"]) for r in register)
    assert sum(int(r["과세급여(당월)"]) + int(r["비과세(당월)"]) for r in a01) == gross
    ledger = month["ledger"]
    assert gross == sum(
        line.amount
        for line in ledger.lines  # type: ignore[attr-defined]
        if line.cost_item != "employer_insurance"
    )
    local = {r["코드"]: r for r in as_dicts(sheet_rows_sheet(out, 1))}
    assert local["A01"]["특별징수세액(지방소득세)"] == sum(int(r["지방소득세"]) for r in register)
    assert local["A01"]["과세표준(소득세)"] == tax


def sheet_rows_sheet(path: Path, index: int) -> list[list[object]]:
    return [list(r) for r in load_workbook(path).worksheets[index].iter_rows(values_only=True)]


def test_simple_statement_month_and_half(month: dict[str, object], tmp_path: Path) -> None:
    password = tmp_path / "password.txt"
    password.write_text(PASSWORD + "\n", encoding="utf-8")
    out = tmp_path / "simple.xlsx"
    ok("simple-statement", "--half", "2025-H1", "--out", out, "--password-file", password)
    rows = as_dicts(sheet_rows(out, PASSWORD))
    people, total = rows[:-1], rows[-1]
    by_id = {r["참여자번호"]: r for r in people}
    assert by_id["P1"]["주민등록번호"] == RRN_P1 and by_id["P1"]["내·외국인"] == "1 내국인"
    assert by_id["P2"]["근무기간 종료"] == "2025-03-14"
    assert by_id["P1"]["근무기간 시작"] == "2025-01-10"
    ledger = month["ledger"]
    march: list[PayslipRow] = month["march"]  # type: ignore[assignment]
    single = tmp_path / "march.xlsx"
    ok("simple-statement", "--month", "2025-03", "--out", single, "--masked")
    march_rows = as_dicts(sheet_rows(single))[:-1]
    assert sum(int(r["과세소득"]) for r in march_rows) == sum(s.taxable for s in march)
    assert sum(int(r["비과세소득"]) for r in march_rows) == sum(
        line.amount
        for line in ledger.lines  # type: ignore[attr-defined]
        if line.cost_item == "expense_allowance"
    )
    assert {r["주민등록번호"] for r in march_rows} == {"700501-2******", None}
    assert total["과세소득"] > sum(int(r["과세소득"]) for r in march_rows)  # three months


def test_insurance_acquisitions_and_losses(
    month: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "acq.xlsx"
    ok(
        "insurance-acquisitions",
        "--from",
        "2025-01-01",
        "--to",
        "2025-01-31",
        "--out",
        out,
        "--masked",
    )
    rows = {r["참여자번호"]: r for r in as_dicts(sheet_rows(out))}
    assert set(rows) == {"P1", "P2", "P3", "P4"}
    # §9: D = 156 h × 10,030 = 1,564,680 (6 h × 5 days + 6 h weekly allowance, 2025 rate)
    assert {r["건강보험 보수월액"] for r in rows.values()} == {1_564_680}
    assert rows["P1"]["자격취득일"] == "2025-01-10" and rows["P1"]["주소정근로시간"] == 30
    assert (rows["P1"]["국민연금 적용"], rows["P1"]["국민연금 기준소득월액"]) == ("Y", 1_564_680)
    assert rows["P3"]["국민연금 적용"] == "N"  # 70 on S: no pension (§9)
    assert rows["P3"]["고용보험 적용"].startswith("Y (실업급여 제외")  # 65+ on S (§10)
    assert rows["P1"]["고용보험 적용"] == "Y"

    # P2's early end, with its reason as the early-end records will give it
    def employed(row: EnrollmentRow) -> filing_sources.EndFacts:
        reason = "employed" if row.end == date(2025, 3, 14) else None
        return filing_sources.EndFacts(row.end, reason, "㈜동행 취업", reason is not None)

    monkeypatch.setattr(filing_sources, "end_facts", employed)
    losses = tmp_path / "loss.xlsx"
    ok(
        "insurance-losses",
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-31",
        "--out",
        losses,
        "--masked",
    )
    [p2] = as_dicts(sheet_rows(losses))
    assert (p2["참여자번호"], p2["마지막 근무일"], p2["자격상실일"]) == (
        "P2",
        "2025-03-14",
        "2025-03-15",
    )
    assert (p2["종료사유"], p2["고용·산재 상실사유 코드"], p2["비고"]) == (
        "취업",
        "11",
        "㈜동행 취업",
    )
    assert (p2["국민연금 상실부호"], p2["건강보험 상실부호"]) == ("3", "1")
    march: list[PayslipRow] = month["march"]  # type: ignore[assignment]
    assert p2["당해연도 근무개월수"] == 3 and p2["전년도 보수총액"] == 0
    assert p2["당해연도 보수총액"] == month["p2_insurable"] > max(s.insurable for s in march)

    # the term-end losses need June finalized: refused, naming the month
    refused = cli("insurance-losses", "--from", "2025-06-30", "--to", "2025-06-30", "--masked")
    assert refused.exit_code == 3 and "2025-06 종로구" in refused.output


def test_bank_transfer_and_payees(month: dict[str, object], tmp_path: Path, cli_env: str) -> None:
    out = tmp_path / "transfer.csv"
    ok("bank-transfer", str(month["run"]), "--out", out)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert (
        lines[0] == "번호,은행코드,은행명,계좌번호,예금주,이체금액,받는분 통장표시,참여자번호,성명"
    )
    rows = [line.split(",") for line in lines[1:]]
    assert sum(int(r[5]) for r in rows) == month["net"]
    by_id = {r[7]: r for r in rows}
    assert by_id["P4"][1:5] == ["088", "신한은행", "110123456789", "최지우"]  # fixed account
    assert by_id["P2"][4] == "이영자"  # 예금주 column
    assert {r[6] for r in rows} == {"종로구 동행 3월"}

    password = tmp_path / "pw"
    password.write_text(PASSWORD, encoding="utf-8")
    payees = tmp_path / "payees.xlsx"
    ok(
        "payees",
        "2025-03/종로구/dongheng",
        "--out",
        payees,
        "--password-file",
        password,
        "--by",
        "담당",
    )
    assert stat.S_IMODE(os.stat(payees).st_mode) == 0o600
    with pytest.raises(Exception):  # noqa: B017 - no password, no workbook
        load_workbook(payees)
    with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
        sheet_rows(payees, "틀린-비밀번호-000")
    rows_x = as_dicts(sheet_rows(payees, PASSWORD))
    header = list(rows_x[0])
    assert header == [
        "번호", "소속부서", "부서", "은행코드", "은행명", "예금주", "계좌번호", "입금액", "성명",
        "주민등록번호",
    ]  # fmt: skip
    p1 = next(r for r in rows_x if r["성명"] == "김민지")
    assert (p1["소속부서"], p1["은행코드"], p1["주민등록번호"]) == ("종로구", "004", RRN_P1)
    assert rows_x[-1]["입금액"] == month["net"]  # the 합계 row

    engine = make_engine(cli_env)
    with transaction(engine) as session:
        entry = session.scalars(
            select(AuditLog).where(AuditLog.action == "filing.exported", AuditLog.actor == "담당")
        ).one()
    engine.dispose()
    assert entry.entity_id == "payees"
    assert (entry.detail["people"], entry.detail["rrn"], entry.detail["encrypted"]) == (
        4,
        "full",
        True,
    )


def test_full_rrns_need_the_key_xlsx_and_a_password(
    month: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csv_out = tmp_path / "payees.csv"
    refused = cli("payees", str(month["run"]), "--out", csv_out)
    assert refused.exit_code == 1 and "XLSX" in refused.output and not csv_out.exists()
    monkeypatch.delenv("PAYROLL_RRN_KEY")
    out = tmp_path / "payees.xlsx"
    refused = cli("payees", str(month["run"]), "--out", out)
    assert refused.exit_code == 1 and "PAYROLL_RRN_KEY" in refused.output and not out.exists()
    short = tmp_path / "short"
    short.write_text("1234", encoding="utf-8")
    monkeypatch.setenv("PAYROLL_RRN_KEY", "dGVzdC1rZXktdGVzdC1rZXktdGVzdC1rZXktMTIzNDU=")
    refused = cli("payees", str(month["run"]), "--out", out, "--password-file", short)
    assert refused.exit_code == 1 and "8자 이상" in refused.output and not out.exists()


def test_nothing_is_written_from_an_open_run(
    month: dict[str, object], tmp_path: Path, cli_env: str
) -> None:
    engine = make_engine(cli_env)
    [april] = calculate_runs(SqlUnitOfWork(engine), "2025-04")
    engine.dispose()
    out = tmp_path / "april.xlsx"
    for args in (
        ("withholding", "--month", "2025-04"),
        ("simple-statement", "--half", "2025-H1", "--masked"),
        ("bank-transfer", str(april.id)),
        ("payees", str(april.id), "--masked"),
    ):
        result = cli(*args, "--out", out)
        assert result.exit_code == 3, result.output
        assert "2025-04 종로구 서울 동행일자리" in result.output and "계산됨" in result.output
        assert not out.exists()


def test_scheduled_filings(
    month: dict[str, object], tmp_path: Path, cli_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(cli_env)
    out = tmp_path / "filings"
    done = write_month_filings(SqlUnitOfWork(engine), "2025-03", out / "2025-03")
    names = sorted(Path(p).name for p in done.written)
    assert names == [
        "bank-transfer-2025-03-11110-dongheng.xlsx",
        "insurance-acquisitions-2025-03-01-2025-03-31.xlsx",
        "insurance-losses-2025-03-01-2025-03-31.xlsx",
        "withholding-2025-03.xlsx",
    ]
    [p2] = as_dicts(sheet_rows(out / "2025-03" / "insurance-losses-2025-03-01-2025-03-31.xlsx"))
    assert p2["참여자번호"] == "P2" and p2["주민등록번호"] is None  # masked: no password file
    # with a password file the insurance reports hold full numbers, encrypted
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD, encoding="utf-8")
    monkeypatch.setenv("PAYROLL_REPORT_PASSWORD_FILE", str(secret))
    started = write_term_insurance(SqlUnitOfWork(engine), date(2025, 1, 10), out / "insurance")
    [path] = [Path(p) for p in started.written if "dongheng-2025-H1" in p]
    rows = as_dicts(sheet_rows(path, PASSWORD))
    assert {r["참여자번호"] for r in rows} == {"P1", "P2", "P3", "P4"}
    assert next(r for r in rows if r["참여자번호"] == "P1")["주민등록번호"] == RRN_P1
    again = write_term_insurance(SqlUnitOfWork(engine), date(2025, 1, 11), out / "insurance")
    assert not [p for p in again.written if "dongheng-2025-H1" in p]  # written once
    closed = write_term_insurance(SqlUnitOfWork(engine), date(2025, 7, 1), out / "insurance")
    assert any("dongheng-2025-H1 losses" in w and "2025-06" in w for w in closed.waiting)
    with pytest.raises(OpenRunsError):
        calculate_runs(SqlUnitOfWork(engine), "2025-04")
        write_month_filings(SqlUnitOfWork(engine), "2025-04", out / "2025-04")
    assert not (out / "2025-04").exists()
    engine.dispose()


def test_the_password_is_asked_twice_when_no_file_gives_it(
    month: dict[str, object], tmp_path: Path
) -> None:
    out = tmp_path / "payees.xlsx"
    result = cli("payees", str(month["run"]), "--out", out, typed=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input
    assert as_dicts(sheet_rows(out, PASSWORD))[-1]["입금액"] == month["net"]
