"""The scheduler's store: timed claims (lease, work locks), the execution history, and
what its jobs read to decide their work."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from payroll.domain.scheduler import Claim, ClaimKind, Execution


class SchedulerStore(Protocol):
    # -- timed claims: one holder per (kind, key) --------------------------------------

    def take_over(self, kind: ClaimKind, key: str, claim: Claim) -> bool:
        """Give ``key`` to ``claim`` if its row has expired by ``claim.acquired_at`` or is
        already ``claim.holder``'s; ``False`` when no row was changed (none, or held)."""
        ...

    def insert_claim(self, kind: ClaimKind, key: str, claim: Claim) -> None:
        """Add the row of ``key``; raises ``ClaimTaken`` when it exists already."""
        ...

    def extend_claim(self, kind: ClaimKind, key: str, holder: str, expires_at: datetime) -> bool:
        """Move ``holder``'s expiry; ``False`` if ``holder`` no longer has ``key``."""
        ...

    def release_claim(self, kind: ClaimKind, key: str, holder: str) -> bool:
        """Delete ``holder``'s row of ``key``; ``False`` if it no longer had it."""
        ...

    def claim_of(self, kind: ClaimKind, key: str) -> Claim | None:
        """The claim on ``key`` (expired or not), if there is a row."""
        ...

    # -- the execution history ---------------------------------------------------------

    def add_execution(self, execution: Execution) -> int:
        """Record an execution (or a firing that did not run); returns its new id
        (``execution.id`` is not used)."""
        ...

    def finish_execution(
        self, execution_id: int, outcome: str, message: str, ended_at: datetime
    ) -> None:
        """Close a running execution."""
        ...

    def recent_executions(self, job_id: str | None, limit: int) -> list[Execution]:
        """The newest executions first, of one job or of all."""
        ...

    def last_success_start(self, job_id: str) -> datetime | None:
        """When the newest successful execution of ``job_id`` started, if any."""
        ...

    # -- what jobs read ----------------------------------------------------------------

    def months_finalized_since(self, since: datetime) -> list[str]:
        """``YYYY-MM`` of every month with a run finalized at or after ``since``, in order."""
        ...
