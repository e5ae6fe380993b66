"""What the scheduled jobs read to decide their work (which months, since when)."""

from __future__ import annotations

from datetime import datetime

from payroll.services.unit_of_work import UnitOfWork


def months_finalized_since(uow: UnitOfWork, since: datetime) -> list[str]:
    """``YYYY-MM`` of every month with a run finalized at or after ``since``, in order."""
    with uow:
        return uow.scheduler.months_finalized_since(since)
