"""``payroll payslips``: PDF payslips (임금명세서) of a month's runs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from payroll.cli.common import (
    console,
    fail_on,
    month_option,
    open_engine,
    plain,
    progress_bar,
)
from payroll.config.settings import output_dir
from payroll.db.uow import SqlUnitOfWork
from payroll.domain.model import PayrollError
from payroll.services.payslip_output import payslip_count, write_payslips


def payslips(
    month: Annotated[
        str, typer.Option("--month", "-m", help="Month, e.g. 2025-03.", callback=month_option)
    ],
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
    for the same data are not rendered again.
    """
    engine = open_engine()
    folder = out or output_dir()
    uow = SqlUnitOfWork(engine)
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
