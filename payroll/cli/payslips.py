"""``payroll payslips``: PDF payslips (임금명세서) of a month's runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
from payroll.domain.contact import DELIVERY_LABELS, Delivery, mask_phone
from payroll.domain.delivery import STATE_LABELS, DeliveryState
from payroll.domain.model import PayrollError
from payroll.formats.print_list import write_print_list
from payroll.notify.channels import open_channels
from payroll.services.payslips.delivery import (
    DeliveryReport,
    SendOptions,
    delivery_status,
    send_run,
)
from payroll.services.payslips.output import payslip_count, write_payslips
from payroll.services.runs.lifecycle import find_run

payslips_app = typer.Typer(
    help="PDF payslips (임금명세서): write them, or send them to participants.",
    invoke_without_command=True,
)


@payslips_app.callback()
def payslips(
    ctx: typer.Context,
    month: Annotated[
        str | None,
        typer.Option("--month", "-m", help="Month, e.g. 2025-03.", callback=month_option),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Output folder (default: out/).")] = None,
    district: Annotated[str | None, typer.Option(help="District code or name.")] = None,
    program: Annotated[str | None, typer.Option(help="Program code or name.")] = None,
    encrypt: Annotated[
        bool,
        typer.Option(
            "--encrypt",
            help="Protect each PDF and the print file with AES-256 (see --password).",
        ),
    ] = False,
    password: Annotated[
        str,
        typer.Option(
            "--password",
            help="With --encrypt: random (a password per participant, in an owner-only "
            "list under OUT/passwords/) or birth (YYMMDD: weak, guessed in minutes).",
        ),
    ] = "random",
    only_finalized: Annotated[
        bool, typer.Option("--only-finalized", help="Skip runs that are not finalized.")
    ] = False,
    processes: Annotated[
        int | None, typer.Option(help="Rendering processes (default: CPUs).")
    ] = None,
) -> None:
    """Write one A4 PDF per participant and one print file per district and program.

    Files: OUT/MONTH/DISTRICT/PROGRAM/PARTICIPANT.pdf and print-MONTH-DISTRICT-PROGRAM.pdf.
    Payslips of runs not yet finalized carry a 검토용 (draft) mark. Files already written
    for the same data are not rendered again. `payroll payslips send RUN` e-mails them.
    """
    if ctx.invoked_subcommand is not None:
        return
    if month is None:
        fail("--month를 지정하십시오 (예: payroll payslips --month 2026-11)", INVALID_INPUT)
    root = open_root()
    folder = out or output_dir()
    uow = root.uow()
    total = payslip_count(uow, month)
    with progress_bar() as bar:
        task = bar.add_task(f"급여명세서 {plain(month)}", total=total)
        try:
            report = write_payslips(
                uow,
                month,
                folder,
                district,
                program,
                encrypt,
                only_finalized,
                progress=lambda n: bar.advance(task, n),
                processes=processes,
                password_mode=password,
            )
        except PayrollError as exc:
            fail_on(exc)
    console.print(
        f"급여명세서 {folder / month}: {report.rendered}건 만듦, "
        f"{report.skipped}건 이미 최신, {len(report.failed)}건 실패 "
        f"({report.seconds:.1f}초)."
    )
    if report.drafts:
        console.print(
            f"[yellow]{report.drafts}건은 검토용입니다: 급여 실행이 아직 확정되지 않았습니다.[/]"
        )
    for path in report.print_files:
        console.print(f"인쇄 파일: {plain(path)}")
    for path in report.password_lists:
        console.print(
            f"암호 목록 (본인만 읽을 수 있음; 암호를 나눠 준 뒤 지우십시오): {plain(path)}"
        )
    for failure in report.failed:
        console.print(f"[red]실패[/] {plain(failure.participant_id)}: {plain(failure.error)}")
    if report.failed:
        raise typer.Exit(1)


@payslips_app.command("send")
def send(
    run: Annotated[
        str, typer.Argument(help="Run id, or MONTH/DISTRICT/PROGRAM (2026-11/종로구/dongheng).")
    ],
    by: Annotated[str, typer.Option("--by", help="Your name, for the audit log.")] = "admin",
    rate: Annotated[float, typer.Option(help="Messages per second at most.")] = 5.0,
    attempts: Annotated[int, typer.Option(help="Tries per message (busy server).")] = 3,
    backoff: Annotated[float, typer.Option(help="Seconds between retry rounds.")] = 30.0,
) -> None:
    """Send a finalized run's payslips by each participant's 수령방법 (resumable).

    E-mail carries the encrypted PDF, 알림톡 a link. Run it again after a crash: nothing
    goes twice.

    Mail server: PAYROLL_SMTP_HOST, _PORT, _SECURITY (starttls/ssl), _USER, _PASSWORD,
    _FROM. 알림톡: PAYROLL_SMS_PROVIDER. Lists the participants to hand a printed payslip.
    """
    if rate <= 0 or attempts < 1 or backoff < 0:
        fail("--rate는 0보다, --attempts는 1 이상, --backoff는 0 이상이어야 합니다", INVALID_INPUT)
    uow = open_root().uow()
    try:
        found = find_run(uow, run)
        with open_channels() as (mailer, texts), console.status("명세서 보내는 중…"):
            report = send_run(
                uow, found, mailer, texts, actor=by,
                options=SendOptions(rate=rate, attempts=attempts, backoff=backoff),
            )  # fmt: skip
    except PayrollError as exc:
        fail_on(exc)
    show_delivery(report)
    if report.count(DeliveryState.QUEUED):
        raise typer.Exit(1)


@payslips_app.command("status")
def status(
    run: Annotated[str, typer.Argument(help="Run id, or MONTH/DISTRICT/PROGRAM.")],
    print_list: Annotated[
        Path | None,
        typer.Option("--print-list", help="Also write who gets a printed payslip (CSV)."),
    ] = None,
) -> None:
    """Each participant's delivery state, and who gets a printed payslip."""
    uow = open_root().uow()
    try:
        report = delivery_status(uow, find_run(uow, run))
    except PayrollError as exc:
        fail_on(exc)
    show_delivery(report)
    if print_list is not None:
        write_print_list(
            print_list, [(u.participant_id, u.name, u.reason) for u in report.to_print]
        )
        console.print(f"인쇄 명단: {plain(print_list)} ({len(report.to_print)}명)")


def show_delivery(report: DeliveryReport) -> None:
    """The deliveries as a table, the totals, and the list to print."""
    r = report.run
    title = f"명세서 발송 — 실행 {r.id}"
    table = Table("참여자", "방법", "받는 곳", "상태", "시도", "사유", title=title)
    for d in report.deliveries:
        address = mask_phone(d.address) if d.channel == Delivery.ALIMTALK else d.address
        table.add_row(
            plain(d.participant_id), DELIVERY_LABELS[Delivery(d.channel)], plain(address),
            d.state_label, str(d.attempts), plain(d.reason or ""),
        )  # fmt: skip
    if report.deliveries:
        console.print(table)
    counts = ", ".join(f"{STATE_LABELS[s]} {report.count(s)}" for s in DeliveryState)
    console.print(f"이번에 보냄 {report.sent_now}건. 전체: {counts}.")
    if report.to_print:
        printed = Table("참여자", "성명", "사유", title="인쇄해서 전달할 명세서")
        for u in report.to_print:
            printed.add_row(plain(u.participant_id), plain(u.name), plain(u.reason))
        console.print(printed)
