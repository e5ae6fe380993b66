"""How many processes calculate a month's runs (``PAYROLL_WORKERS``)."""

from __future__ import annotations

import os

import pytest

from payroll.config.settings import calculation_workers

PG = "postgresql+psycopg://payroll@db/payroll"
SQLITE = "sqlite:///payroll.db"


def test_by_default_postgresql_uses_every_core_and_sqlite_one_writer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PAYROLL_WORKERS", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    assert calculation_workers(PG) == 6
    assert calculation_workers(SQLITE) == 1


def test_a_set_number_is_obeyed_on_either_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAYROLL_WORKERS", " 3 ")
    assert calculation_workers(PG) == calculation_workers(SQLITE) == 3
    monkeypatch.setenv("PAYROLL_WORKERS", "0")
    assert calculation_workers(PG) == 1  # never fewer than the command's own process


def test_a_setting_that_is_not_a_number_is_refused_in_korean(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PAYROLL_WORKERS", "two")
    with pytest.raises(ValueError, match="PAYROLL_WORKERS='two': 1 이상의 정수로 지정하세요"):
        calculation_workers(PG)


def test_the_caller_is_one_of_the_workers_and_takes_the_smallest_runs() -> None:
    """Each run is calculated exactly once, in the caller or in a worker; of two workers
    the caller is one (a single worker process), it takes the smallest runs from the start
    (the worker is slow to start) and the worker the largest."""
    from functools import partial

    from payroll.services.runs.pool import Task, calculate_in_pool
    from tests.support.pool_probe import recorded, slow_start

    tasks = [Task(f"d{i:02d}", "dongheng", size=100 + i) for i in range(24)]
    advanced: list[int] = []
    outcomes = calculate_in_pool(
        partial(slow_start, 1.0), recorded, tasks, (), 2, advanced.append, here="caller"
    )
    assert [why for _, why in outcomes] == [None] * 24
    assert [district for (_, _, district), _ in outcomes] == [t.district for t in tasks]
    who = [(t.size, uow) for t, ((uow, _pid, _), _) in zip(tasks, outcomes, strict=True)]
    by_caller = [size for size, uow in who if uow == "caller"]
    in_workers = [size for size, uow in who if uow == "worker"]
    assert by_caller and in_workers and len(by_caller) + len(in_workers) == 24
    assert max(by_caller) < min(in_workers)
    assert {pid for (uow, pid, _), _ in outcomes if uow == "caller"} == {os.getpid()}
    worker_pids = {pid for (uow, pid, _), _ in outcomes if uow == "worker"}
    assert len(worker_pids) == 1 and os.getpid() not in worker_pids  # two workers: one process
    assert sorted(advanced) == sorted(t.size for t in tasks)
