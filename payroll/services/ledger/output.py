"""A month's cost-sharing ledger written as files, for the scheduler."""

from __future__ import annotations

from pathlib import Path

from payroll.formats.ledger_files import write_ledger
from payroll.formats.safe_paths import output_path
from payroll.services.ledger.build import ScopeError, build_ledger, resolve_scope
from payroll.services.unit_of_work import UnitOfWork


def write_month_ledgers(uow: UnitOfWork, month: str, out_dir: Path) -> list[Path]:
    """The month's ledger as CSV and XLSX (finalized runs only), for the scheduler.

    Raises ``ScopeError`` while runs of the month are not finalized, so a scheduled job
    reports it instead of writing an incomplete ledger.
    """
    with uow:
        built = build_ledger(uow, resolve_scope(uow, month=month))
    if built.unfinalized:
        raise ScopeError(f"{month}: 확정되지 않은 급여 실행 {len(built.unfinalized)}건")
    return [
        write_ledger(built, output_path(out_dir, f"ledger-{month}.{fmt}"), fmt)
        for fmt in ("csv", "xlsx")
    ]
