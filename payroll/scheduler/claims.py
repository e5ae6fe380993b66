"""Timed claims on one row: the primitive under the lease and the work locks.

A claim is taken by taking over an expired (or our own) row, or else by inserting it;
only one contender can win either (the store says who). Each step is its own short
transaction, so a claim is visible to others at once. Times are UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from payroll.domain.scheduler import Claim, ClaimKind, ClaimTaken, as_utc
from payroll.services.unit_of_work import UnitOfWork

__all__ = ["Claim", "Clock", "as_utc", "extend", "holder_of", "release", "try_claim", "utcnow"]

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def try_claim(
    uow: UnitOfWork, kind: ClaimKind, key: str, holder: str, ttl: timedelta, now: datetime
) -> Claim | None:
    """Claim ``key`` for ``holder``; ``None`` if won, else the current holder's claim.

    An expired claim is taken over; a claim already held by ``holder`` is refreshed.
    """
    now = as_utc(now)
    claim = Claim(holder, now, now + ttl)
    for _attempt in range(3):  # another attempt only if the row vanished in between
        with uow:
            if uow.scheduler.take_over(kind, key, claim):
                return None
        try:
            with uow:
                uow.scheduler.insert_claim(kind, key, claim)
            return None
        except ClaimTaken:
            current = holder_of(uow, kind, key)
            if current is not None:
                return current
    raise RuntimeError(f"could not claim {kind} {key!r}: the row keeps changing")


def extend(
    uow: UnitOfWork, kind: ClaimKind, key: str, holder: str, ttl: timedelta, now: datetime
) -> bool:
    """Push the expiry of ``holder``'s claim to ``now + ttl``; ``False`` if it was lost."""
    with uow:
        return uow.scheduler.extend_claim(kind, key, holder, as_utc(now) + ttl)


def release(uow: UnitOfWork, kind: ClaimKind, key: str, holder: str) -> bool:
    """Drop ``holder``'s claim; ``False`` if it no longer held it."""
    with uow:
        return uow.scheduler.release_claim(kind, key, holder)


def holder_of(uow: UnitOfWork, kind: ClaimKind, key: str) -> Claim | None:
    """The current claim on ``key`` (expired or not), if there is a row."""
    with uow:
        return uow.scheduler.claim_of(kind, key)
