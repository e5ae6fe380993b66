"""An in-memory unit of work for service tests that need no database.

Each store keeps plain dicts and lists of domain records. Writes inside a ``with`` block
are kept only when the outermost block ends without an exception: the fake rolls back
like the real one, by restoring a deep copy taken on entry. An area adds its fake store as an
attribute in ``FakeUnitOfWork.__init__``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from types import TracebackType
from typing import Any, Self

from payroll.domain.audit import AuditEntry
from payroll.domain.calendar import HolidayCalendar
from payroll.domain.withholding_dates import DatedTaxTables
from payroll.reference.catalog import shipped_catalog
from payroll.reference.withholding_data import shipped_withholding_table
from tests.support.fakes_carryovers import FakeCarryoverStore
from tests.support.fakes_console import (
    FakeAdminStore,
    FakeConsoleStore,
    FakeRrnKeyStore,
    FakeUserStore,
)
from tests.support.fakes_deliveries import FakeDeliveryStore, FakeSignInCodeStore
from tests.support.fakes_imports import (
    FakeAttendanceStore,
    FakeEnrollmentStore,
    FakeParticipantStore,
    FakeTermStore,
)
from tests.support.fakes_reports import (
    FakeFilingStore,
    FakeLedgerStore,
    FakePaySheetStore,
    FakeSeveranceStore,
)
from tests.support.fakes_runs import FakePayslipStore, FakeRunInputStore, FakeRunStore
from tests.support.fakes_scheduler import FakeSchedulerStore


class FakeAuditStore:
    def __init__(self) -> None:
        self.log: list[AuditEntry] = []

    def add(self, entry: AuditEntry) -> None:
        self.log.append(entry)

    def add_many(self, entries: Sequence[AuditEntry]) -> None:
        self.log.extend(entries)

    def entries(self, entity: str, entity_id: str) -> list[AuditEntry]:
        return [e for e in self.log if (e.entity, e.entity_id) == (entity, entity_id)]

    def search(
        self,
        since: Any = None,
        actor: str | None = None,
        entity: str | None = None,
        entity_id: str | None = None,
        limit: int = 1000,
    ) -> list[AuditEntry]:
        found = [
            e
            for e in reversed(self.log)
            if (since is None or e.at >= since)
            and actor in (None, "", e.actor)
            and entity in (None, "", e.entity)
            and entity_id in (None, "", e.entity_id)
        ]
        return found[:limit]


class FakeCatalogStore:
    def __init__(self) -> None:
        self.catalog = shipped_catalog()
        self.marks: dict[int, str] = {}
        self.tables: list[tuple[int, str, date | None, datetime]] = []

    def read(self) -> Any:
        return self.catalog

    def holidays(self) -> HolidayCalendar:
        return HolidayCalendar()

    def withholding_table(self, pay_date: date | None = None) -> Any:
        return shipped_withholding_table()

    def tax_tables(self) -> DatedTaxTables:
        """The one table the test gave (``withholding_table``), in force from the start."""
        return DatedTaxTables(self.withholding_table())

    def withholding_tables(self) -> list[tuple[int, str, date | None, datetime]]:
        return list(self.tables)

    def mark_for_recalculation(self, run_ids: list[int], reason: str, by: str) -> None:
        self.marks.update(dict.fromkeys(run_ids, reason))

    def recalculation_marks(self) -> dict[int, str]:
        return dict(self.marks)

    def clear_recalculation_mark(self, run_id: int) -> None:
        self.marks.pop(run_id, None)


class FakeNameStore:
    def __init__(self) -> None:
        self.district_names = {"11110": "종로구", "11140": "중구", "11680": "강남구"}
        self.program_names = {"dongheng": "서울 동행일자리", "maeryeok": "서울 매력일자리"}

    def districts(self) -> dict[str, str]:
        return dict(self.district_names)

    def programs(self) -> dict[str, str]:
        return dict(self.program_names)


class FakeSettingStore:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        return self.values.get(key)

    def put(self, key: str, value: str, by: str) -> str | None:
        old = self.values.get(key)
        self.values[key] = value
        return old


_COUNTERS = ("commits", "rollbacks")


class FakeUnitOfWork:
    """:class:`payroll.services.unit_of_work.UnitOfWork` in memory."""

    def __init__(self) -> None:
        self.catalog = FakeCatalogStore()
        self.names = FakeNameStore()
        self.settings = FakeSettingStore()
        self.audit = FakeAuditStore()
        self.scheduler = FakeSchedulerStore()
        self.users = FakeUserStore()
        self.admin = FakeAdminStore()
        self.rrn_keys = FakeRrnKeyStore()
        self.console = FakeConsoleStore()
        self.runs = FakeRunStore()
        self.run_inputs = FakeRunInputStore()
        self.payslips = FakePayslipStore()
        self.participants = FakeParticipantStore()
        self.enrollments = FakeEnrollmentStore(lambda: self.participants)
        self.attendance = FakeAttendanceStore()
        self.terms = FakeTermStore()
        self.ledger = FakeLedgerStore()
        self.filings = FakeFilingStore()
        self.severance = FakeSeveranceStore()
        self.pay_sheets = FakePaySheetStore()
        self.deliveries = FakeDeliveryStore()
        self.sign_in_codes = FakeSignInCodeStore()
        self.carryovers = FakeCarryoverStore()
        self.commits = 0
        self.rollbacks = 0
        self._depth = 0
        self._saved: dict[str, Any] = {}

    def stores(self) -> list[str]:
        """Every store attribute (what a rollback restores)."""
        return [n for n in vars(self) if not n.startswith("_") and n not in _COUNTERS]

    def __enter__(self) -> Self:
        if self._depth == 0:
            self._saved = {n: copy.deepcopy(getattr(self, n)) for n in self.stores()}
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
            return
        if exc_type is None:
            self.commits += 1
        else:
            for name, saved in self._saved.items():
                setattr(self, name, saved)
            self.rollbacks += 1

    @contextmanager
    def serialized(self, key: str | None = None) -> Iterator[Self]:
        with self:
            yield self

    def flush(self) -> None:
        pass

    def refresh_statistics(self, *areas: str) -> None:
        pass

    @property
    def backend(self) -> str:
        return "fake"
