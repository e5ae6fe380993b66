"""Calculating runs on the fake unit of work: payslips and exceptions stored, exclusions
kept across a recalculation, a finalized run left alone, a lost race rolled back."""

from __future__ import annotations

from datetime import date

import pytest

from payroll.domain.model import Enrollment
from payroll.domain.run_member import RunMember
from payroll.domain.runs import RunConflict, RunError, RunState
from payroll.services.runs.lifecycle import calculate_runs, exclude_participant
from tests.support.fake_uow import FakeUnitOfWork
from tests.support.pay import FAKE_TAX

TERM = (date(2025, 1, 2), date(2025, 6, 30))


def member(enrollment_id: int, pid: str, account: str | None) -> RunMember:
    enrollment = Enrollment(pid, "dongheng", *TERM, date(1970, 5, 1))
    return RunMember(enrollment_id, enrollment_id, pid, "11110", "004", account, enrollment)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    fake = FakeUnitOfWork()
    fake.catalog.withholding_table = lambda: FAKE_TAX  # type: ignore[attr-defined]
    fake.run_inputs.by_month["2025-03"] = [
        member(1, "P-1", "012345678901"),
        member(2, "P-2", None),
    ]
    fake.runs.participants.update({1: "P-1", 2: "P-2"})
    return fake


def test_a_calculation_stores_payslips_exceptions_and_an_audit_entry(uow) -> None:
    progress: list[int] = []
    [run] = calculate_runs(uow, "2025-03", progress=progress.append, actor="kim")
    assert (run.state, run.participants, run.exceptions) == ("calculated", 1, 1)
    assert run.district_name == "종로구" and sum(progress) == 2
    [(enrollment_id, slip)] = uow.payslips.slips[run.id]
    assert enrollment_id == 1 and run.net == slip.net > 0
    [(held, pid)] = uow.runs.exceptions(run.id)
    assert pid == "P-2" and held.reason.startswith("계좌번호 없음")
    [entry] = uow.audit.entries("payroll_run", str(run.id))
    assert entry.action == "run.calculated" and entry.detail["previous_state"] is None
    assert uow.runs.get(run.id).calculated_by == "kim"


def test_an_exclusion_survives_a_recalculation(uow) -> None:
    [run] = calculate_runs(uow, "2025-03", actor="kim")
    exclude_participant(uow, str(run.id), "P-2", "계좌 확인 중", "lee")
    [again] = calculate_runs(uow, "2025-03", actor="kim")
    assert again.id == run.id
    [(held, _pid)] = uow.runs.exceptions(run.id)
    assert (held.excluded, held.excluded_reason, held.excluded_by) == (True, "계좌 확인 중", "lee")
    assert uow.runs.open_exception_count(run.id) == 0


def test_a_finalized_run_is_left_as_it_is(uow) -> None:
    [run] = calculate_runs(uow, "2025-03", actor="kim")
    uow.runs._change(run.id, state=RunState.FINALIZED)
    [again] = calculate_runs(uow, "2025-03", actor="kim")
    assert again.note == "이미 확정됨; 바꾸지 않음"
    assert len(uow.audit.entries("payroll_run", str(run.id))) == 1


def test_a_lost_race_is_one_message_and_nothing_is_kept(uow) -> None:
    def taken(*_args: object) -> int:
        raise RunConflict("UNIQUE constraint failed")

    uow.runs.add = taken  # type: ignore[method-assign]
    with pytest.raises(RunError, match="다른 프로세스가 같은 급여를 동시에 계산해"):
        calculate_runs(uow, "2025-03", actor="kim")
    assert uow.payslips.slips == {} and uow.audit.log == []
    assert uow.rollbacks == 1
