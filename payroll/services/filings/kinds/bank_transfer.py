"""대량이체 파일: bank code, account digits, 예금주, amount, passbook memo of one run."""

from __future__ import annotations

from payroll.formats.reports import transfer
from payroll.services.filings.payments import run_payments
from payroll.services.filings.reads import Filing
from payroll.services.filings.registry import FilingKind, Param
from payroll.services.unit_of_work import UnitOfWork


def bank_transfer_filing(uow: UnitOfWork, ref: str) -> Filing:
    run, district, program, payments = run_payments(uow, ref, full_rrn=False)
    sheet = transfer.transfer_sheet(payments, transfer.memo(district, program, run.month))
    name = f"{run.month}-{run.district_code}-{run.program_code}"
    return KIND.filing(
        f"run {run.id} {run.month} {district} {program}", [sheet], len(sheet.rows), name
    )


KIND = FilingKind(
    kind="bank-transfer",
    title="대량이체 파일",
    help_line="은행 이체 파일",
    summary="대량이체 파일: bank code, account digits, 예금주, amount, passbook memo.",
    button="대량이체",
    params=(Param("run", "급여 실행", "Run id or MONTH/DISTRICT/PROGRAM.", "run", required=True),),
    build=lambda uow, v, _full: bank_transfer_filing(uow, v["run"] or ""),
    form="run",
    csv=True,
    choose_format=True,
    monthly=True,
    order=50,
)
