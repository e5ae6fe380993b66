"""Records of the batch scheduler: timed claims (the lease, work locks) and executions.

Times are UTC-aware; :func:`as_utc` turns a stored time (SQLite gives back naive UTC) or a
given one into that form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from payroll.domain.model import PayrollError

ClaimKind = Literal["lease", "work"]  # the scheduler lease, or a work lock
OUTCOMES = ("running", "success", "failed", "missed", "skipped")


def as_utc(value: datetime) -> datetime:
    """A stored or given time as UTC-aware (SQLite gives back naive UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True)
class Claim:
    """Who holds a row and until when."""

    holder: str
    acquired_at: datetime
    expires_at: datetime


class ClaimTaken(PayrollError):
    """The claim's row was inserted by someone else in between (the insert lost the race)."""


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
