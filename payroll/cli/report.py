"""``payroll report …``: district reviews (severance: how-pay-is-calculated.md §15)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from payroll.cli.common import INVALID_INPUT, console, fail, fail_on, open_engine, won
from payroll.domain.model import PayrollError

report_app = typer.Typer(help="Reports: severance review (퇴직금 검토).", no_args_is_help=True)


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
    from payroll.services.severance import severance_cases
    from payroll.services.severance_file import HEADER, case_values, write_severance

    engine = open_engine()
    try:
        cases = severance_cases(engine, district)
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
        table.add_row(*(won(v) if isinstance(v, int) else str(v) for v in case_values(case)))
    console.print(table)
