"""The scheduler lease (스케줄러 임대): at most one scheduler per database.

APScheduler must not share its job store between processes, so ``payroll scheduler start``
first takes the lease named ``scheduler`` (kept by ``uow.scheduler``). The holder renews
it while it runs; a crashed holder loses it when it expires, and a clean stop releases it.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from payroll.domain.model import PayrollError
from payroll.scheduler import claims
from payroll.scheduler.claims import Claim, Clock, utcnow
from payroll.scheduler.definitions import SEOUL
from payroll.services.unit_of_work import UnitOfWork

LEASE_NAME = "scheduler"


def new_holder() -> str:
    """``hostname:pid:uuid``: who holds a lease or lock."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"


def seoul(value: datetime) -> str:
    """A time as ``2025-03-01 02:00:00 KST``."""
    return value.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M:%S KST")


class LeaseHeld(PayrollError):
    """Another scheduler holds the lease."""

    def __init__(self, name: str, claim: Claim) -> None:
        self.claim = claim
        super().__init__(
            f"another scheduler is already running against this database: lease {name!r} "
            f"is held by {claim.holder} (since {seoul(claim.acquired_at)}, "
            f"expires {seoul(claim.expires_at)} unless renewed)"
        )


class Lease:
    """The lease ``name`` for ``holder``, valid ``ttl`` after each acquire or renew.

    Each acquire, renew or release is its own transaction on ``uow``.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        ttl: timedelta = timedelta(seconds=60),
        holder: str | None = None,
        name: str = LEASE_NAME,
        clock: Clock = utcnow,
    ) -> None:
        self.uow = uow
        self.ttl = ttl
        self.holder = holder or new_holder()
        self.name = name
        self.clock = clock
        self.expires_at: datetime | None = None

    def acquire(self) -> None:
        """Take the lease, or raise :class:`LeaseHeld` naming the holder."""
        now = self.clock()
        held = claims.try_claim(self.uow, "lease", self.name, self.holder, self.ttl, now)
        if held is not None:
            raise LeaseHeld(self.name, held)
        self.expires_at = now + self.ttl

    def renew(self) -> bool:
        """Extend the lease; ``False`` when it was lost (expired and taken over)."""
        now = self.clock()
        if not claims.extend(self.uow, "lease", self.name, self.holder, self.ttl, now):
            self.expires_at = None
            return False
        self.expires_at = now + self.ttl
        return True

    def release(self) -> bool:
        """Give the lease up; ``False`` if it was no longer ours."""
        self.expires_at = None
        return claims.release(self.uow, "lease", self.name, self.holder)

    def current(self) -> Claim | None:
        """Whoever holds (or last held, if expired) the lease."""
        return claims.holder_of(self.uow, "lease", self.name)
