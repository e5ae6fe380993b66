"""The execution history (작업 실행 이력) of scheduled jobs: table ``job_executions``.

Outcomes: ``running`` (started, not ended), ``success``, ``failed``, ``skipped`` (another
holder had the work, or the previous execution was still running) and ``missed`` (the
firing came back outside its grace time). Times are stored in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select, update

from payroll.db.engine import transaction
from payroll.db.models import JobExecution

OUTCOMES = ("running", "success", "failed", "missed", "skipped")
MESSAGE_LIMIT = 4000


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """A stored time as UTC-aware (SQLite gives back naive UTC)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError(f"naive time {value} given to the job history")
    return value.astimezone(UTC)


@dataclass(frozen=True)
class Execution:
    """One row of the history, with UTC-aware times."""

    id: int
    job_id: str
    trigger: str
    scheduled_for: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    outcome: str
    message: str


def start(engine: Engine, job_id: str, scheduled_for: datetime | None, trigger: str) -> int:
    """Record an execution as ``running`` now; returns its id."""
    with transaction(engine) as session:
        row = JobExecution(
            job_id=job_id,
            scheduled_for=_utc(scheduled_for),
            started_at=utcnow(),
            outcome="running",
            message="",
            trigger=trigger,
        )
        session.add(row)
        session.flush()
        return row.id


def finish(engine: Engine, execution_id: int, outcome: str, message: str) -> None:
    """Close a running execution with its outcome and message."""
    _check(outcome)
    with transaction(engine) as session:
        session.execute(
            update(JobExecution)
            .where(JobExecution.id == execution_id)
            .values(outcome=outcome, message=message[:MESSAGE_LIMIT], ended_at=utcnow())
        )


def note(
    engine: Engine,
    job_id: str,
    scheduled_for: datetime | None,
    outcome: str,
    message: str,
    trigger: str = "schedule",
) -> int:
    """Record a firing that did not run (``missed`` or ``skipped``)."""
    _check(outcome)
    now = utcnow()
    with transaction(engine) as session:
        row = JobExecution(
            job_id=job_id,
            scheduled_for=_utc(scheduled_for),
            started_at=None,
            ended_at=now,
            outcome=outcome,
            message=message[:MESSAGE_LIMIT],
            trigger=trigger,
        )
        session.add(row)
        session.flush()
        return row.id


def recent(engine: Engine, job_id: str | None = None, limit: int = 20) -> list[Execution]:
    """The newest executions first, of one job or of all."""
    query = select(JobExecution).order_by(JobExecution.id.desc()).limit(limit)
    if job_id is not None:
        query = query.where(JobExecution.job_id == job_id)
    with transaction(engine) as session:
        return [_execution(row) for row in session.scalars(query)]


def last_success_start(engine: Engine, job_id: str) -> datetime | None:
    """When the newest successful execution of ``job_id`` started (UTC), if any."""
    query = (
        select(JobExecution.started_at)
        .where(JobExecution.job_id == job_id, JobExecution.outcome == "success")
        .order_by(JobExecution.id.desc())
        .limit(1)
    )
    with transaction(engine) as session:
        return aware(session.scalar(query))


def _check(outcome: str) -> None:
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown job outcome {outcome!r} (one of {OUTCOMES})")


def _execution(row: JobExecution) -> Execution:
    return Execution(
        id=row.id,
        job_id=row.job_id,
        trigger=row.trigger,
        scheduled_for=aware(row.scheduled_for),
        started_at=aware(row.started_at),
        ended_at=aware(row.ended_at),
        outcome=row.outcome,
        message=row.message,
    )
