"""A month's independent (district, program) runs calculated in worker processes.

Each worker opens its own unit of work from a picklable factory (its own engine and
connections) and calculates whole runs, one transaction each, exactly as
:func:`payroll.services.runs.calculate_runs` does in one process. A run that fails is
reported with its district and program; the other runs are calculated and stored all the
same. The calling process calculates runs too, with its own unit of work: of ``workers``
processes, it is one.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.forkserver
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from payroll.domain.model import PayrollError
from payroll.services.unit_of_work import UnitOfWork

UowFactory = Callable[[], UnitOfWork]
"""Makes a new unit of work with its own engine; must pickle (e.g. a ``functools.partial``
of a module-level function)."""

Calculate = Callable[..., Any]
"""Calculates one run: ``(uow, district, program, *shared)`` → its summary; a
module-level function (it is pickled by name)."""


@dataclass(frozen=True)
class Task:
    district: str
    program: str
    size: int
    """How many enrollments the run pays (the largest runs go first; progress)."""


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
    """In a worker: (summary, None), or (None, the Korean reason) when the run failed."""
    return _attempt(_WORKER["calculate"], _WORKER["uow"], task, _WORKER["shared"])


def _attempt(
    calculate: Calculate, uow: UnitOfWork, task: Task, shared: tuple[Any, ...]
) -> tuple[Any, str | None]:
    """(summary, None), or (None, the Korean reason) when the run failed."""
    try:
        return calculate(uow, task.district, task.program, *shared), None
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
    catalog and counts the month's runs, and the pool's workers fork from it ready (it is
    started once, and :func:`calculate_in_pool` would otherwise start it then)."""
    if _context(factory).get_start_method() == "forkserver":
        multiprocessing.forkserver.ensure_running()


def calculate_in_pool(
    factory: UowFactory,
    calculate: Calculate,
    tasks: Sequence[Task],
    shared: tuple[Any, ...],
    workers: int,
    progress: Callable[[int], None] | None = None,
    here: UnitOfWork | None = None,
) -> list[tuple[Any, str | None]]:
    """Each task's (summary, failure), in the order of ``tasks``; ``progress`` is called
    with a run's participant count as it finishes.

    ``workers`` processes calculate. With ``here``, its own unit of work, the calling
    process is one of them: it calculates the smallest runs for as long as any are left,
    from the start (a cold start waits ≈ 0.5 s for the forkserver's imports), and
    ``workers - 1`` worker processes take the largest first, so that none is left with a
    big one at the end.
    """
    helpers = max(1, workers - 1 if here is not None else workers)
    env = {k: v for k, v in os.environ.items() if k.startswith("PAYROLL_")}
    results: list[tuple[Any, str | None]] = [(None, None)] * len(tasks)
    pending = deque(sorted(range(len(tasks)), key=lambda i: -tasks[i].size))
    context = _context(factory)
    with ProcessPoolExecutor(
        max_workers=min(helpers, len(tasks)),
        mp_context=context,
        initializer=_init_worker,
        initargs=(os.getpid(), env, factory, calculate, shared),
    ) as pool:
        running: dict[Future[tuple[Any, str | None]], int] = {}

        def finished(index: int, outcome: tuple[Any, str | None]) -> None:
            results[index] = outcome
            if progress:
                progress(tasks[index].size)

        def hand_out() -> None:  # each worker has its next run queued behind its current one
            while len(running) < 2 * helpers:
                try:
                    index = pending.popleft()
                except IndexError:  # all handed out (or taken by this process)
                    return
                try:
                    running[pool.submit(_run_task, tasks[index])] = index
                except BaseException:
                    pending.appendleft(index)  # not lost: handed out again or raised
                    raise

        def collect(block: bool) -> None:
            if block:
                done = wait(running, return_when=FIRST_COMPLETED).done
            else:
                done = {f for f in running if f.done()}
            for future in done:
                index = running.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # noqa: BLE001 - a worker died: that run failed
                    outcome = (None, _reason(exc))
                finished(index, outcome)

        def start() -> None:
            with contextlib.suppress(Exception):  # raised again by hand_out() below
                hand_out()

        # the first submit waits for the forkserver to fork the workers: in a thread
        starting = threading.Thread(target=start, daemon=True)
        starting.start()
        while here is not None:
            if not starting.is_alive():  # the workers' runs are this thread's to follow
                collect(block=False)
                hand_out()
            try:
                index = pending.pop()
            except IndexError:
                break
            finished(index, _attempt(calculate, here, tasks[index], shared))
        starting.join()
        hand_out()  # in this thread: a pool that could not start raises here
        while running:
            collect(block=True)
            hand_out()
    return results
