"""Catalog, names and city settings behind :mod:`payroll.services.ports.catalog`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from payroll.db import catalog_store
from payroll.db.catalog_store import LoadReport
from payroll.db.models import CitySetting, District, ProgramRow, RecalculationMark
from payroll.domain.calendar import HolidayCalendar
from payroll.domain.withholding import WithholdingTable
from payroll.domain.withholding_dates import DatedTaxTables
from payroll.reference.catalog import Catalog


class SqlCatalogStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def read(self) -> Catalog:
        return catalog_store.read_catalog(self.session)

    def data(self) -> dict[str, Any]:
        return catalog_store.catalog_data(self.session)

    def holidays(self) -> HolidayCalendar:
        return catalog_store.holiday_calendar(self.session)

    def withholding_table(self, pay_date: date | None = None) -> WithholdingTable:
        return catalog_store.withholding_table(self.session, pay_date)

    def tax_tables(self) -> DatedTaxTables:
        return catalog_store.dated_tax_tables(self.session)

    def withholding_tables(self) -> list[tuple[int, str, date | None, datetime]]:
        return catalog_store.withholding_tables(self.session)

    def load(self, data: Mapping[str, Any]) -> LoadReport:
        return catalog_store.load_catalog(self.session, data)

    def upsert(self, data: Mapping[str, Any]) -> LoadReport:
        return catalog_store.load_catalog(self.session, data, overwrite=True)

    def store_withholding_rows(
        self, source: str, rows: list[list[Any]], effective_from: date | None = None
    ) -> None:
        catalog_store.store_withholding_rows(self.session, source, rows, effective_from)

    def mark_for_recalculation(self, run_ids: list[int], reason: str, by: str) -> None:
        now = datetime.now(UTC)
        for run_id in run_ids:
            row = self.session.get(RecalculationMark, run_id)
            if row is None:
                self.session.add(
                    RecalculationMark(run_id=run_id, reason=reason, marked_at=now, marked_by=by)
                )
            else:
                row.reason, row.marked_at, row.marked_by = reason, now, by
        self.session.flush()

    def recalculation_marks(self) -> dict[int, str]:
        return {m.run_id: m.reason for m in self.session.scalars(select(RecalculationMark))}

    def clear_recalculation_mark(self, run_id: int) -> None:
        row = self.session.get(RecalculationMark, run_id)
        if row is not None:
            self.session.delete(row)


class SqlNameStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def districts(self) -> dict[str, str]:
        rows = self.session.scalars(select(District).order_by(District.code))
        return {d.code: d.name for d in rows}

    def programs(self) -> dict[str, str]:
        rows = self.session.scalars(select(ProgramRow).order_by(ProgramRow.code))
        return {p.code: p.name for p in rows}


class SqlSettingStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str) -> str | None:
        row = self.session.get(CitySetting, key)
        return row.value if row else None

    def put(self, key: str, value: str, by: str) -> str | None:
        row = self.session.get(CitySetting, key)
        old = row.value if row else None
        now = datetime.now(UTC)
        if row is None:
            self.session.add(CitySetting(key=key, value=value, updated_by=by, updated_at=now))
        else:
            row.value, row.updated_by, row.updated_at = value, by, now
        return old
