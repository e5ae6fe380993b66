"""The unit of work every service is written against: a port, with no database library.

A service receives a :class:`UnitOfWork` and does its work inside ``with uow:``. Leaving
the block without an exception commits; an exception rolls everything back. A ``with``
inside an open one joins it (the outermost block commits), so one service can call
another inside its own transaction. The stores (``uow.catalog``, ``uow.runs``, …) read
and write domain records; what they are is in :mod:`payroll.services.ports`.

The SQL implementation is :class:`payroll.db.uow.SqlUnitOfWork`; the entrypoints make
one and pass it in. Tests may pass a fake (``tests/support/fake_uow.py``).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from types import TracebackType
from typing import Protocol, Self

from payroll.services.ports.admin import AdminStore, RrnKeyStore
from payroll.services.ports.attendance import AttendanceStore
from payroll.services.ports.audit import AuditStore
from payroll.services.ports.carryovers import CarryoverStore
from payroll.services.ports.catalog import CatalogStore, NameStore, SettingStore
from payroll.services.ports.console import ConsoleStore
from payroll.services.ports.deliveries import DeliveryStore
from payroll.services.ports.enrollments import EnrollmentStore
from payroll.services.ports.filings import FilingStore
from payroll.services.ports.ledger import LedgerStore
from payroll.services.ports.participants import ParticipantStore
from payroll.services.ports.pay_sheets import PaySheetStore
from payroll.services.ports.payslips import PayslipStore
from payroll.services.ports.portal import SignInCodeStore
from payroll.services.ports.runs import RunInputStore, RunStore
from payroll.services.ports.scheduler import SchedulerStore
from payroll.services.ports.severance import SeveranceStore
from payroll.services.ports.terms import TermStore
from payroll.services.ports.users import UserStore


class UnitOfWork(Protocol):
    """One business transaction over the payroll database."""

    catalog: CatalogStore
    names: NameStore
    settings: SettingStore
    audit: AuditStore
    scheduler: SchedulerStore
    users: UserStore
    admin: AdminStore
    rrn_keys: RrnKeyStore
    console: ConsoleStore
    runs: RunStore
    run_inputs: RunInputStore
    payslips: PayslipStore
    participants: ParticipantStore
    enrollments: EnrollmentStore
    attendance: AttendanceStore
    terms: TermStore
    ledger: LedgerStore
    filings: FilingStore
    severance: SeveranceStore
    pay_sheets: PaySheetStore
    deliveries: DeliveryStore
    sign_in_codes: SignInCodeStore
    carryovers: CarryoverStore

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def serialized(self, key: str | None = None) -> AbstractContextManager[Self]:
        """``with uow.serialized(key):`` — a transaction that checks and then writes.

        No two such transactions interleave: on SQLite the write lock is taken before the
        first read; on PostgreSQL ``key`` (when given) serialises every transaction
        naming it. Must be the outermost block.
        """
        ...

    def flush(self) -> None:
        """Send pending writes now (ids assigned, constraints checked) without committing."""
        ...

    def refresh_statistics(self, *areas: str) -> None:
        """After a bulk write (an import), outside ``with uow:``: let the database re-read
        the size and spread of the areas' tables (``"participants"``, ``"enrollments"``,
        ``"attendance"``), so that the next queries are planned on what is there now
        (PostgreSQL ``ANALYZE``)."""
        ...

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"`` (some checks differ, e.g. row locks)."""
        ...
