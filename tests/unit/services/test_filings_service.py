"""The filings on the fake unit of work: refusals for open runs, the export's audit entry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from payroll.domain.report_records import (
    EnrollmentRecord,
    PayslipOf,
    PayslipRecord,
    PersonRecord,
    RunRecord,
)
from payroll.formats.inputs import InputError
from payroll.services.filings.export import export
from payroll.services.filings.kinds.bank_transfer import bank_transfer_filing
from payroll.services.filings.kinds.simple_statement import simple_statement_filing
from payroll.services.filings.kinds.withholding import withholding_return
from payroll.services.filings.reads import FilingError, OpenRunsError
from payroll.services.ledger.build import ScopeError
from tests.support.fake_uow import FakeUnitOfWork

FINAL = RunRecord(1, "2025-03", "11110", "dongheng", "finalized")
OPEN = RunRecord(2, "2025-03", "11140", "dongheng", "approved")


def _slip(run: RunRecord, pk: int, net: int) -> PayslipOf:
    person = PersonRecord(
        pk, f"P{pk}", f"참여자{pk}", date(1970, 1, 1), run.district_code,
        bank="국민은행", account="123456789", bank_code="004", rrn_masked="700101-1******",
    )  # fmt: skip
    enrollment = EnrollmentRecord(pk, pk, run.program_code, date(2025, 1, 2), date(2025, 6, 30))
    slip = PayslipRecord(
        pk, run.id, pk, run.month, gross=net, insurable=net, taxable=net, non_taxable=0,
        total_deductions=0, net=net, employer_total=0, hourly_rate=10_030,
    )  # fmt: skip
    return PayslipOf(slip, run, enrollment, person)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.filings.run_list = [FINAL, OPEN]
    fake.runs.put(FINAL)
    fake.runs.put(OPEN)
    fake.filings.slips = [_slip(FINAL, 1, 1_500_000), _slip(FINAL, 2, 1_200_000)]
    return fake


def test_a_filing_is_refused_while_a_run_of_the_month_is_not_finalized(uow) -> None:
    with pytest.raises(OpenRunsError, match="확정\\(finalize\\)되지 않은 급여.*중구.*승인됨"):
        withholding_return(uow, "2025-03")
    with pytest.raises(OpenRunsError, match="run 2"):
        simple_statement_filing(uow, month="2025-03", full_rrn=False)
    assert uow.rollbacks == 2 and uow.commits == 0


def test_one_finalized_district_is_filed_alone_and_an_unknown_one_is_bad_input(uow) -> None:
    filing = withholding_return(uow, "2025-03", "종로구")
    assert (filing.kind, filing.scope, filing.people) == ("withholding", "2025-03-종로구", 2)
    with pytest.raises(ScopeError) as error:
        withholding_return(uow, "2025-03", "없는구")
    assert isinstance(error.value, InputError)
    with pytest.raises(FilingError, match="확정된 급여가 없습니다"):
        withholding_return(uow, "2025-04")


def test_bank_transfer_of_an_open_run_is_refused_and_of_a_finalized_one_is_audited(
    uow, tmp_path: Path
) -> None:
    with pytest.raises(OpenRunsError, match="확정\\(finalize\\)된 급여만"):
        bank_transfer_filing(uow, "2")
    filing = bank_transfer_filing(uow, "2025-03/종로구/동행일자리")
    assert filing.people == 2 and filing.rrn == "none"
    done = export(uow, filing, tmp_path / "transfer.csv", "담당자")
    assert done.path.exists() and not done.encrypted
    [entry] = uow.audit.log
    assert (entry.actor, entry.action, entry.entity_id) == (
        "담당자",
        "filing.exported",
        "bank-transfer",
    )
    assert entry.detail["people"] == 2 and entry.detail["format"] == "csv"
