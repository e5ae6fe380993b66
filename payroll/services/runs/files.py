"""Files of a finalized run: the payment file (이체 파일) and the payroll register (급여대장).

Paths: ``OUT/<month>/<district>/<program>/payment.csv`` and ``register.xlsx``.
Both are written atomically (temporary file, then rename).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from payroll.domain.runs import RunRecord, RunState
from payroll.formats.atomic import atomic_write
from payroll.formats.safe_paths import output_path
from payroll.formats.sheet_cells import csv_writer
from payroll.services.runs import payees as run_payees
from payroll.services.runs.lifecycle import RunError, find_run
from payroll.services.runs.pay_sheets import run_sheet
from payroll.services.runs.payee_snapshot import frozen_payees
from payroll.services.runs.review import held_sheet
from payroll.services.runs.wage_register import write_register
from payroll.services.unit_of_work import UnitOfWork

PAYMENT_COLUMNS = ("참여자번호", "성명", "은행", "계좌번호", "실지급액")
"""The payment file's header, in Korean as the bank and the district read it."""
MONEY_FORMAT = "#,##0"


@dataclass(frozen=True)
class RunFiles:
    payment: Path
    register: Path
    participants: int
    net_total: int


def run_dir(out_dir: Path, run: RunRecord) -> Path:
    """``OUT/<month>/<district>/<program>``, checked to stay under ``out_dir``."""
    return output_path(out_dir, run.month, run.district_code, run.program_code)


def write_run_files(uow: UnitOfWork, ref: str, out_dir: Path) -> RunFiles:
    """Write the payment file and the register of a finalized run."""
    with uow:
        run = find_run(uow, ref)
        if run.state is not RunState.FINALIZED:
            raise RunError(
                f"급여 실행 {run.id}은(는) {run.state.korean} 상태입니다. "
                "이체 파일은 확정된 급여만 만듭니다"
            )
        rows = [(f.payslip, f.payee) for f in frozen_payees(uow, run)]
        sheet = run_sheet(uow, run)
        held = run_payees.held_months(uow, run)
    folder = run_dir(out_dir, run)
    payment = output_path(folder, "payment.csv")
    register = output_path(folder, "register.xlsx")

    def write_payment(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv_writer(f)
            writer.writerow(PAYMENT_COLUMNS)
            for slip, person in rows:
                writer.writerow(
                    [
                        person.participant_id,
                        person.name,
                        person.bank or "",
                        person.account or "",
                        slip.net,
                    ]
                )

    atomic_write(payment, write_payment)

    def extra(book: Workbook) -> None:  # the months the run holds (지급 보류)
        if held:
            held_sheet(book, held)

    atomic_write(register, lambda tmp: write_register(tmp, sheet, extra))
    return RunFiles(payment, register, len(rows), sum(slip.net for slip, _ in rows))
