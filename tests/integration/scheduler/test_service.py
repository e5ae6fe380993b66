"""The scheduler service in-process: job store sync, missed firings, lease, clean stop."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from payroll.db.engine import transaction
from payroll.db.models import AuditLog, SchedulerLease
from payroll.db.uow import SqlUnitOfWork
from payroll.scheduler import history
from payroll.scheduler.definitions import SEOUL, JobDefinition
from payroll.scheduler.lease import Lease, LeaseHeld
from payroll.scheduler.service import (
    LeaseLost,
    SchedulerSettings,
    build_scheduler,
    register_jobs,
    run,
    stop_scheduler,
)
from tests.support import sample_jobs

FAST = SchedulerSettings(lease_seconds=3, renew_seconds=0.2)


@pytest.fixture(autouse=True)
def _fresh_calls() -> None:
    sample_jobs.calls.clear()


def job(job_id: str = "sample", grace: int = 60, **cron: str) -> JobDefinition:
    return JobDefinition(
        id=job_id,
        func="tests.support.sample_jobs:record",
        cron=cron or {"day": "1", "hour": "2", "minute": "0"},
        misfire_grace_time=grace,
        description=f"test job {job_id}",
        source=Path("test.toml"),
    )


def stored_jobs(engine: Engine) -> dict[str, datetime | None]:
    """Job id -> next run time, as the database job store has them."""
    scheduler = build_scheduler(engine, "test-reader")
    scheduler.start(paused=True)
    try:
        return {j.id: j.next_run_time for j in scheduler.get_jobs()}
    finally:
        stop_scheduler(scheduler, wait=False)


def persist(engine: Engine, definitions: list[JobDefinition], due: dict[str, datetime]) -> None:
    """Store the jobs as a scheduler that stopped would have left them, due at ``due``."""
    scheduler = build_scheduler(engine, "earlier-run")
    scheduler.start(paused=True)
    register_jobs(scheduler, definitions)
    for job_id, when in due.items():
        scheduler.modify_job(job_id, next_run_time=when)
    stop_scheduler(scheduler, wait=False)


@contextmanager
def running(engine: Engine, definitions: list[JobDefinition]) -> Iterator[threading.Event]:
    """The scheduler service in a thread; stopped (and checked) on leaving."""
    stop = threading.Event()
    errors: list[BaseException] = []

    def target() -> None:
        try:
            run(engine, definitions, stop, FAST)
        except BaseException as exc:  # reported to the test below
            errors.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    try:
        yield stop
    finally:
        stop.set()
        thread.join(timeout=20)
    assert not thread.is_alive(), "the scheduler did not stop"
    assert not errors, errors


def wait_for(condition: Callable[[], object], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def lease_holder(engine: Engine) -> str | None:
    with transaction(engine) as session:
        return session.scalar(select(SchedulerLease.holder))


def test_jobs_are_registered_by_id_and_removed_when_no_longer_defined(engine: Engine) -> None:
    scheduler = build_scheduler(engine, "test")
    scheduler.start(paused=True)
    try:
        first = register_jobs(scheduler, [job("a"), job("b")])
        assert (first.added, first.updated, first.removed) == (["a", "b"], [], [])
        second = register_jobs(scheduler, [job("a", hour="3")])
        assert (second.added, second.updated, second.removed) == ([], ["a"], ["b"])
        (stored,) = scheduler.get_jobs()
        assert stored.id == "a"
        assert stored.coalesce is True and stored.max_instances == 1
        assert stored.misfire_grace_time == 60
        assert stored.next_run_time.hour == 3  # the changed trigger is used
        assert str(stored.next_run_time.tzinfo) == "Asia/Seoul"
    finally:
        stop_scheduler(scheduler, wait=False)


def test_a_firing_missed_during_downtime_runs_once_within_the_grace_time(engine: Engine) -> None:
    due = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=5)
    definitions = [job("sample", grace=60)]
    persist(engine, definitions, {"sample": due})

    with running(engine, definitions):
        wait_for(
            lambda: any(
                r.outcome == "success" for r in history.recent(SqlUnitOfWork(engine), "sample")
            )
        )
        time.sleep(0.5)  # would a second execution follow?

    once = [("sample", due.astimezone(SEOUL).isoformat(), "schedule")]
    assert sample_jobs.calls == once
    (row,) = history.recent(SqlUnitOfWork(engine), "sample")
    assert (row.outcome, row.trigger, row.scheduled_for) == ("success", "schedule", due)
    assert row.message.startswith("month ")
    # the next firing is the next 1st of a month at 02:00 KST
    nxt = stored_jobs(engine)["sample"]
    assert nxt is not None and nxt > datetime.now(UTC)
    assert (nxt.day, nxt.hour, nxt.minute) == (1, 2, 0)


def test_a_firing_missed_beyond_the_grace_time_is_recorded_as_missed(engine: Engine) -> None:
    due = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=120)
    definitions = [job("sample", grace=60)]
    persist(engine, definitions, {"sample": due})

    with running(engine, definitions):
        wait_for(lambda: history.recent(SqlUnitOfWork(engine), "sample"))
        time.sleep(0.5)

    assert sample_jobs.calls == [], "a firing outside its grace time must not run"
    (row,) = history.recent(SqlUnitOfWork(engine), "sample")
    assert (row.outcome, row.scheduled_for) == ("missed", due)
    assert "grace time of 60 s" in row.message
    assert stored_jobs(engine)["sample"] > datetime.now(UTC)  # type: ignore[operator]


def test_a_second_scheduler_is_refused_and_the_first_releases_on_stop(engine: Engine) -> None:
    with running(engine, [job("sample")]):
        wait_for(lambda: lease_holder(engine))
        holder = lease_holder(engine)
        with pytest.raises(LeaseHeld) as caught:
            run(engine, [job("sample")], threading.Event(), FAST)
        assert f"held by {holder}" in str(caught.value)
    assert lease_holder(engine) is None, "a clean stop releases the lease"
    with transaction(engine) as session:
        actions = session.scalars(
            select(AuditLog.action).where(AuditLog.entity_id == holder).order_by(AuditLog.id)
        ).all()
    assert actions == ["scheduler.start", "scheduler.stop"]


def test_a_scheduler_that_loses_its_lease_stops(engine: Engine) -> None:
    stop = threading.Event()
    errors: list[BaseException] = []

    def target() -> None:
        try:
            run(engine, [job("sample")], stop, FAST)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    wait_for(lambda: lease_holder(engine))
    with transaction(engine) as session:  # as if it stalled and another one took over
        session.execute(update(SchedulerLease).values(holder="thief:1:x"))
    thread.join(timeout=10)
    stop.set()
    assert not thread.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], LeaseLost)
    assert lease_holder(engine) == "thief:1:x", "the new holder's lease is left alone"


def test_a_stale_lease_of_a_crashed_scheduler_is_taken_over(engine: Engine) -> None:
    crashed = Lease(SqlUnitOfWork(engine), ttl=timedelta(seconds=1))
    crashed.acquire()  # and never renewed
    time.sleep(1.2)
    with running(engine, [job("sample")]):
        wait_for(lambda: lease_holder(engine) not in (None, crashed.holder))


def test_a_firing_while_the_previous_one_still_runs_is_recorded_as_skipped(
    engine: Engine,
) -> None:
    slow = JobDefinition(
        id="sleepy",
        func="tests.support.sample_jobs:sleepy",
        cron={"second": "*"},
        misfire_grace_time=30,
        description="takes longer than its period",
        source=Path("test.toml"),
    )
    with running(engine, [slow]):
        wait_for(
            lambda: (
                {"success", "skipped"} <= {r.outcome for r in history.recent(SqlUnitOfWork(engine))}
            )
        )
    rows = history.recent(SqlUnitOfWork(engine), "sleepy", limit=100)
    skipped = [r for r in rows if r.outcome == "skipped"]
    assert all("previous execution of this job was still running" in r.message for r in skipped)
    assert all(r.scheduled_for is not None for r in skipped)
    assert not [r for r in rows if r.outcome == "running"], "the stop waited for the job"
    # never two at once: each execution started after the previous one ended
    runs = sorted((r for r in rows if r.started_at), key=lambda r: r.started_at)
    for earlier, later in zip(runs, runs[1:], strict=False):
        assert earlier.ended_at <= later.started_at
