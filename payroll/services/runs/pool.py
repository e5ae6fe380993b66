"""A month's independent (district, program) runs calculated in worker processes.

Each worker opens its own unit of work from a picklable factory (its own engine and
connections) and calculates whole runs, one transaction each, exactly as
:func:`payroll.services.runs.calculate_runs` does in one process. A run that fails is
reported with its district and program; the other runs are calculated and stored all the
same.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

from payroll.domain.model import PayrollError
from payroll.domain.run_member import RunMember
from payroll.services.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
"""Makes a new unit of work with its own engine; must pickle (e.g. a ``functools.partial``
of a module-level function)."""

Calculate = Callable[..., Any]
"""Calculates one run: ``(uow, district, program, members, *shared)`` → its summary; a
module-level function (it is pickled by name)."""


@dataclass(frozen=True)
class Task:
    district: str
    program: str
    members: Sequence[RunMember]


_WORKER: dict[str, Any] = {}


def _init_worker(
    caller: int,
    env: dict[str, str],
    factory: UowFactory,
    calculate: Calculate,
    shared: tuple[Any, ...],
) -> None:
    os.environ.update(env)  # the forkserver may predate the caller's settings
    _WORKER.update(uow=factory(), calculate=calculate, shared=shared)
    threading.Thread(target=_watch, args=(caller,), daemon=True).start()


def _watch(caller: int) -> None:
    """End this worker when the command that started it is gone (killed, even by
    SIGKILL): its run's open transaction is rolled back by the database, as a killed
    one-process calculation's is, and no worker is left waiting for work forever."""
    while True:
        time.sleep(WATCH_SECONDS)
        try:
            os.kill(caller, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass  # alive, as another user (cannot happen for our own caller)


WATCH_SECONDS = 0.5


def _run_task(task: Task) -> tuple[Any, str | None]:
    """(summary, None), or (None, the Korean reason) when the run failed."""
    try:
        return _WORKER["calculate"](
            _WORKER["uow"], task.district, task.program, task.members, *_WORKER["shared"]
        ), None
    except Exception as exc:  # noqa: BLE001 - one run's failure must not stop the others
        return None, _reason(exc)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, PayrollError):
        return str(exc)
    return f"예상하지 못한 오류로 저장하지 않았습니다 ({type(exc).__name__}: {exc})"


def _context(factory: UowFactory) -> multiprocessing.context.BaseContext:
    """forkserver where available: workers never inherit the caller's open connections;
    the calculation and the factory's module are imported once, before the workers fork."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        maker = getattr(factory, "func", factory)  # a functools.partial's function
        ctx.set_forkserver_preload(["payroll.services.runs.lifecycle", maker.__module__])
        return ctx
    return multiprocessing.get_context("spawn")


def start_early(factory: UowFactory) -> None:
    """Start the forkserver now: it imports the calculation while the caller reads the
    month's runs, and the pool's workers fork from it ready (it is started once, and
    :func:`calculate_in_pool` would otherwise start it and wait for its imports)."""
    if _context(factory).get_start_method() == "forkserver":
        multiprocessing.forkserver.ensure_running()


def calculate_in_pool(
    factory: UowFactory,
    calculate: Calculate,
    tasks: Sequence[Task],
    shared: tuple[Any, ...],
    workers: int,
    progress: Callable[[int], None] | None = None,
) -> list[tuple[Any, str | None]]:
    """Each task's (summary, failure), in the order of ``tasks``; ``progress`` is called
    with a run's participant count as it finishes."""
    env = {k: v for k, v in os.environ.items() if k.startswith("PAYROLL_")}
    results: list[tuple[Any, str | None]] = [(None, None)] * len(tasks)
    # the largest runs first, so that no worker is left with a big one at the end
    order = sorted(range(len(tasks)), key=lambda i: -len(tasks[i].members))
    with ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)),
        mp_context=_context(factory),
        initializer=_init_worker,
        initargs=(os.getpid(), env, factory, calculate, shared),
    ) as pool:
        futures = {pool.submit(_run_task, tasks[i]): i for i in order}
        for future in as_completed(futures):
            index = futures[future]
            try:
                results[index] = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker died: that run failed
                results[index] = (None, _reason(exc))
            if progress:
                progress(len(tasks[index].members))
    return results
