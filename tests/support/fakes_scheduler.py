"""An in-memory :class:`payroll.services.ports.scheduler.SchedulerStore`."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from payroll.domain.scheduler import Claim, ClaimKind, ClaimTaken, Execution


class ManualClock:
    """A clock the test moves by hand (UTC, from 2025-03-01 02:00)."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class FakeSchedulerStore:
    def __init__(self) -> None:
        self.claims: dict[tuple[str, str], Claim] = {}
        self.executions: list[Execution] = []
        self.finalized: dict[str, list[datetime]] = {}  # month → finalized_at of its runs

    def take_over(self, kind: ClaimKind, key: str, claim: Claim) -> bool:
        current = self.claims.get((kind, key))
        if current is None:
            return False
        if current.expires_at < claim.acquired_at or current.holder == claim.holder:
            self.claims[kind, key] = claim
            return True
        return False

    def insert_claim(self, kind: ClaimKind, key: str, claim: Claim) -> None:
        if (kind, key) in self.claims:
            raise ClaimTaken(f"{kind} {key!r} was claimed in between")
        self.claims[kind, key] = claim

    def extend_claim(self, kind: ClaimKind, key: str, holder: str, expires_at: datetime) -> bool:
        current = self.claims.get((kind, key))
        if current is None or current.holder != holder:
            return False
        self.claims[kind, key] = dataclasses.replace(current, expires_at=expires_at)
        return True

    def release_claim(self, kind: ClaimKind, key: str, holder: str) -> bool:
        current = self.claims.get((kind, key))
        if current is None or current.holder != holder:
            return False
        del self.claims[kind, key]
        return True

    def claim_of(self, kind: ClaimKind, key: str) -> Claim | None:
        return self.claims.get((kind, key))

    def add_execution(self, execution: Execution) -> int:
        new_id = len(self.executions) + 1
        self.executions.append(dataclasses.replace(execution, id=new_id))
        return new_id

    def finish_execution(
        self, execution_id: int, outcome: str, message: str, ended_at: datetime
    ) -> None:
        i = execution_id - 1
        self.executions[i] = dataclasses.replace(
            self.executions[i], outcome=outcome, message=message, ended_at=ended_at
        )

    def recent_executions(self, job_id: str | None, limit: int) -> list[Execution]:
        rows = [e for e in reversed(self.executions) if job_id is None or e.job_id == job_id]
        return rows[:limit]

    def last_success_start(self, job_id: str) -> datetime | None:
        for e in reversed(self.executions):
            if e.job_id == job_id and e.outcome == "success":
                return e.started_at
        return None

    def months_finalized_since(self, since: datetime) -> list[str]:
        return sorted(m for m, ats in self.finalized.items() if any(at >= since for at in ats))
