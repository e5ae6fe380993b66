"""e-호조 지급명세: one run's payees for the city's e-호조 payment system."""

from __future__ import annotations

from payroll.formats.reports import transfer
from payroll.services.filings.payments import run_payments
from payroll.services.filings.reads import Filing
from payroll.services.filings.registry import FilingKind, Param
from payroll.services.unit_of_work import UnitOfWork


def payees_filing(
    uow: UnitOfWork, ref: str, full_rrn: bool = True, department: str | None = None
) -> Filing:
    run, district, program, payments = run_payments(uow, ref, full_rrn)
    sheet = transfer.payee_sheet(payments, district, department or program)
    name = f"{run.month}-{run.district_code}-{run.program_code}"
    scope = f"run {run.id} {run.month} {district} {program}"
    return KIND.filing(scope, [sheet], len(sheet.rows), name, full_rrn)


KIND = FilingKind(
    kind="payees",
    title="e-호조 지급명세",
    help_line="지급 대상자 목록",
    summary="e-호조 지급명세: 번호, 소속부서, 부서, 은행코드, 은행명, 예금주, 계좌번호, 입금액, "
    "성명, 주민등록번호.",
    button="e-호조 지급명세",
    params=(
        Param("run", "급여 실행", "Run id or MONTH/DISTRICT/PROGRAM.", "run", required=True),
        Param("department", "부서", "부서 column (default: the program's name)."),
    ),
    build=lambda uow, v, full: payees_filing(uow, v["run"] or "", full, v["department"]),
    form="run",
    full_rrn=True,
    order=60,
)
