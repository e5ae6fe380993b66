"""Approve, finalize, cancel and exclude on the fake unit of work: refusals, state changes,
audit entries and rollbacks, with no database."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from payroll.domain.model import Enrollment
from payroll.domain.report_records import ExceptionRecord
from payroll.domain.run_member import RunMember
from payroll.domain.runs import RunError, RunRecord, RunState
from payroll.services.runs.lifecycle import (
    approve_run,
    cancel_run,
    exclude_participant,
    finalize_run,
)
from tests.support.fake_uow import FakeUnitOfWork

CALCULATED_AT = datetime(2025, 4, 1, 9, tzinfo=UTC)


def a_run(uow: FakeUnitOfWork, run_id: int = 1, month: str = "2025-03", **values: object):
    fields: dict = {
        "state": RunState.CALCULATED,
        "calculated_by": "kim",
        "calculated_at": CALCULATED_AT,
        "participant_count": 0,
        "net": 0,
    }
    fields.update(values)
    return uow.runs.put(RunRecord(run_id, month, "11110", "dongheng", **fields))


def test_the_one_who_calculated_may_not_approve() -> None:
    uow = FakeUnitOfWork()
    a_run(uow)
    with pytest.raises(RunError, match="kim님이 계산한 급여는 kim님이 승인할 수 없습니다"):
        approve_run(uow, "1", "kim")
    assert uow.runs.get(1).state is RunState.CALCULATED
    assert uow.audit.log == []
    assert (uow.commits, uow.rollbacks) == (0, 1)


def test_approval_by_another_changes_the_state_and_is_audited() -> None:
    uow = FakeUnitOfWork()
    a_run(uow)
    summary = approve_run(uow, "1", "lee")
    assert summary.state == "approved"
    assert summary.district_name == "종로구"
    run = uow.runs.get(1)
    assert (run.state, run.approved_by) == (RunState.APPROVED, "lee")
    [entry] = uow.audit.entries("payroll_run", "1")
    assert (entry.actor, entry.action) == ("lee", "run.approved")
    assert uow.commits == 1


def test_open_exceptions_block_approval_until_excluded() -> None:
    uow = FakeUnitOfWork()
    a_run(uow)
    uow.runs.participants[7] = "P-7"
    uow.runs.add_exceptions(1, [ExceptionRecord("계좌 없음", enrollment_id=7)])
    with pytest.raises(RunError, match="처리되지 않은 예외 1건"):
        approve_run(uow, "1", "lee")
    exclude_participant(uow, "1", "P-7", "다음 달 지급", "lee")
    assert approve_run(uow, "1", "lee").state == "approved"
    actions = [e.action for e in uow.audit.entries("payroll_run", "1")]
    assert actions == ["run.held", "run.approved"]
    # 제외 is now a hold (지급 보류): the month is kept, to be paid once released.
    [held] = uow.carryovers.of_run(1)
    assert (held.enrollment_id, held.kind, held.released_by) == (7, "held", None)


def test_the_approver_may_not_finalize_unless_the_city_allows_it() -> None:
    uow = FakeUnitOfWork()
    a_run(uow, state=RunState.APPROVED, approved_by="lee")
    with pytest.raises(RunError, match="lee님이 승인한 급여는 lee님이 확정할 수 없습니다"):
        finalize_run(uow, "1", "lee")
    assert uow.runs.get(1).state is RunState.APPROVED
    assert uow.payslips.snapshots == {}  # rolled back with the refusal
    uow.settings.values["self_finalize"] = "on"
    assert finalize_run(uow, "1", "lee").state == "finalized"
    [entry] = uow.audit.entries("payroll_run", "1")
    assert entry.action == "run.finalized"
    assert entry.detail["separation_of_duties_relaxed"] is True
    assert uow.payslips.snapshots == {1: []}


def test_finalization_by_another_team_lead_freezes_the_run() -> None:
    uow = FakeUnitOfWork()
    a_run(uow, state=RunState.APPROVED, approved_by="lee")
    assert finalize_run(uow, "1", "park").state == "finalized"
    run = uow.runs.get(1)
    assert (run.finalized_by, run.frozen) == ("park", True)
    with pytest.raises(RunError, match="확정되었으므로 바뀌지 않습니다"):
        cancel_run(uow, "1", "park", "잘못 계산")
    [entry] = uow.audit.entries("payroll_run", "1")
    assert "separation_of_duties_relaxed" not in entry.detail


def test_a_calculated_run_is_not_finalized_before_approval() -> None:
    uow = FakeUnitOfWork()
    a_run(uow)
    message = (
        "급여 실행 1 (2025-03 11110 dongheng)은(는) 확정할 수 없습니다: "
        "지금 계산됨 상태입니다 (승인됨 상태에서만 확정)"
    )
    with pytest.raises(RunError) as refused:
        finalize_run(uow, "1", "park")
    assert str(refused.value) == message


def test_an_earlier_open_month_is_finalized_first() -> None:
    uow = FakeUnitOfWork()
    a_run(uow, 1, "2025-02")
    a_run(uow, 2, "2025-03")
    with pytest.raises(RunError, match="이전 달 2025-02 실행 1이 아직 확정되지 않았습니다"):
        approve_run(uow, "2", "lee")
    assert uow.runs.get(2).state is RunState.CALCULATED


def test_a_skipped_month_with_participants_blocks_approval() -> None:
    uow = FakeUnitOfWork()
    a_run(uow, 1, "2025-01", state=RunState.FINALIZED)
    a_run(uow, 2, "2025-03")
    enrollment = Enrollment(
        "P-1", "dongheng", date(2025, 1, 1), date(2025, 6, 30), date(1970, 1, 1)
    )
    member = RunMember(1, 1, "P-1", "11110", "004", "123", enrollment)
    uow.run_inputs.by_month["2025-02"] = [member]
    with pytest.raises(RunError, match="이전 달 2025-02에 참여자가 있는데 급여가 계산되지"):
        approve_run(uow, "2", "lee")


def test_an_enrollment_ended_after_calculation_asks_for_recalculation() -> None:
    uow = FakeUnitOfWork()
    a_run(uow)
    uow.enrollments.ended_since = lambda run_id, at: ["P-3"] if run_id == 1 else []
    with pytest.raises(RunError, match=r"종료일이 바뀌었습니다 \(P-3\)"):
        approve_run(uow, "1", "lee")


def test_cancelling_clears_the_totals() -> None:
    uow = FakeUnitOfWork()
    a_run(uow, participant_count=3, net=900_000)
    summary = cancel_run(uow, "1", "lee", "명부 오류")
    assert (summary.state, summary.participants, summary.net) == ("cancelled", 0, 0)
    [entry] = uow.audit.entries("payroll_run", "1")
    assert entry.detail == {"reason": "명부 오류"}
