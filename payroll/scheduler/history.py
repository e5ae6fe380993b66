"""The execution history (작업 실행 이력) of scheduled jobs, kept by ``uow.scheduler``.

Outcomes: ``running`` (started, not ended), ``success``, ``failed``, ``skipped`` (another
holder had the work, or the previous execution was still running) and ``missed`` (the
firing came back outside its grace time). Times are stored in UTC. Each function is its
own transaction on the unit of work (or joins the one open on it).
"""

from __future__ import annotations

from datetime import UTC, datetime

from payroll.domain.scheduler import OUTCOMES, Execution, as_utc
from payroll.services.unit_of_work import UnitOfWork

__all__ = [
    "MESSAGE_LIMIT",
    "OUTCOMES",
    "Execution",
    "aware",
    "finish",
    "last_success_start",
    "note",
    "recent",
    "start",
    "utcnow",
]

MESSAGE_LIMIT = 4000


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """A stored time as UTC-aware (SQLite gives back naive UTC)."""
    return None if value is None else as_utc(value)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError(f"naive time {value} given to the job history")
    return value.astimezone(UTC)


def start(uow: UnitOfWork, job_id: str, scheduled_for: datetime | None, trigger: str) -> int:
    """Record an execution as ``running`` now; returns its id."""
    with uow:
        return uow.scheduler.add_execution(
            Execution(0, job_id, trigger, _utc(scheduled_for), utcnow(), None, "running", "")
        )


def finish(uow: UnitOfWork, execution_id: int, outcome: str, message: str) -> None:
    """Close a running execution with its outcome and message."""
    _check(outcome)
    with uow:
        uow.scheduler.finish_execution(execution_id, outcome, message[:MESSAGE_LIMIT], utcnow())


def note(
    uow: UnitOfWork,
    job_id: str,
    scheduled_for: datetime | None,
    outcome: str,
    message: str,
    trigger: str = "schedule",
) -> int:
    """Record a firing that did not run (``missed`` or ``skipped``)."""
    _check(outcome)
    now = utcnow()
    with uow:
        return uow.scheduler.add_execution(
            Execution(
                0, job_id, trigger, _utc(scheduled_for), None, now, outcome, message[:MESSAGE_LIMIT]
            )
        )


def recent(uow: UnitOfWork, job_id: str | None = None, limit: int = 20) -> list[Execution]:
    """The newest executions first, of one job or of all."""
    with uow:
        return uow.scheduler.recent_executions(job_id, limit)


def last_success_start(uow: UnitOfWork, job_id: str) -> datetime | None:
    """When the newest successful execution of ``job_id`` started (UTC), if any."""
    with uow:
        return uow.scheduler.last_success_start(job_id)


def _check(outcome: str) -> None:
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown job outcome {outcome!r} (one of {OUTCOMES})")
