"""``payroll import attendance`` and ``payroll run …``: the monthly payroll batch."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from payroll.cli.common import (
    INVALID_INPUT,
    Table,
    console,
    fail,
    fail_on,
    month_option,
    open_root,
    plain,
    progress_bar,
)
from payroll.config.settings import output_dir
from payroll.domain.labels import run_state_name
from payroll.domain.model import PayrollError
from payroll.domain.money import number
from payroll.domain.runs import RunState
from payroll.formats.tabular import ImportRejected, RowError
from payroll.services.common.identity import operator
from payroll.services.imports.attendance import import_attendance
from payroll.services.payslips.store import payslip_json
from payroll.services.runs.files import write_run_files
from payroll.services.runs.lifecycle import (
    RunsFailed,
    RunSummary,
    approve_run,
    calculate_runs,
    calculation_size,
    cancel_run,
    exclude_participant,
    finalize_run,
    list_runs,
    run_details,
)

run_app = typer.Typer(
    help="Monthly payroll runs: calculate → approve → finalize.", no_args_is_help=True
)

MonthOpt = Annotated[
    str,
    typer.Option(
        "--month", "-m", help="Month: 2025-03, 2025-3, 2025.03, 2025년 3월.", callback=month_option
    ),
]
ByOpt = Annotated[str, typer.Option("--by", help="Your name, for the audit log.")]
RunArg = Annotated[
    str, typer.Argument(help="Run id, or MONTH/DISTRICT/PROGRAM (e.g. 2025-03/종로구/dongheng).")
]


def show_row_errors(errors: list[RowError], error_file: Path) -> None:
    table = Table("행", "열", "값", "사유", title="행 오류 (아무것도 저장하지 않았습니다)")
    for e in errors[:50]:
        table.add_row(str(e.row), e.column, e.value, e.reason)
    console.print(table)
    if len(errors) > 50:
        console.print(f"… 외 {len(errors) - 50}건")
    console.print(f"오류 {len(errors)}건 모두 [bold]{plain(error_file)}[/]에 있습니다.")


def import_attendance_command(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX of attendance exceptions.")],
    correction: Annotated[
        bool,
        typer.Option(
            "--correction", help="Correct a finalized month; paid as retro_adjustment next run."
        ),
    ] = False,
    by: Annotated[str, typer.Option("--by", help="Your name, for the audit log.")] = "admin",
) -> None:
    """Import attendance exceptions (participant_id, date, status, hours).

    Status: worked | absent | annual_leave | official_leave (근무, 결근, 연차, 공가).
    Korean headers: 참여자번호, 일자, 상태, 시간. All rows are checked first; one bad
    row means nothing is written, and every error goes to FILE.errors.csv.
    """
    root = open_root()
    try:
        report = import_attendance(root.uow(), file, correction=correction, actor=by)
    except ImportRejected as exc:
        show_row_errors(exc.errors, exc.error_file)
        fail_on(exc)
    except PayrollError as exc:
        fail_on(exc)
    kind = "정정" if correction else "근태"
    console.print(
        f"{plain(file)}에서 {report.rows}행을 가져왔습니다: {kind} {report.added}건 추가, "
        f"{report.replaced}건 변경, {report.unchanged}건 그대로."
    )


def _summary_table(runs: list[RunSummary], title: str) -> Table:
    table = Table(
        "실행",
        "월",
        "자치구",
        "사업",
        "상태",
        "인원",
        "예외",
        "임금 총액",
        "공제 합계",
        "실지급액",
        "사업주 부담",
        title=title,
    )
    for r in runs:
        table.add_row(
            str(r.id),
            r.month,
            r.district_name or r.district,
            r.program_name or r.program,
            run_state_name(r.state),
            str(r.participants),
            str(r.exceptions),
            number(r.gross),
            number(r.deductions),
            number(r.net),
            number(r.employer),
        )
    return table


@run_app.command("calculate")
def calculate(
    month: MonthOpt,
    district: Annotated[str | None, typer.Option(help="District code or name.")] = None,
    program: Annotated[str | None, typer.Option(help="Program code or name.")] = None,
    by: ByOpt = "admin",
) -> None:
    """Calculate (or recalculate) the month's runs; finalized runs are left unchanged."""
    root = open_root()
    uow = root.uow()
    try:
        code, total = calculation_size(uow, month, district, program)
    except PayrollError as exc:
        fail_on(exc)
    try:
        workers = root.calculation_workers()
    except ValueError as exc:
        fail(str(exc), INVALID_INPUT)
    failed: RunsFailed | None = None
    with progress_bar() as bar:
        task = bar.add_task(f"Calculating {plain(month)}", total=total)
        try:
            who = operator(uow, by)
            runs = calculate_runs(
                uow,
                month,
                code,
                program,
                progress=lambda n: bar.advance(task, n),
                actor=who,
                workers=workers,
                uow_factory=root.worker_uow(),
            )
        except RunsFailed as exc:
            failed, runs = exc, exc.done
        except PayrollError as exc:
            fail_on(exc)
    if failed is not None:
        if runs:
            console.print(_summary_table(runs, f"급여 실행 {plain(month)} (계산된 실행)"))
        fail_on(failed)
    if not runs:
        console.print(f"{plain(month)}에 참여 중인 참여자가 없어 계산할 것이 없습니다.")
        return
    console.print(_summary_table(runs, f"급여 실행 {plain(month)}"))
    for r in runs:
        if r.note:
            console.print(f"run {r.id}: {plain(r.note)}")
        if r.exceptions:
            console.print(
                f"[yellow]run {r.id} has {r.exceptions} exception(s)[/]: "
                f"see `payroll run show {r.id}`"
            )


@run_app.command("approve")
def approve(run: RunArg, by: ByOpt) -> None:
    """Approve a calculated run (every exception fixed or excluded)."""
    _transition(lambda u: approve_run(u, run, operator(u, by)), RunState.APPROVED)


@run_app.command("finalize")
def finalize(
    run: RunArg,
    by: ByOpt,
    out: Annotated[
        Path | None, typer.Option(help="Folder for the payment file and register.")
    ] = None,
) -> None:
    """Finalize an approved run (frozen from now on) and write its payment file and register."""
    uow = open_root().uow()
    summary = _transition(lambda u: finalize_run(u, run, operator(u, by)), RunState.FINALIZED, uow)
    files = write_run_files(uow, str(summary.id), out or output_dir())
    console.print(
        f"Payment file: {plain(files.payment)} ({files.participants} participants, "
        f"net {number(files.net_total)} won)\nRegister: {plain(files.register)}"
    )


@run_app.command("cancel")
def cancel(
    run: RunArg, by: ByOpt, reason: Annotated[str, typer.Option(help="Why the run is cancelled.")]
) -> None:
    """Cancel a run that is not finalized."""
    _transition(lambda u: cancel_run(u, run, operator(u, by), reason), RunState.CANCELLED)


@run_app.command("exclude")
def exclude(
    run: RunArg,
    participant: Annotated[str, typer.Argument(help="Participant id on the exception list.")],
    reason: Annotated[str, typer.Option(help="Why the participant is not paid in this run.")],
    by: ByOpt,
) -> None:
    """Hold an exception's participant (지급 보류, as `run hold`): kept, paid on release."""
    _transition(
        lambda u: exclude_participant(u, run, participant, reason, operator(u, by)), "updated"
    )


@run_app.command("files")
def files(
    run: RunArg, out: Annotated[Path | None, typer.Option(help="Output folder.")] = None
) -> None:
    """Write (again) the payment file and register of a finalized run."""
    try:
        result = write_run_files(open_root().uow(), run, out or output_dir())
    except PayrollError as exc:
        fail_on(exc)
    console.print(f"이체 파일: {plain(result.payment)}\n급여대장: {plain(result.register)}")


def _transition(action, verb: str, uow=None) -> RunSummary:  # type: ignore[no-untyped-def]
    uow = uow or open_root().uow()
    try:
        summary = action(uow)
    except PayrollError as exc:
        fail_on(exc)
    console.print(
        f"Run {summary.id} ({plain(summary.month)} {plain(summary.district_name)} "
        f"{plain(summary.program_name)}) "
        f"{verb}: {summary.participants} participants, net {number(summary.net)} won."
    )
    return summary


@run_app.command("list")
def list_command(
    month: Annotated[
        str | None, typer.Option("--month", "-m", help="Only this month.", callback=month_option)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List runs with their state and totals."""
    runs = list_runs(open_root().uow(), month)
    if as_json:
        print(json.dumps([r.__dict__ for r in runs], ensure_ascii=False, indent=1))
        return
    console.print(_summary_table(runs, "급여 실행"))


@run_app.command("show")
def show(
    run: RunArg, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """A run's state, totals, exceptions and (with --json) every participant's lines."""
    try:
        details = run_details(open_root().uow(), run)
    except PayrollError as exc:
        fail_on(exc)
    row, exceptions = details.run, details.exceptions
    info: dict[str, Any] = {
        "id": row.id,
        "month": row.month,
        "district": row.district_code,
        "program": row.program_code,
        "district_name": details.summary.district_name,
        "program_name": details.summary.program_name,
        "state": str(row.state),
        "participants": len(details.payslips),
        "gross": row.gross,
        "total_deductions": row.total_deductions,
        "net": row.net,
        "employer": row.employer_total,
        "approved_by": row.approved_by,
        "finalized_by": row.finalized_by,
        "reopened_note": row.reopened_note,
        "held": [
            {
                "participant_id": h.participant_id,
                "ref_month": h.carryover.ref_month,
                "amount": h.carryover.total,
                "taxable": h.carryover.taxable,
                "non_taxable": h.carryover.non_taxable,
                "reason": h.carryover.reason,
                "released": h.released,
                "paid": h.carryover.settled,
            }
            for h in details.held
        ],
        "payees": [p.__dict__ for p in details.payees],
        "exceptions": [
            {
                "participant_id": pid,
                "reason": x.reason,
                "excluded": x.excluded,
                "excluded_reason": x.excluded_reason,
                "excluded_by": x.excluded_by,
            }
            for x, pid in exceptions
        ],
    }
    if as_json:
        info["payslips"] = [
            {
                "participant_id": pid,
                **payslip_json(s, details.lines.get(s.id, [])),
                "carried": [
                    {"code": x.code, "amount": x.amount, "ref_month": x.ref_month}
                    for x in details.lines.get(s.id, [])
                    if x.ref_month is not None
                ],
            }
            for s, pid in details.payslips
        ]
        print(json.dumps(info, ensure_ascii=False, indent=1))
        return
    table = Table(show_header=False, title=f"Run {row.id}")
    for key in (
        "month",
        "district_name",
        "program_name",
        "state",
        "participants",
        "gross",
        "total_deductions",
        "net",
        "employer",
        "approved_by",
        "finalized_by",
    ):
        value = info[key]
        table.add_row(
            key,
            number(value) if isinstance(value, int) and key != "participants" else str(value or ""),
        )
    console.print(table)
    if row.reopened_note:
        console.print(f"[yellow]{plain(row.reopened_note)}[/]")
    if details.held:
        held = Table("참여자", "귀속월", "보류 금액", "사유", "상태", title="지급 보류")
        for h in info["held"]:
            state = (
                "지급됨" if h["paid"] == h["amount"] else ("해제됨" if h["released"] else "보류 중")
            )
            held.add_row(
                h["participant_id"], h["ref_month"], number(h["amount"]), plain(h["reason"]), state
            )
        console.print(held)
    if details.payees:
        payees = Table("참여자", "은행", "계좌", "예금주", "지난달 대비", title="지급 대상")
        for p in details.payees:
            payees.add_row(
                p.participant_id,
                p.bank,
                p.account,
                p.holder,
                f"[bold red]변경[/] (지난달 {plain(p.previous)})" if p.changed else "",
            )
        console.print(payees)
    if exceptions:
        ex = Table("participant", "reason", "excluded", title="Exceptions")
        for x in info["exceptions"]:
            ex.add_row(
                x["participant_id"],
                x["reason"],
                f"yes: {x['excluded_reason']} ({x['excluded_by']})" if x["excluded"] else "no",
            )
        console.print(ex)


@run_app.command("review")
def review(
    run: RunArg,
    out: Annotated[Path, typer.Option("--out", help="The workbook to write (.xlsx).")] = Path(
        "review.xlsx"
    ),
) -> None:
    """Write the review workbook (검토표) a team lead reads before approving: one row per
    participant with every pay line, exceptions, overrides and changes against last month."""
    from payroll.services.runs.review import write_review

    root = open_root()
    try:
        path, count = write_review(root.uow(), run, out)
    except PayrollError as exc:
        fail_on(exc)
    except OSError as exc:
        fail(f"{out}: 쓸 수 없습니다 ({exc.strerror or exc})", 2)
    console.print(f"검토표: {path} ({count}명)")


def _attach_holds() -> None:
    """``run hold`` and ``run release`` live with the other carried-over commands."""
    from payroll.cli import payments

    run_app.command("hold")(payments.hold)
    run_app.command("release")(payments.release)


_attach_holds()
