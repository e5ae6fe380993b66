"""``payroll report …``: the month's filings from finalized payroll data.

Exit codes: 0 written; 1 an error; 2 invalid input; 3 a run the filing needs is not
finalized (the message names it; nothing is written).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from payroll.cli.common import INVALID_INPUT, Table, console, fail, fail_on, open_root
from payroll.config.settings import output_dir
from payroll.domain.model import PayrollError
from payroll.domain.money import number
from payroll.services.enrollment.enroll import default_actor
from payroll.services.filings import registry
from payroll.services.filings.export import check_writable, export, format_of
from payroll.services.filings.reads import OpenRunsError
from payroll.services.ledger.build import ScopeError

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
    kind: registry.FilingKind,
    raw: Mapping[str, str | None],
    full: bool,
    out: Path | None,
    fmt: str | None,
    password_file: Path | None,
    by: str | None,
) -> None:
    try:
        values = registry.parse(kind, raw, named="option")
    except registry.ParamError as exc:
        fail(str(exc), INVALID_INPUT)
    root = open_root()
    uow = root.uow()
    try:
        try:
            filing = kind.build(uow, values, full)
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


def _identifier(param: registry.Param) -> str:
    return f"{param.name}_value"


def _command(kind: registry.FilingKind) -> Callable[..., None]:
    """``payroll report KIND``: its options made from the kind's declared parameters."""
    parameters: list[tuple[str, Any, Any]] = []
    for param in kind.params:
        if param.type == "run":
            default = typer.Argument(..., help=param.help, metavar=param.name.upper())
        else:
            default = typer.Option(... if param.required else None, param.option, help=param.help)
        parameters.append((_identifier(param), str if param.required else str | None, default))
    parameters.append(("out", Path | None, OUT))
    if kind.choose_format:
        parameters.append(("fmt", str | None, FORMAT))
    if kind.full_rrn:
        parameters += [("password_file", Path | None, PASSWORD_FILE), ("masked", bool, MASKED)]
    parameters.append(("by", str | None, BY))

    def command(**options: Any) -> None:
        raw = {p.name: options[_identifier(p)] for p in kind.params}
        full = kind.full_rrn and not options.get("masked", False)
        fmt, password_file = options.get("fmt"), options.get("password_file")
        _write(kind, raw, full, options["out"], fmt, password_file, options["by"])

    command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=d, annotation=a)
            for name, a, d in parameters
        ]
    )
    command.__annotations__ = {name: a for name, a, _d in parameters}
    command.__name__ = f"{kind.kind.replace('-', '_')}_command"
    return command


for _kind in registry.kinds():
    report_app.command(
        _kind.kind, help=f"{_kind.help_line}\n\n{_kind.summary}", short_help=_kind.help_line
    )(_command(_kind))


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
