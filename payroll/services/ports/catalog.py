"""The catalog (rates, terms, holidays, the withholding table), names and city settings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Protocol

from payroll.domain.calendar import HolidayCalendar
from payroll.domain.withholding import WithholdingTable
from payroll.domain.withholding_dates import DatedTaxTables
from payroll.reference.catalog import Catalog


class CatalogStore(Protocol):
    def read(self) -> Catalog:
        """The whole catalog as domain records."""
        ...

    def data(self) -> dict[str, Any]:
        """The catalog as plain data (the shape of ``catalog.toml``)."""
        ...

    def holidays(self) -> HolidayCalendar:
        """Public holidays with the city's overrides."""
        ...

    def withholding_table(self, pay_date: date | None = None) -> WithholdingTable:
        """The income-tax withholding table in force on ``pay_date`` (default: the newest)."""
        ...

    def tax_tables(self) -> DatedTaxTables:
        """Every withholding table with its 시행일 (a run picks one per pay date)."""
        ...

    def withholding_tables(self) -> list[tuple[int, str, date | None, datetime]]:
        """Imported tables: id, source, 시행일 (None: from the start), imported at."""
        ...

    def load(self, data: Mapping[str, Any]) -> Any:
        """Write shipped catalog data (``payroll init``); returns a load report."""
        ...

    def upsert(self, data: Mapping[str, Any]) -> Any:
        """Write the city's catalog blocks, replacing rows of the same key."""
        ...

    def store_withholding_rows(
        self, source: str, rows: list[list[Any]], effective_from: date | None = None
    ) -> None:
        """Keep a withholding table read from ``source``, in force from ``effective_from``."""
        ...

    def mark_for_recalculation(self, run_ids: list[int], reason: str, by: str) -> None:
        """Mark unfinalized runs whose figures changed."""
        ...

    def recalculation_marks(self) -> dict[int, str]:
        """Run id → why it must be calculated again."""
        ...

    def clear_recalculation_mark(self, run_id: int) -> None:
        """The run was calculated again."""
        ...


class NameStore(Protocol):
    def districts(self) -> dict[str, str]:
        """District code → Korean name (11110 → 종로구)."""
        ...

    def programs(self) -> dict[str, str]:
        """Program code → Korean name (dongheng → 서울 동행일자리)."""
        ...


class SettingStore(Protocol):
    def get(self, key: str) -> str | None: ...

    def put(self, key: str, value: str, by: str) -> str | None:
        """Set ``key`` to ``value``; returns the old value."""
        ...
