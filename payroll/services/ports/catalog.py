"""The catalog (rates, terms, holidays, the withholding table), names and city settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from payroll.domain.calendar import HolidayCalendar
from payroll.domain.withholding import WithholdingTable
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

    def withholding_table(self) -> WithholdingTable:
        """The income-tax withholding table in force."""
        ...

    def load(self, data: Mapping[str, Any]) -> Any:
        """Write shipped or edited catalog data (``payroll init``); returns a load report."""
        ...

    def store_withholding_rows(self, source: str, rows: list[list[Any]]) -> None:
        """Replace the withholding table with ``rows`` read from ``source``."""
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
