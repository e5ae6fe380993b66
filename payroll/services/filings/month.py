"""The month's filings read from finalized payroll data (the pure builders are in
``payroll.formats.reports``): withholding return, simple statement, bank transfer, e-호조 payees;
the insurance filings are in ``filing_insurance``.

Every filing refuses while a run it depends on is calculated or approved (not finalized),
naming those runs. Resident registration numbers are read in full (decrypted with
``PAYROLL_RRN_KEY``) or masked, as the caller asks.
"""

from __future__ import annotations

import re
from datetime import date

from payroll.domain.calendar import month_range, next_month
from payroll.domain.report_records import RunRecord
from payroll.domain.runs import RunState
from payroll.formats.inputs import InputError
from payroll.formats.reports import simple_statement, transfer, withholding
from payroll.services.common import lookup
from payroll.services.filings import sources
from payroll.services.filings.insurance import acquisitions_filing, losses_filing
from payroll.services.filings.reads import (
    Filing,
    FilingError,
    OpenRunsError,
    finalized_slips,
    names,
    refuse_open_runs,
    rrn_of,
    run_label,
    settled_pay,
    year_totals,
)
from payroll.services.ledger.build import ScopeError, check_month
from payroll.services.runs.lifecycle import find_run
from payroll.services.unit_of_work import UnitOfWork

__all__ = [
    "Filing",
    "FilingError",
    "OpenRunsError",
    "acquisitions_filing",
    "bank_transfer_filing",
    "losses_filing",
    "payees_filing",
    "period_months",
    "simple_statement_filing",
    "withholding_return",
]


# --- 원천징수이행상황신고서 -----------------------------------------------------------------


def _district(uow: UnitOfWork, text: str | None) -> str | None:
    """The district code of ``--district`` (a ScopeError, exit 2, when it names none)."""
    try:
        return lookup.district_code(uow, text) if text else None
    except InputError as exc:
        raise ScopeError(str(exc)) from None


def withholding_return(uow: UnitOfWork, month: str, district: str | None = None) -> Filing:
    """The month's withholding return per district (A01, A02, A10) and its local-tax return."""
    check_month(month)
    with uow:
        code = _district(uow, district)
        runs = refuse_open_runs(uow, [month], code)
        if not runs:
            raise FilingError(f"{month}: 확정된 급여가 없습니다")
        districts, _ = names(uow)
        slips = finalized_slips(uow, runs)
        settled = [s for s in slips if s.enrollment.end.strftime("%Y-%m") == month]
        settled_ids = {s.slip.id for s in settled}
        ytd = year_totals(uow, (s.person.id for s in settled), f"{month[:4]}-01", month, "taxable")
        taxfinalized_slips = [
            withholding.TaxSlip(
                district=districts[s.run.district_code],
                participant_id=s.person.participant_id,
                name=s.person.name,
                taxable=s.slip.taxable,
                non_taxable=s.slip.non_taxable,
                income_tax=s.deductions.get("income_tax", 0),
                local_tax=s.deductions.get("local_income_tax", 0),
                settled=s.slip.id in settled_ids,
                year_taxable=settled_pay(s, ytd) if s.slip.id in settled_ids else 0,
                income_settlement=s.deductions.get(sources.SETTLEMENT_CODES["income_tax"], 0),
                local_settlement=s.deductions.get(sources.SETTLEMENT_CODES["local_income_tax"], 0),
            )
            for s in slips
        ]
    where = f"-{districts[code]}" if code else ""
    return Filing(
        "withholding",
        f"{month}{where}",
        withholding.sheets(taxfinalized_slips, month, next_month(month)),
        len({(t.district, t.participant_id) for t in taxfinalized_slips}),
        "none",
        csv_ok=False,
        default_name=f"withholding-{month}{where}.xlsx",
    )


# --- 간이지급명세서 ------------------------------------------------------------------------


def period_months(month: str | None, half: str | None) -> tuple[str, list[str], date, date]:
    """(label, months, first day, last day) of ``--month 2025-03`` or ``--half 2025-H1``."""
    if bool(month) == bool(half):
        raise FilingError(
            "--month 또는 --half 중 하나만 주세요 (예: --month 2025-03, --half 2025-H1)"
        )
    if month:
        check_month(month)
        first, last = month_range(month)
        return f"{int(month[5:])}월", [month], first, last
    found = re.fullmatch(r"(\d{4})-?H([12])", (half or "").strip(), re.IGNORECASE)
    if not found:
        raise FilingError(f"--half {half!r}: 2025-H1(상반기) 또는 2025-H2(하반기) 형식으로 주세요")
    year, part = int(found[1]), int(found[2])
    months = [f"{year:04d}-{m:02d}" for m in range(1 + 6 * (part - 1), 7 + 6 * (part - 1))]
    first, _ = month_range(months[0])
    _, last = month_range(months[-1])
    return ("상반기" if part == 1 else "하반기"), months, first, last


def simple_statement_filing(
    uow: UnitOfWork, month: str | None = None, half: str | None = None, full_rrn: bool = True
) -> Filing:
    label, months, first, last = period_months(month, half)
    with uow:
        runs = refuse_open_runs(uow, months)
        if not runs:
            raise FilingError(f"{months[0]}..{months[-1]}: 확정된 급여가 없습니다")
        districts, _ = names(uow)
        slips = [
            simple_statement.PaySlip(
                districts[s.run.district_code],
                s.person.participant_id,
                s.person.name,
                rrn_of(s.person, full_rrn),
                s.enrollment.start,
                s.enrollment.end,
                s.slip.taxable,
                s.slip.non_taxable,
            )
            for s in finalized_slips(uow, runs)
        ]
    scope = month or (half or "").upper()
    sheet = simple_statement.sheet(slips, first.year, label, first, last)
    return Filing(
        "simple-statement",
        scope,
        [sheet],
        len(sheet.rows),
        "full" if full_rrn else "masked",
        csv_ok=True,
        default_name=f"simple-statement-{scope}.xlsx",
    )


# --- 대량이체 · e-호조 -----------------------------------------------------------------------


def _run_payments(
    uow: UnitOfWork, ref: str, full_rrn: bool
) -> tuple[RunRecord, str, str, list[transfer.Payment]]:
    with uow:
        run = find_run(uow, ref)
        districts, programs = names(uow)
        if run.state != RunState.FINALIZED:
            raise OpenRunsError(
                f"{run_label(run, districts, programs)}: 확정(finalize)된 급여만 "
                "이체·지급 자료로 씁니다"
            )
        payments = []
        for s in finalized_slips(uow, [run]):
            to = sources.payee(s.person)
            payments.append(
                transfer.Payment(
                    s.person.participant_id,
                    s.person.name,
                    rrn_of(s.person, full_rrn),
                    to.bank_code,
                    to.bank_name,
                    to.account,
                    to.holder,
                    s.slip.net,
                )
            )
        return run, districts[run.district_code], programs[run.program_code], payments


def bank_transfer_filing(uow: UnitOfWork, ref: str) -> Filing:
    run, district, program, payments = _run_payments(uow, ref, full_rrn=False)
    sheet = transfer.transfer_sheet(payments, transfer.memo(district, program, run.month))
    return Filing(
        "bank-transfer",
        f"run {run.id} {run.month} {district} {program}",
        [sheet],
        len(sheet.rows),
        "none",
        csv_ok=True,
        default_name=f"bank-transfer-{run.month}-{run.district_code}-{run.program_code}.xlsx",
    )


def payees_filing(
    uow: UnitOfWork, ref: str, full_rrn: bool = True, department: str | None = None
) -> Filing:
    run, district, program, payments = _run_payments(uow, ref, full_rrn)
    sheet = transfer.payee_sheet(payments, district, department or program)
    return Filing(
        "payees",
        f"run {run.id} {run.month} {district} {program}",
        [sheet],
        len(sheet.rows),
        "full" if full_rrn else "masked",
        csv_ok=False,
        default_name=f"payees-{run.month}-{run.district_code}-{run.program_code}.xlsx",
    )
