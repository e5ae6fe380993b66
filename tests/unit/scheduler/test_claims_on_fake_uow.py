"""The lease, work locks and history over the in-memory unit of work (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from payroll.scheduler import history, locks
from payroll.scheduler.lease import Lease, LeaseHeld
from tests.support.fake_uow import FakeUnitOfWork
from tests.support.fakes_scheduler import ManualClock


def test_a_second_holder_is_refused_while_the_first_is_alive() -> None:
    uow, clock = FakeUnitOfWork(), ManualClock()
    first = Lease(uow, ttl=timedelta(seconds=60), holder="host-a:1:x", clock=clock)
    second = Lease(uow, ttl=timedelta(seconds=60), holder="host-b:2:y", clock=clock)
    first.acquire()
    clock.advance(30)
    with pytest.raises(LeaseHeld, match="held by host-a:1:x") as caught:
        second.acquire()
    assert "2025-03-01 11:00:00 KST" in str(caught.value)  # since, in Seoul time
    assert first.renew()
    clock.advance(59)
    with pytest.raises(LeaseHeld):
        second.acquire()
    assert uow.scheduler.claim_of("lease", "scheduler").holder == "host-a:1:x"  # type: ignore[union-attr]
    assert uow.rollbacks == 2, "each refused take-over left nothing behind"


def test_an_expired_lease_is_taken_over_and_the_old_holder_learns_it() -> None:
    uow, clock = FakeUnitOfWork(), ManualClock()
    first = Lease(uow, ttl=timedelta(seconds=60), holder="a", clock=clock)
    second = Lease(uow, ttl=timedelta(seconds=60), holder="b", clock=clock)
    first.acquire()
    clock.advance(61)
    second.acquire()
    assert second.current().holder == "b"  # type: ignore[union-attr]
    assert not first.renew() and first.expires_at is None
    assert not first.release(), "the old holder must not release the new holder's lease"
    assert second.release()
    assert second.current() is None


def test_a_work_lock_is_released_when_the_work_fails() -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(RuntimeError, match="boom"), locks.work_lock(uow, "ledger:2025-02", "a"):
        with pytest.raises(locks.WorkLocked, match="already being done by a"):
            locks.acquire(uow, "ledger:2025-02", "b")
        raise RuntimeError("boom")
    assert uow.scheduler.claims == {}
    locks.acquire(uow, "ledger:2025-02", "b")


def test_the_history_records_and_truncates_and_refuses_unknown_outcomes() -> None:
    uow = FakeUnitOfWork()
    fired = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)
    run_id = history.start(uow, "calc", fired, "schedule")
    with pytest.raises(ValueError, match="unknown job outcome"):
        history.finish(uow, run_id, "exploded", "x")
    history.finish(uow, run_id, "success", "y" * 5000)
    history.note(uow, "calc", fired, "missed", "not running")
    latest, first = history.recent(uow, "calc")
    assert (latest.outcome, latest.started_at) == ("missed", None)
    assert first.outcome == "success" and len(first.message) == history.MESSAGE_LIMIT
    assert history.last_success_start(uow, "calc") == first.started_at
    with pytest.raises(ValueError, match="naive"):
        history.start(uow, "calc", datetime(2025, 3, 1), "manual")
