"""Work locks (작업 잠금): one holder at a time per unit of batch work.

A job takes the lock of its work key (e.g. ``calculate:2025-03``) before calling the
service, so a manual run racing a scheduled one does the work once; the loser is told who
holds it. A crashed holder's lock expires after its time to live.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from payroll.domain.model import PayrollError
from payroll.scheduler import claims
from payroll.scheduler.claims import Claim, Clock, utcnow
from payroll.scheduler.lease import seoul
from payroll.services.unit_of_work import UnitOfWork

DEFAULT_TTL = timedelta(hours=6)


class WorkLocked(PayrollError):
    """The work is being done by another holder."""

    def __init__(self, work_key: str, claim: Claim) -> None:
        self.work_key = work_key
        self.claim = claim
        super().__init__(
            f"work {work_key!r} is already being done by {claim.holder} "
            f"(since {seoul(claim.acquired_at)}, lock expires {seoul(claim.expires_at)})"
        )


def acquire(
    uow: UnitOfWork,
    work_key: str,
    holder: str,
    ttl: timedelta = DEFAULT_TTL,
    clock: Clock = utcnow,
) -> None:
    """Take the lock of ``work_key`` or raise :class:`WorkLocked`."""
    held = claims.try_claim(uow, "work", work_key, holder, ttl, clock())
    if held is not None:
        raise WorkLocked(work_key, held)


def release(uow: UnitOfWork, work_key: str, holder: str) -> bool:
    """Give the lock of ``work_key`` up; ``False`` if ``holder`` no longer had it."""
    return claims.release(uow, "work", work_key, holder)


@contextmanager
def work_lock(
    uow: UnitOfWork, work_key: str, holder: str, ttl: timedelta = DEFAULT_TTL
) -> Iterator[None]:
    """Hold the lock of ``work_key`` for the ``with`` block (released even on error)."""
    acquire(uow, work_key, holder, ttl)
    try:
        yield
    finally:
        release(uow, work_key, holder)
