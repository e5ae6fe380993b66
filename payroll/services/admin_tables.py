"""The administrators' tables: holiday overrides and the imported withholding table.

One place for both the CLI (``payroll holiday add|remove``, ``payroll withholding import``)
and the console's city-administrator pages; each writes its audit entry in the same
transaction, so a refusal stores nothing.
"""

from __future__ import annotations

from datetime import date

from payroll.domain.admin import HolidayOverride
from payroll.domain.calendar import HolidayCalendar
from payroll.domain.withholding import WithholdingTable
from payroll.services import audit
from payroll.services.unit_of_work import UnitOfWork


def set_holiday_override(uow: UnitOfWork, day: date, action: str, name: str, by: str) -> None:
    """Add (``action="add"``) or remove (``"remove"``) ``day`` as a paid public holiday."""
    with uow:
        name = uow.admin.check_holiday_name(name, action)
        uow.admin.set_holiday_override(HolidayOverride(day, action, name))
        audit.record(uow, by, f"holiday.{action}", "holiday", day.isoformat(), name=name)


def holiday_calendar(uow: UnitOfWork) -> tuple[HolidayCalendar, list[HolidayOverride]]:
    """The holiday calendar in force and the administrators' overrides, by day."""
    with uow:
        return uow.catalog.holidays(), uow.admin.holiday_overrides()


def store_withholding(
    uow: UnitOfWork, table: WithholdingTable, source: str, filename: str, by: str
) -> None:
    """Keep a checked table (``load_withholding_table``) as the one in force from now on."""
    with uow:
        uow.catalog.store_withholding_rows(source, table.to_rows())
        audit.record(
            uow, by, "withholding.imported", "withholding_table", filename, bands=len(table.rows)
        )


def withholding_table(uow: UnitOfWork) -> WithholdingTable:
    """The withholding table in force (the newest imported one, or the shipped one)."""
    with uow:
        return uow.catalog.withholding_table()
