"""The SQL unit of work: one session, one transaction, the stores bound to it.

``with uow:`` opens a session and begins a transaction; the outermost block commits when
it ends normally and rolls back on any exception; inner blocks join it. The stores are
created on entry, bound to that session, and unusable once the block has ended.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from types import TracebackType
from typing import Self

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from payroll.db.engine import make_engine, session_factory
from payroll.db.stores.admin import SqlAdminStore, SqlRrnKeyStore
from payroll.db.stores.attendance import SqlAttendanceStore
from payroll.db.stores.audit import SqlAuditStore
from payroll.db.stores.carryovers import SqlCarryoverStore
from payroll.db.stores.catalog import SqlCatalogStore, SqlNameStore, SqlSettingStore
from payroll.db.stores.console import SqlConsoleStore
from payroll.db.stores.deliveries import SqlDeliveryStore
from payroll.db.stores.enrollments import SqlEnrollmentStore
from payroll.db.stores.filings import SqlFilingStore
from payroll.db.stores.ledger import SqlLedgerStore
from payroll.db.stores.participants import SqlParticipantStore
from payroll.db.stores.pay_sheets import SqlPaySheetStore
from payroll.db.stores.payslips import SqlPayslipStore
from payroll.db.stores.portal import SqlSignInCodeStore
from payroll.db.stores.runs import SqlRunInputStore, SqlRunStore
from payroll.db.stores.scheduler import SqlSchedulerStore
from payroll.db.stores.severance import SqlSeveranceStore
from payroll.db.stores.terms import SqlTermStore
from payroll.db.stores.users import SqlUserStore

BULK_TABLES = {
    "participants": "participants",
    "enrollments": "enrollments",
    "attendance": "attendance",
}
"""The tables of the areas the imports write in bulk: analysed after them."""


class UnitOfWorkClosed(RuntimeError):
    """A store was used outside ``with uow:``."""


class SqlUnitOfWork:
    """:class:`payroll.services.unit_of_work.UnitOfWork` over a SQLAlchemy engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._factory = session_factory(engine)
        self._session: Session | None = None
        self._depth = 0
        self._serial_key: str | None = None
        self._serial = False

    # -- the transaction ---------------------------------------------------------------

    def __enter__(self) -> Self:
        if self._depth == 0:
            session = self._factory()
            session.begin()
            if self._serial:
                self._take_write_lock(session)
            self._session = session
            self._open_stores(session)
        self._depth += 1
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth:
            return  # an inner block: the outermost one commits or rolls back
        session, self._session = self._session, None
        assert session is not None
        try:
            if exc_type is None:
                session.commit()
            else:
                session.rollback()
        finally:
            session.close()

    @contextmanager
    def serialized(self, key: str | None = None) -> Iterator[Self]:
        if self._depth:
            raise RuntimeError("a serialized transaction must be the outermost one")
        self._serial, self._serial_key = True, key
        try:
            with self:
                yield self
        finally:
            self._serial, self._serial_key = False, None

    def _take_write_lock(self, session: Session) -> None:
        if self.backend == "sqlite":
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        elif self._serial_key is not None:
            session.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": self._serial_key}
            )

    def flush(self) -> None:
        self.session.flush()

    def refresh_statistics(self, *areas: str) -> None:
        if self.engine.dialect.name != "postgresql" or not areas:
            return  # SQLite plans without stale row counts getting in the way here
        with self.engine.connect() as connection:
            connection.execute(text(f"ANALYZE {', '.join(BULK_TABLES[a] for a in areas)}"))
            connection.commit()

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    @property
    def session(self) -> Session:
        """The open session, for the stores (``payroll/db/`` only; services never see it)."""
        if self._session is None:
            raise UnitOfWorkClosed("the unit of work is used outside `with uow:`")
        return self._session

    # -- the stores --------------------------------------------------------------------

    def _open_stores(self, session: Session) -> None:
        """Bind one store per area to ``session`` (add a line here for a new store)."""
        self.catalog = SqlCatalogStore(session)
        self.names = SqlNameStore(session)
        self.settings = SqlSettingStore(session)
        self.audit = SqlAuditStore(session)
        self.scheduler = SqlSchedulerStore(session)
        self.users = SqlUserStore(session)
        self.admin = SqlAdminStore(session)
        self.rrn_keys = SqlRrnKeyStore(session)
        self.console = SqlConsoleStore(session)
        self.runs = SqlRunStore(session)
        self.run_inputs = SqlRunInputStore(session)
        self.payslips = SqlPayslipStore(session)
        self.participants = SqlParticipantStore(session)
        self.enrollments = SqlEnrollmentStore(session)
        self.attendance = SqlAttendanceStore(session)
        self.terms = SqlTermStore(session)
        self.ledger = SqlLedgerStore(session)
        self.filings = SqlFilingStore(session)
        self.severance = SqlSeveranceStore(session)
        self.pay_sheets = SqlPaySheetStore(session)
        self.deliveries = SqlDeliveryStore(session)
        self.sign_in_codes = SqlSignInCodeStore(session)
        self.carryovers = SqlCarryoverStore(session)


def unit_of_work(url: str | None = None) -> SqlUnitOfWork:
    """A unit of work on ``url`` (default: ``PAYROLL_DATABASE_URL`` or the embedded SQLite)."""
    return SqlUnitOfWork(make_engine(url))


def uow_factory(engine: Engine) -> partial[SqlUnitOfWork]:
    """A picklable maker of new units of work on ``engine``'s database, each with its own
    engine: what worker processes open (``calculate_runs(..., uow_factory=...)``)."""
    return partial(unit_of_work, engine.url.render_as_string(hide_password=False))
