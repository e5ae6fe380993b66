"""``payroll report …``: the month's filings from finalized payroll data.

Exit codes: 0 written; 1 an error; 2 invalid input; 3 a run the filing needs is not
finalized (the message names it; nothing is written).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from payroll.cli.common import INVALID_INPUT, Table, console, fail, fail_on, open_root
from payroll.config.settings import output_dir
from payroll.domain.model import PayrollError
from payroll.domain.money import number
from payroll.formats.tabular import parse_date
from payroll.services.enrollment.enroll import default_actor
from payroll.services.filings.export import check_writable, export, format_of
from payroll.services.filings.month import (
    Filing,
    OpenRunsError,
    acquisitions_filing,
    bank_transfer_filing,
    losses_filing,
    payees_filing,
    simple_statement_filing,
    withholding_return,
)
from payroll.services.ledger.build import ScopeError
from payroll.services.unit_of_work import UnitOfWork

report_app = typer.Typer(
    help="Filings (신고·지급 자료) from finalized payroll runs: withholding return, simple "
    "statement, insurance acquisitions and losses, bank transfer, e-호조 payees; and the "
    "severance review (퇴직금 검토).",
    no_args_is_help=True,
)

OUT = typer.Option(None, "--out", help="Output file, .xlsx (or .csv where taken).")
FORMAT = typer.Option(None, "--format", help="xlsx or csv (default: from --out's suffix).")
PASSWORD_FILE = typer.Option(
    None,
    "--password-file",
    help="File whose first line is the password of a file with full RRNs (else asked).",
)
MASKED = typer.Option(
    False, "--masked", help="Write masked RRNs (700101-1******) instead: no key, no password."
)
BY = typer.Option(None, "--by", help="Who exports (audit log); default: the login name.")


def _write(
    build: Callable[[UnitOfWork], Filing],
    out: Path | None,
    fmt: str | None,
    password_file: Path | None,
    by: str | None,
) -> None:
    root = open_root()
    uow = root.uow()
    try:
        try:
            filing = build(uow)
        except OpenRunsError as exc:
            fail(str(exc), 3)
        except (ScopeError, ValueError) as exc:
            fail(str(exc), 2)
        path = out or output_dir() / "filings" / filing.default_name
        password = None
        try:
            chosen = format_of(path, fmt)
            if filing.rrn == "full":
                check_writable(filing, chosen, "-")
                password = _password(password_file)
            done = export(uow, filing, path, by or default_actor(), chosen, password)
        except PayrollError as exc:
            fail(str(exc))
    except PayrollError as exc:
        fail(str(exc))
    finally:
        root.close()
    lock = " (암호 설정)" if done.encrypted else ""
    console.print(f"{done.path}: {done.people}명{lock}", highlight=False)


def _password(password_file: Path | None) -> str:
    if password_file is not None:
        try:
            lines = password_file.read_text("utf-8").splitlines()
        except OSError as exc:
            fail(f"cannot read {password_file} ({exc.strerror})", 2)
        return lines[0].strip() if lines else ""
    return str(typer.prompt("파일 암호", hide_input=True, confirmation_prompt=True))


def _date(text: str, option: str) -> date:
    try:
        return parse_date(text)
    except ValueError as exc:
        fail(f"{option} {text!r}: {exc}", 2)


@report_app.command("withholding")
def withholding_command(
    month: str = typer.Option(..., "--month", help="귀속연월, e.g. 2025-03."),
    district: str | None = typer.Option(None, "--district", help="Code (11110) or 종로구."),
    out: Path | None = OUT,
    fmt: str | None = FORMAT,
    by: str | None = BY,
) -> None:
    """원천징수이행상황신고서: A01 간이세액, A02 중도퇴사 (settlements), A10 가감계, and
    지방소득세 특별징수, per district."""
    _write(lambda e: withholding_return(e, month, district), out, fmt, None, by)


@report_app.command("simple-statement")
def simple_statement_command(
    month: str | None = typer.Option(None, "--month", help="One month, e.g. 2025-03."),
    half: str | None = typer.Option(None, "--half", help="A half year: 2025-H1 or 2025-H2."),
    out: Path | None = OUT,
    fmt: str | None = FORMAT,
    password_file: Path | None = PASSWORD_FILE,
    masked: bool = MASKED,
    by: str | None = BY,
) -> None:
    """간이지급명세서(근로소득): per participant the period's taxable and non-taxable pay."""
    _write(
        lambda e: simple_statement_filing(e, month, half, full_rrn=not masked),
        out,
        fmt,
        password_file,
        by,
    )


@report_app.command("insurance-acquisitions")
def acquisitions_command(
    from_date: str = typer.Option(..., "--from", help="First start date, e.g. 2025-01-10."),
    to_date: str = typer.Option(..., "--to", help="Last start date."),
    out: Path | None = OUT,
    password_file: Path | None = PASSWORD_FILE,
    masked: bool = MASKED,
    by: str | None = BY,
) -> None:
    """4대보험 자격취득: every enrollment starting in the dates, with D and weekly hours."""
    first, last = _date(from_date, "--from"), _date(to_date, "--to")
    _write(
        lambda e: acquisitions_filing(e, first, last, full_rrn=not masked),
        out,
        None,
        password_file,
        by,
    )


@report_app.command("insurance-losses")
def losses_command(
    from_date: str = typer.Option(..., "--from", help="First end date, e.g. 2025-06-01."),
    to_date: str = typer.Option(..., "--to", help="Last end date."),
    out: Path | None = OUT,
    password_file: Path | None = PASSWORD_FILE,
    masked: bool = MASKED,
    by: str | None = BY,
) -> None:
    """4대보험 자격상실: every enrollment ending in the dates, with the loss codes and the
    year's and previous year's pay totals (the final months must be finalized)."""
    first, last = _date(from_date, "--from"), _date(to_date, "--to")
    _write(
        lambda e: losses_filing(e, first, last, full_rrn=not masked),
        out,
        None,
        password_file,
        by,
    )


@report_app.command("bank-transfer")
def bank_transfer_command(
    run: str = typer.Argument(..., help="Run id or MONTH/DISTRICT/PROGRAM."),
    out: Path | None = OUT,
    fmt: str | None = FORMAT,
    by: str | None = BY,
) -> None:
    """대량이체 파일: bank code, account digits, 예금주, amount, passbook memo."""
    _write(lambda e: bank_transfer_filing(e, run), out, fmt, None, by)


@report_app.command("payees")
def payees_command(
    run: str = typer.Argument(..., help="Run id or MONTH/DISTRICT/PROGRAM."),
    department: str | None = typer.Option(
        None, "--department", help="부서 column (default: the program's name)."
    ),
    out: Path | None = OUT,
    password_file: Path | None = PASSWORD_FILE,
    masked: bool = MASKED,
    by: str | None = BY,
) -> None:
    """e-호조 지급명세: 번호, 소속부서, 부서, 은행코드, 은행명, 예금주, 계좌번호, 입금액, 성명,
    주민등록번호."""
    _write(
        lambda e: payees_filing(e, run, full_rrn=not masked, department=department),
        out,
        None,
        password_file,
        by,
    )


@report_app.command("severance")
def severance(
    district: Annotated[str | None, typer.Option(help="Only this district (code or name).")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write an XLSX instead of the table.")
    ] = None,
) -> None:
    """Participants with one year or more of continuous service (each next start at most
    31 days after the previous end, 15 h a week or more), with a severance estimate:
    average daily wage of the last three months × 30 × days / 365. Nothing is paid."""
    from payroll.services.enrollment.severance import severance_cases
    from payroll.services.enrollment.severance_file import HEADER, case_values, write_severance

    root = open_root()
    try:
        cases = severance_cases(root.uow(), district)
    except PayrollError as exc:
        fail_on(exc)
    if out is not None:
        try:
            write_severance(out, cases)
        except OSError as exc:
            fail(f"{out}: 쓸 수 없습니다 ({exc.strerror or exc})", INVALID_INPUT)
        console.print(f"퇴직금 검토 대상 {len(cases)}명: {out}")
        return
    table = Table(*HEADER, title=f"퇴직금 검토 대상 {len(cases)}건 (지급 아님: 구에서 판단)")
    for case in cases:
        table.add_row(*(number(v) if isinstance(v, int) else str(v) for v in case_values(case)))
    console.print(table)
