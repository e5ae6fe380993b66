"""``payroll ledger`` and ``payroll reconcile``: cost-sharing ledgers and their proof.

Exit codes: 0 done; 1 an error or (reconcile) a difference; 2 invalid input (month, term,
program, district, format); 3 (ledger) runs in scope are not finalized yet and
``--allow-unfinalized`` was not given: no file is written then.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from payroll.cli.common import (
    Table,
    console,
    err_console,
    fail,
    month_option,
    open_root,
    plain,
)
from payroll.config.settings import output_dir
from payroll.domain.labels import cost_item_label
from payroll.domain.ledger import Ledger
from payroll.domain.model import PayrollError
from payroll.domain.money import number
from payroll.formats.ledger_files import FORMATS, write_ledger
from payroll.formats.safe_paths import output_path
from payroll.services.ledger.build import ScopeError, build_ledger, resolve_scope
from payroll.services.ledger.reconcile import ALL, ReconcileReport, reconcile_month

DIFFERENCES = 1
INVALID_INPUT = 2
UNFINALIZED = 3


def ledger(
    month: str | None = typer.Option(None, "--month", help="One month, e.g. 2025-03."),
    term: str | None = typer.Option(
        None, "--term", help="A term of the term table, e.g. 2025-H1 (its program's months)."
    ),
    from_month: str | None = typer.Option(None, "--from", help="First month of a range."),
    to_month: str | None = typer.Option(None, "--to", help="Last month of a range."),
    program: str | None = typer.Option(None, "--program", help="Only this program (code)."),
    district: str | None = typer.Option(
        None, "--district", help="Only this district: code (11110) or name (종로구)."
    ),
    fmt: str | None = typer.Option(
        None, "--format", help="csv or xlsx (default: from --out's suffix, else csv)."
    ),
    out: str | None = typer.Option(
        None, "--out", help="Output file (default: PAYROLL_OUTPUT_DIR/ledger-<scope>.<format>)."
    ),
    allow_unfinalized: bool = typer.Option(
        False,
        "--allow-unfinalized",
        help="Write the ledger of the finalized runs even if other runs in scope are not "
        "finalized yet (they are listed as warnings).",
    ),
) -> None:
    """Write the city/district cost-sharing ledger (시·구 분담 원장) of finalized payroll runs.

    One line per (month, district, program, cost item: wages, expense_allowance,
    employer_insurance), split by the program-year's city ratio: city share =
    floor(amount × ratio), district share = the rest. Give exactly one of --month, --term,
    or --from with --to. Runs not yet finalized are never in a ledger; when the scope has
    any, the command lists them and stops with exit code 3 unless --allow-unfinalized.
    """
    out_path = Path(out) if out else None
    fmt = _format(fmt, out_path)
    root = open_root()
    uow = root.uow()
    try:
        with uow, console.status("Reading finalized payroll runs…"):
            try:
                scope = resolve_scope(
                    uow,
                    month=month,
                    term=term,
                    from_month=from_month,
                    to_month=to_month,
                    program=program,
                    district=district,
                )
            except PayrollError as exc:
                fail(str(exc), INVALID_INPUT)
            try:
                built = build_ledger(uow, scope)
            except PayrollError as exc:
                fail(str(exc))
    finally:
        root.close()
    for warning in built.warnings:
        err_console.print(f"[yellow]경고:[/] {plain(warning)}", highlight=False, soft_wrap=True)
    if built.unfinalized and not allow_unfinalized:
        fail(
            f"{scope.label}에 확정되지 않은 급여 실행 {len(built.unfinalized)}건이 있어 원장을 "
            "쓰지 않았습니다 (확정하거나 --allow-unfinalized)",
            UNFINALIZED,
        )
    target = out_path or output_path(output_dir(), _default_name(built, fmt))
    with console.status(f"Writing {target}…"):
        try:
            write_ledger(built, target, fmt)
        except OSError as exc:
            fail(f"{target}에 쓸 수 없습니다: {exc.strerror or exc}")
    _print_summary(built, target)


def reconcile(
    month: str = typer.Option(
        ..., "--month", help="The month to reconcile, e.g. 2025-03.", callback=month_option
    ),
    allow_unfinalized: bool = typer.Option(
        False,
        "--allow-unfinalized",
        help="Reconcile the finalized runs even if other runs of the month are not finalized.",
    ),
) -> None:
    """Prove the ledger of a month equals its finalized payslips and payment total, to the won.

    Per district and program and overall: ledger wages + expense allowance = payslip gross,
    ledger employer insurance = employer totals, ledger total = gross + employer totals,
    and net pay (the payment-file total) = gross − deductions; and every correction of a
    finalized month is paid exactly once (§16). Exits 1 naming every difference
    (district, program, item, won), 3 when a run of the month is not finalized (unless
    --allow-unfinalized).
    """
    root = open_root()
    try:
        with console.status(f"Reconciling {month}…"):
            try:
                report = reconcile_month(root.uow(), month)
            except ScopeError as exc:
                fail(str(exc), INVALID_INPUT)
            except PayrollError as exc:
                fail(str(exc))
    finally:
        root.close()
    for run in report.unfinalized:
        err_console.print(f"[yellow]경고:[/] {plain(run.message)}", highlight=False, soft_wrap=True)
    _print_reconcile(report)
    if report.unfinalized and not allow_unfinalized:
        fail(
            f"{month}: 확정되지 않은 급여 실행 {len(report.unfinalized)}건이 있어 대사를 "
            "마칠 수 없습니다 (확정하거나 --allow-unfinalized)",
            UNFINALIZED,
        )
    for retro in report.retro:
        if retro.pending:
            err_console.print(
                f"[yellow]경고:[/] {retro.message}: 다음 급여에서 지급됩니다",
                highlight=False,
                soft_wrap=True,
            )
    for owed in report.owed:
        c = owed.carryover
        style = "bold red]차이" if c.kind.value == "returned" else "yellow]미정산"
        err_console.print(
            f"[{style}:[/] {owed.participant_id} {c.ref_month} {owed.label} "
            f"{number(c.outstanding)}원 (이월 항목 {c.id}: {plain(c.reason)})",
            highlight=False,
            soft_wrap=True,
        )
    paid_wrong = [r for r in report.retro if not r.pending]
    if not report.ok:
        for difference in report.differences:
            err_console.print(
                f"[bold red]차이:[/] {plain(difference.message)}",
                highlight=False,
                soft_wrap=True,
            )
        for retro in paid_wrong:
            err_console.print(
                f"[bold red]차이:[/] {retro.message}", highlight=False, soft_wrap=True
            )
        count = len(report.differences) + len(paid_wrong) + len(report.unpaid_returns)
        fail(f"{month} 대사 불일치: 차이 {count}건", DIFFERENCES)
    if len(report.rows) == 1:
        console.print(f"{plain(month)}에 확정된 급여 실행이 없어 대사할 것이 없습니다.")
        return
    console.print(
        f"[green]{month} 대사 일치[/]: 원장 {number(report.overall.ledger_total)} = "
        f"명세서 {number(report.overall.payslip_total)}; 지급 총액 "
        f"{number(report.overall.net)}원."
    )


def _format(fmt: str | None, out: Path | None) -> str:
    if fmt is None:
        suffix = out.suffix.lower().lstrip(".") if out else ""
        return suffix if suffix in FORMATS else "csv"
    if fmt.lower() not in FORMATS:
        fail(f"--format {fmt!r}: csv 또는 xlsx만 쓸 수 있습니다", INVALID_INPUT)
    return fmt.lower()


def _default_name(built: Ledger, fmt: str) -> str:
    parts = ["ledger", built.scope.label.replace("..", "_")]
    parts += [p for p in (built.scope.program, built.scope.district) if p]
    return "-".join(parts) + f".{fmt}"


def _print_summary(built: Ledger, target: Path) -> None:
    table = Table("비용항목", title=f"원장 {built.scope.label}: {len(built.lines)}행")
    for title in ("금액", "시 부담", "구 부담"):
        table.add_column(title, justify="right")
    for item in dict.fromkeys(line.cost_item for line in built.lines):
        lines = [ln for ln in built.lines if ln.cost_item == item]
        table.add_row(
            cost_item_label(item),
            number(sum(ln.amount for ln in lines)),
            number(sum(ln.city_share for ln in lines)),
            number(sum(ln.district_share for ln in lines)),
        )
    total = built.total
    table.add_row(
        "합계", number(total.amount), number(total.city), number(total.district), style="bold"
    )
    console.print(table)
    covered = {line.month for line in built.lines} | {r.month for r in built.unfinalized}
    empty = [m for m in built.scope.months if m not in covered]
    if empty:
        console.print(f"급여 실행이 없는 달: {plain(', '.join(empty))}.")
    console.print(f"작성함: {plain(target)}")


def _print_reconcile(report: ReconcileReport) -> None:
    table = Table("자치구", "사업", title=f"대사 {report.month}")
    for title in (
        "명세서",
        "원장 임금+식비",
        "총지급액",
        "원장 보험료",
        "사업주 부담",
        "원장 합계",
        "명세서 합계",
        "실지급액",
        "총지급−공제",
    ):
        table.add_column(title, justify="right")
    table.add_column("")
    districts = report.ledger.district_names if report.ledger else {}
    programs = report.ledger.program_names if report.ledger else {}
    for row in report.rows:
        overall = row.district == ALL
        table.add_row(
            "전체" if overall else districts.get(row.district, row.district),
            "" if overall else programs.get(row.program, row.program),
            str(row.payslips),
            number(row.ledger_gross),
            number(row.payslip_gross),
            number(row.ledger_employer),
            number(row.payslip_employer),
            number(row.ledger_total),
            number(row.payslip_total),
            number(row.net),
            number(row.gross_less_deductions),
            Text("OK", "green") if row.ok else Text("DIFF", "red"),
            style="bold" if overall else None,
        )
    console.print(table)
