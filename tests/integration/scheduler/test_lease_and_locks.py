"""The scheduler lease and the work locks (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pendulum
import pytest
from sqlalchemy import Engine, select

from payroll.db.engine import transaction
from payroll.db.models import SchedulerLease, WorkLock
from payroll.db.uow import SqlUnitOfWork
from payroll.scheduler import history, locks
from payroll.scheduler.execution import execute
from payroll.scheduler.lease import Lease, LeaseHeld, new_holder
from tests.support import sample_jobs
from tests.support.fakes_scheduler import ManualClock


@pytest.fixture(autouse=True)
def _fresh_calls() -> None:
    sample_jobs.calls.clear()


def test_a_second_scheduler_is_refused_until_the_lease_expires(engine: Engine) -> None:
    clock = ManualClock()
    first = Lease(SqlUnitOfWork(engine), ttl=timedelta(seconds=60), clock=clock)
    second = Lease(SqlUnitOfWork(engine), ttl=timedelta(seconds=60), clock=clock)
    first.acquire()

    clock.advance(59)
    with pytest.raises(LeaseHeld) as caught:
        second.acquire()
    assert first.holder in str(caught.value)
    assert "already running" in str(caught.value)

    assert first.renew()  # renewed: valid 60 s from now
    clock.advance(59)
    with pytest.raises(LeaseHeld):
        second.acquire()

    clock.advance(2)  # the first holder crashed: no renewal, the lease ran out
    second.acquire()
    current = second.current()
    assert current is not None and current.holder == second.holder
    assert not first.renew(), "the old holder must learn it lost the lease"
    assert not first.release(), "the old holder must not release the new holder's lease"
    assert second.current() is not None


def test_a_clean_stop_releases_the_lease_at_once(engine: Engine) -> None:
    first = Lease(SqlUnitOfWork(engine))
    first.acquire()
    assert first.release()
    with transaction(engine) as session:
        assert session.scalars(select(SchedulerLease)).all() == []
    second = Lease(SqlUnitOfWork(engine))
    second.acquire()
    assert second.current().holder == second.holder  # type: ignore[union-attr]


def test_only_one_of_many_racing_acquirers_gets_the_lease(engine: Engine) -> None:
    leases = [Lease(SqlUnitOfWork(engine)) for _ in range(6)]
    barrier = threading.Barrier(len(leases))
    won: list[str] = []
    refused: list[str] = []

    def contend(lease: Lease) -> None:
        barrier.wait()
        try:
            lease.acquire()
            won.append(lease.holder)
        except LeaseHeld as exc:
            refused.append(str(exc))

    threads = [threading.Thread(target=contend, args=(lease,)) for lease in leases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(won) == 1
    assert len(refused) == 5
    assert all(won[0] in message for message in refused)


def test_an_expired_work_lock_is_taken_over(engine: Engine) -> None:
    clock = ManualClock()
    ttl = timedelta(minutes=10)
    locks.acquire(SqlUnitOfWork(engine), "calculate:2025-02", "crashed-worker", ttl, clock)
    with pytest.raises(locks.WorkLocked, match="crashed-worker"):
        locks.acquire(SqlUnitOfWork(engine), "calculate:2025-02", "other", ttl, clock)
    locks.acquire(
        SqlUnitOfWork(engine), "calculate:2025-03", "other", ttl, clock
    )  # another key is free
    clock.advance(601)
    locks.acquire(SqlUnitOfWork(engine), "calculate:2025-02", "other", ttl, clock)
    assert not locks.release(SqlUnitOfWork(engine), "calculate:2025-02", "crashed-worker")
    assert locks.release(SqlUnitOfWork(engine), "calculate:2025-02", "other")
    with transaction(engine) as session:
        assert session.scalars(select(WorkLock.work_key)).all() == ["calculate:2025-03"]


def test_racing_runs_of_a_locked_job_do_the_work_once(engine: Engine) -> None:
    fired = pendulum.datetime(2025, 3, 1, 2, 0, tz="Asia/Seoul")
    barrier = threading.Barrier(2)
    outcomes = []

    def run(trigger: str) -> None:
        barrier.wait()
        outcomes.append(
            execute(
                engine,
                "sample",
                "tests.support.sample_jobs:slow_locked",
                fired,
                trigger,
                new_holder(),
            )
        )

    threads = [threading.Thread(target=run, args=(t,)) for t in ("schedule", "manual")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(o.outcome for o in outcomes) == ["skipped", "success"]
    assert len(sample_jobs.calls) == 1, "the work must be done once"
    winner = next(o for o in outcomes if o.outcome == "success")
    loser = next(o for o in outcomes if o.outcome == "skipped")
    assert "work 'sample:2025-02' is already being done by" in loser.message
    assert f"#{winner.execution_id})" in loser.message  # names the winning execution
    rows = {r.id: r for r in history.recent(SqlUnitOfWork(engine), "sample")}
    assert rows[loser.execution_id].outcome == "skipped"
    assert rows[loser.execution_id].message == loser.message
    assert rows[winner.execution_id].outcome == "success"
    assert rows[winner.execution_id].message == "month 2025-02"
    with transaction(engine) as session:
        assert session.scalars(select(WorkLock)).all() == [], "the lock is released"

    # the work is repeatable afterwards (the services are idempotent)
    again = execute(
        engine, "sample", "tests.support.sample_jobs:slow_locked", fired, "manual", new_holder()
    )
    assert again.outcome == "success"


def test_a_failing_job_is_recorded_with_its_error(engine: Engine) -> None:
    fired = pendulum.datetime(2025, 3, 1, 2, 0, tz="Asia/Seoul")
    result = execute(
        engine, "broken", "tests.support.sample_jobs:boom", fired, "schedule", new_holder()
    )
    assert result.outcome == "failed"
    (row,) = history.recent(SqlUnitOfWork(engine), "broken")
    assert row.outcome == "failed"
    assert row.message == "PayrollError: boom at 2025-03-01T02:00:00+09:00"
    assert row.scheduled_for == fired
    assert row.started_at is not None and row.ended_at is not None
    assert row.started_at <= row.ended_at
