"""Running one job (작업 실행), scheduled or manual, and recording it in the history.

Every job function takes a :class:`JobContext` (database, firing time in Asia/Seoul, who
runs it), calls the services with a unit of work from ``ctx.uow()`` and returns a short
message. Execution records ``running`` first, then ``success``, ``failed`` (with the
error) or ``skipped`` (the work lock was held).

The scheduler runs :func:`run_scheduled` through :class:`FiringExecutor`, which tells it
the run time the firing was scheduled for; APScheduler itself does not pass it on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pendulum
from apscheduler.executors.base import run_job
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from sqlalchemy import Engine

from payroll.composition import Root, root_of
from payroll.db.uow import SqlUnitOfWork
from payroll.privacy.rrn import redact
from payroll.scheduler import history, locks
from payroll.scheduler.definitions import resolve_func

log = logging.getLogger(__name__)
TIMEZONE = "Asia/Seoul"


@dataclass(frozen=True)
class JobContext:
    """What a job function gets: the database, when it fired and who runs it."""

    root: Root
    job_id: str
    fired_at: pendulum.DateTime  # the scheduled run time (manual: the time asked for), KST
    trigger: str  # schedule | manual
    holder: str  # names this execution in work locks

    @property
    def today(self) -> date:
        """The firing's date in Asia/Seoul."""
        return self.fired_at.date()

    @property
    def previous_month(self) -> str:
        """``YYYY-MM`` of the month before the firing's month (Asia/Seoul)."""
        return self.fired_at.start_of("month").subtract(months=1).format("YYYY-MM")

    @property
    def engine(self) -> Engine:
        return self.root.engine

    def uow(self) -> SqlUnitOfWork:
        """A new unit of work on the job's database, to pass to the services."""
        return self.root.uow()

    def lock(
        self, work_key: str, ttl: timedelta = locks.DEFAULT_TTL
    ) -> AbstractContextManager[None]:
        """Hold the work lock ``work_key``; raises ``WorkLocked`` when someone else has it.

        The lock has its own unit of work: it is taken and released in transactions of
        its own, visible to other processes at once.
        """
        return locks.work_lock(self.uow(), work_key, self.holder, ttl)


@dataclass(frozen=True)
class Outcome:
    """How an execution ended."""

    execution_id: int
    outcome: str
    message: str


def execute(
    source: Root | Engine,
    job_id: str,
    func_ref: str,
    fired_at: datetime,
    trigger: str,
    holder: str,
) -> Outcome:
    """Run the job function ``func_ref`` for the firing at ``fired_at`` and record it."""
    root = root_of(source)
    uow = root.uow()
    execution_id = history.start(uow, job_id, fired_at, trigger)
    context = JobContext(
        root=root,
        job_id=job_id,
        fired_at=pendulum.instance(fired_at).in_timezone(TIMEZONE),
        trigger=trigger,
        holder=f"{holder} ({trigger} {job_id} #{execution_id})",
    )
    try:
        result = resolve_func(func_ref, where=f"job {job_id!r}")(context)
    except locks.WorkLocked as exc:
        outcome, message = "skipped", str(exc)
        log.info("job %s skipped: %s", job_id, message)
    except Exception as exc:
        outcome, message = "failed", f"{type(exc).__name__}: {exc}"
        log.exception("job %s failed", job_id)
    else:
        outcome, message = "success", "" if result is None else str(result)
    message = redact(message)  # the history is shown to users: no resident number in it
    history.finish(uow, execution_id, outcome, message)
    return Outcome(execution_id, outcome, message)


@dataclass(frozen=True)
class Firing:
    """The scheduler's side of a firing: its database, lease holder and run time."""

    root: Root
    holder: str
    run_time: datetime


_firing: ContextVar[Firing | None] = ContextVar("payroll_scheduler_firing", default=None)


def run_scheduled(job_id: str, func_ref: str) -> str:
    """APScheduler's job function: execute ``func_ref`` for the current firing."""
    firing = _firing.get()
    if firing is None:
        raise RuntimeError(
            f"job {job_id!r} was fired outside payroll's scheduler (no FiringExecutor); "
            "use `payroll scheduler run` to run it by hand"
        )
    result = execute(firing.root, job_id, func_ref, firing.run_time, "schedule", firing.holder)
    return result.outcome


class FiringExecutor(ThreadPoolExecutor):
    """APScheduler's thread pool, telling each run which run time it was scheduled for."""

    def __init__(self, source: Root | Engine, holder: str, max_workers: int = 4) -> None:
        super().__init__(max_workers)
        self.root = root_of(source)
        self.holder = holder

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        def done(future: Any) -> None:
            exc = future.exception()
            if exc is not None:
                self._run_job_error(job.id, exc, exc.__traceback__)
            else:
                self._run_job_success(job.id, future.result())

        self._pool.submit(self._run, job, run_times).add_done_callback(done)

    def _run(self, job: Job, run_times: list[datetime]) -> list[Any]:
        events: list[Any] = []
        for run_time in run_times:
            with self._firing(run_time):
                events += run_job(job, job._jobstore_alias, [run_time], self._logger.name)
        return events

    @contextmanager
    def _firing(self, run_time: datetime) -> Iterator[None]:
        token = _firing.set(Firing(self.root, self.holder, run_time))
        try:
            yield
        finally:
            _firing.reset(token)
