"""The scheduler service (예약 작업 서비스): APScheduler 3 over the project's database.

One process per database (the lease), jobs from ``schedules/*.toml`` registered under
their ids in the ``apscheduler_jobs`` store, Asia/Seoul time, coalesced firings, one
instance per job. A firing missed while the service was down runs at start-up if it is
still within the job's grace time, and is recorded as ``missed`` otherwise.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from apscheduler.events import (
    EVENT_JOB_ERROR,
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobExecutionEvent,
    JobSubmissionEvent,
)
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from payroll.composition import Root, root_of
from payroll.domain.model import PayrollError
from payroll.scheduler import history
from payroll.scheduler.definitions import SEOUL, JobDefinition
from payroll.scheduler.execution import FiringExecutor, run_scheduled
from payroll.scheduler.lease import Lease, seoul
from payroll.services.common import audit

log = logging.getLogger(__name__)
JOBS_TABLE = "apscheduler_jobs"
JOBSTORE = "default"


class LeaseLost(PayrollError):
    """The running scheduler could not keep its lease and stopped."""


@dataclass(frozen=True)
class SchedulerSettings:
    """Lease timing and pool size; ``PAYROLL_SCHEDULER_LEASE_SECONDS`` etc. override."""

    lease_seconds: float = 60.0
    renew_seconds: float = 20.0
    max_workers: int = 4

    def __post_init__(self) -> None:
        if not 0 < self.renew_seconds < self.lease_seconds:
            raise PayrollError(
                f"scheduler settings: renew every {self.renew_seconds}s must be positive and "
                f"shorter than the lease of {self.lease_seconds}s"
            )
        if self.max_workers < 1:
            raise PayrollError("scheduler settings: max_workers must be at least 1")

    @classmethod
    def from_env(cls, **given: Any) -> SchedulerSettings:
        """Defaults, then the environment, then the non-``None`` values in ``given``."""
        values: dict[str, Any] = {}
        for name, kind in (
            ("lease_seconds", float),
            ("renew_seconds", float),
            ("max_workers", int),
        ):
            text = os.environ.get(f"PAYROLL_SCHEDULER_{name.upper()}")
            if text:
                try:
                    values[name] = kind(text)
                except ValueError as exc:
                    raise PayrollError(
                        f"PAYROLL_SCHEDULER_{name.upper()}={text!r} is not a number"
                    ) from exc
        values.update({k: v for k, v in given.items() if v is not None})
        return cls(**values)


@dataclass
class SyncReport:
    """What registering the definitions changed in the job store."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def build_scheduler(
    source: Root | Engine, holder: str, max_workers: int = 4
) -> BackgroundScheduler:
    """A scheduler on the database job store (the table exists: created by migration 0003)."""
    root = root_of(source)
    return BackgroundScheduler(
        jobstores={JOBSTORE: SQLAlchemyJobStore(engine=root.engine, tablename=JOBS_TABLE)},
        executors={"default": FiringExecutor(root, holder, max_workers)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=SEOUL,
    )


def register_jobs(scheduler: BackgroundScheduler, definitions: list[JobDefinition]) -> SyncReport:
    """Put every definition in the store under its id; remove stored jobs no longer defined.

    A stored job whose trigger is unchanged keeps its next run time, so a firing that fell
    due while the service was down is still run (or reported missed) after the restart.
    """
    report = SyncReport()
    stored = {job.id: job for job in scheduler.get_jobs()}
    for definition in definitions:
        trigger = definition.trigger()
        options: dict[str, Any] = {}
        old = stored.get(definition.id)
        if old is not None and repr(old.trigger) == repr(trigger) and old.next_run_time:
            options["next_run_time"] = old.next_run_time
        scheduler.add_job(
            run_scheduled,
            trigger=trigger,
            args=(definition.id, definition.func),
            id=definition.id,
            name=definition.description or definition.id,
            misfire_grace_time=definition.misfire_grace_time,
            coalesce=True,
            max_instances=1,
            replace_existing=True,
            **options,
        )
        (report.updated if old is not None else report.added).append(definition.id)
    for job_id in sorted(stored.keys() - {d.id for d in definitions}):
        scheduler.remove_job(job_id)
        report.removed.append(job_id)
    return report


def next_fire_times(definitions: list[JobDefinition], now: datetime) -> dict[str, datetime | None]:
    """Each job's next firing after ``now``, in Asia/Seoul, from its trigger alone."""
    return {d.id: d.trigger().get_next_fire_time(None, now.astimezone(SEOUL)) for d in definitions}


def _listen(scheduler: BackgroundScheduler, root: Root, grace: dict[str, int]) -> None:
    def missed(event: JobExecutionEvent) -> None:
        history.note(
            root.uow(),
            event.job_id,
            event.scheduled_run_time,
            "missed",
            f"firing of {seoul(event.scheduled_run_time)} missed: the scheduler was not running "
            f"within its grace time of {grace.get(event.job_id, '?')} s",
        )

    def busy(event: JobSubmissionEvent) -> None:
        history.note(
            root.uow(),
            event.job_id,
            event.scheduled_run_times[-1],
            "skipped",
            "the previous execution of this job was still running",
        )

    def error(event: JobExecutionEvent) -> None:
        log.error("job %s could not be run or recorded: %s", event.job_id, event.exception)

    scheduler.add_listener(missed, EVENT_JOB_MISSED)
    scheduler.add_listener(busy, EVENT_JOB_MAX_INSTANCES)
    scheduler.add_listener(error, EVENT_JOB_ERROR)


def run(
    source: Root | Engine,
    definitions: list[JobDefinition],
    stop: threading.Event,
    settings: SchedulerSettings | None = None,
    lease: Lease | None = None,
) -> None:
    """Run the scheduler until ``stop`` is set, then finish the running jobs and return.

    Raises ``LeaseHeld`` (naming the holder) when another scheduler runs on the database,
    and ``LeaseLost`` when the lease could not be renewed in time.
    """
    root = root_of(source)
    settings = settings or SchedulerSettings()
    for definition in definitions:
        definition.resolve()
    lease = lease or Lease(root.uow(), ttl=timedelta(seconds=settings.lease_seconds))
    scheduler = build_scheduler(root, lease.holder, settings.max_workers)
    _listen(scheduler, root, {d.id: d.misfire_grace_time for d in definitions})
    lease.acquire()
    log.info("scheduler lease taken by %s", lease.holder)
    lost = False
    try:
        scheduler.start(paused=True)
        report = register_jobs(scheduler, definitions)
        _audit(root, lease.holder, "scheduler.start", **vars(report))
        scheduler.resume()
        while not stop.wait(settings.renew_seconds):
            if not _renew(lease):
                lost = True
                break
    finally:
        stop_scheduler(scheduler)
        if not lost:
            _release(lease)
        _audit(root, lease.holder, "scheduler.stop", lease_lost=lost)
        log.info("scheduler %s stopped", lease.holder)
    if lost:
        raise LeaseLost(
            f"scheduler {lease.holder} lost its lease (not renewed within "
            f"{settings.lease_seconds:g} s); stopped so that no job runs twice"
        )


def stop_scheduler(scheduler: BackgroundScheduler, wait: bool = True) -> None:
    """Stop firing, keep the store as it is, and (``wait``) let running jobs finish.

    APScheduler 3 looks for due jobs once more after ``shutdown()`` and would advance the
    next run time of a job due at that moment without running it; detaching the job store
    first leaves such a firing in the store for the next start.
    """
    if not scheduler.running:
        return
    scheduler.pause()
    scheduler.remove_jobstore(JOBSTORE, shutdown=False)
    scheduler.shutdown(wait=wait)


def _renew(lease: Lease) -> bool:
    """Renew; a database error is tolerated while the lease has not yet expired."""
    expires = lease.expires_at
    try:
        return lease.renew()
    except SQLAlchemyError as exc:
        log.warning("could not renew the scheduler lease: %s", exc)
        lease.expires_at = expires
        return expires is not None and lease.clock() < expires


def _release(lease: Lease) -> None:
    try:
        lease.release()
    except SQLAlchemyError as exc:
        log.warning("could not release the scheduler lease (it will expire): %s", exc)


def _audit(root: Root, holder: str, action: str, **detail: Any) -> None:
    try:
        with root.uow() as uow:
            audit.record(uow, holder, action, "scheduler", holder, **detail)
    except SQLAlchemyError as exc:
        log.warning("could not record %s in the audit log: %s", action, exc)
