"""What the scheduled jobs read, on the in-memory unit of work (no database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pendulum

from payroll.scheduler import history, jobs
from payroll.scheduler.execution import JobContext
from payroll.services.runs import scheduled_work
from tests.support.fake_uow import FakeUnitOfWork

T = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


def test_months_with_runs_finalized_since_a_time_in_month_order() -> None:
    uow = FakeUnitOfWork()
    uow.scheduler.finalized = {
        "2025-02": [T + timedelta(minutes=5)],
        "2024-12": [T - timedelta(days=40), T],
        "2025-01": [T - timedelta(seconds=1)],
    }
    assert scheduled_work.months_finalized_since(uow, T) == ["2024-12", "2025-02"]
    assert uow.commits == 1 and uow.rollbacks == 0


@dataclass(frozen=True)
class FakeContext(JobContext):
    fake: FakeUnitOfWork | None = None

    def uow(self) -> FakeUnitOfWork:  # type: ignore[override]
        assert self.fake is not None
        return self.fake


def test_the_payslip_job_looks_back_from_its_last_success_with_an_overlap() -> None:
    uow = FakeUnitOfWork()
    run_id = history.start(uow, "render-payslips", T, "schedule")
    history.finish(uow, run_id, "success", "done")
    (last,) = history.recent(uow, "render-payslips")
    assert last.started_at is not None
    # finalized more than the overlap before the last success: already rendered then
    uow.scheduler.finalized = {"2025-02": [last.started_at - jobs.OVERLAP - timedelta(seconds=1)]}
    ctx = FakeContext(
        root=None,  # type: ignore[arg-type]
        job_id="render-payslips",
        fired_at=pendulum.instance(T).in_timezone("Asia/Seoul"),
        trigger="schedule",
        holder="test",
        fake=uow,
    )
    assert jobs.render_finalized_payslips(ctx) == "no newly finalized runs"
