"""The scheduler's tables behind :class:`payroll.services.ports.scheduler.SchedulerStore`.

Claims live in ``scheduler_lease`` (kind ``lease``) and ``work_locks`` (kind ``work``).
A claim is taken by inserting its row, or by one ``UPDATE … WHERE expires_at < now`` that
only one contender can win (row lock on PostgreSQL, database write lock on SQLite);
``rowcount`` says who won. Each method is one statement in the unit of work's transaction.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from sqlalchemy import Column, Table, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from payroll.db.models import JobExecution, PayrollRun, SchedulerLease, WorkLock
from payroll.domain.scheduler import Claim, ClaimKind, ClaimTaken, Execution, as_utc

_CLAIMS: dict[str, tuple[Table, Column]] = {
    "lease": (SchedulerLease.__table__, SchedulerLease.__table__.c.name),
    "work": (WorkLock.__table__, WorkLock.__table__.c.work_key),
}


def _aware(value: datetime | None) -> datetime | None:
    return None if value is None else as_utc(value)


class SqlSchedulerStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    # -- claims ------------------------------------------------------------------------

    def take_over(self, kind: ClaimKind, key: str, claim: Claim) -> bool:
        table, column = _CLAIMS[kind]
        stmt = (
            update(table)
            .where(
                column == key,
                or_(table.c.expires_at < claim.acquired_at, table.c.holder == claim.holder),
            )
            .values(_values(claim))
        )
        return self.session.execute(stmt).rowcount == 1

    def insert_claim(self, kind: ClaimKind, key: str, claim: Claim) -> None:
        table, column = _CLAIMS[kind]
        try:
            self.session.execute(insert(table).values({column.name: key, **_values(claim)}))
        except IntegrityError as exc:
            raise ClaimTaken(f"{kind} {key!r} was claimed in between") from exc

    def extend_claim(self, kind: ClaimKind, key: str, holder: str, expires_at: datetime) -> bool:
        table, column = _CLAIMS[kind]
        stmt = (
            update(table)
            .where(column == key, table.c.holder == holder)
            .values(expires_at=as_utc(expires_at))
        )
        return self.session.execute(stmt).rowcount == 1

    def release_claim(self, kind: ClaimKind, key: str, holder: str) -> bool:
        table, column = _CLAIMS[kind]
        stmt = delete(table).where(column == key, table.c.holder == holder)
        return self.session.execute(stmt).rowcount == 1

    def claim_of(self, kind: ClaimKind, key: str) -> Claim | None:
        table, column = _CLAIMS[kind]
        query = select(table.c.holder, table.c.acquired_at, table.c.expires_at).where(column == key)
        row = self.session.execute(query).one_or_none()
        if row is None:
            return None
        return Claim(row.holder, as_utc(row.acquired_at), as_utc(row.expires_at))

    # -- history -----------------------------------------------------------------------

    def add_execution(self, execution: Execution) -> int:
        fields = dataclasses.asdict(execution)
        del fields["id"]
        row = JobExecution(**fields)
        self.session.add(row)
        self.session.flush()
        return row.id

    def finish_execution(
        self, execution_id: int, outcome: str, message: str, ended_at: datetime
    ) -> None:
        self.session.execute(
            update(JobExecution)
            .where(JobExecution.id == execution_id)
            .values(outcome=outcome, message=message, ended_at=ended_at)
        )

    def recent_executions(self, job_id: str | None, limit: int) -> list[Execution]:
        query = select(JobExecution).order_by(JobExecution.id.desc()).limit(limit)
        if job_id is not None:
            query = query.where(JobExecution.job_id == job_id)
        return [_execution(row) for row in self.session.scalars(query)]

    def last_success_start(self, job_id: str) -> datetime | None:
        query = (
            select(JobExecution.started_at)
            .where(JobExecution.job_id == job_id, JobExecution.outcome == "success")
            .order_by(JobExecution.id.desc())
            .limit(1)
        )
        return _aware(self.session.scalar(query))

    # -- what jobs read ----------------------------------------------------------------

    def months_finalized_since(self, since: datetime) -> list[str]:
        query = (
            select(PayrollRun.month)
            .distinct()
            .where(PayrollRun.state == "finalized", PayrollRun.finalized_at >= since)
            .order_by(PayrollRun.month)
        )
        return list(self.session.scalars(query))


def _values(claim: Claim) -> dict[str, object]:
    return {
        "holder": claim.holder,
        "acquired_at": as_utc(claim.acquired_at),
        "expires_at": as_utc(claim.expires_at),
    }


def _execution(row: JobExecution) -> Execution:
    return Execution(
        id=row.id,
        job_id=row.job_id,
        trigger=row.trigger,
        scheduled_for=_aware(row.scheduled_for),
        started_at=_aware(row.started_at),
        ended_at=_aware(row.ended_at),
        outcome=row.outcome,
        message=row.message,
    )
