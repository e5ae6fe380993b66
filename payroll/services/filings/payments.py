"""What the per-run filings (bank transfer, e-호조 payees) read: a finalized run's payments."""

from __future__ import annotations

from payroll.domain.report_records import RunRecord
from payroll.domain.runs import RunState
from payroll.formats.reports import transfer
from payroll.services.filings import sources
from payroll.services.filings.reads import (
    OpenRunsError,
    finalized_slips,
    names,
    rrn_of,
    run_label,
)
from payroll.services.runs.lifecycle import find_run
from payroll.services.unit_of_work import UnitOfWork


def run_payments(
    uow: UnitOfWork, ref: str, full_rrn: bool
) -> tuple[RunRecord, str, str, list[transfer.Payment]]:
    """(run, district name, program name, payments) of a finalized run; open runs refused."""
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
