"""The administrators' tables: holiday overrides and the imported withholding table.

One place for both the CLI (``payroll holiday add|remove``, ``payroll withholding import``)
and the console's city-administrator pages; each writes its audit entry in the same
transaction, so a refusal stores nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from payroll.domain.admin import HolidayOverride
from payroll.domain.calendar import HolidayCalendar
from payroll.domain.engine import pay_date_of
from payroll.domain.runs import RunState
from payroll.domain.withholding import WithholdingTable
from payroll.services.common import audit
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
    uow: UnitOfWork,
    table: WithholdingTable,
    source: str,
    filename: str,
    by: str,
    effective_from: date | None = None,
) -> list[str]:
    """Keep a checked table (``load_withholding_table``), in force for pay dates from its
    시행일 ``effective_from`` (None: every month). Unfinalized runs whose pay date it
    reaches are marked for recalculation; their labels are returned."""
    with uow:
        uow.catalog.store_withholding_rows(source, table.to_rows(), effective_from)
        marked = []
        for run in uow.runs.list():
            if run.state in (RunState.FINALIZED, RunState.CANCELLED):
                continue
            pay_date = pay_date_of(date.fromisoformat(run.month + "-01"))
            if effective_from is None or pay_date >= effective_from:
                uow.catalog.mark_for_recalculation([run.id], f"간이세액표 {filename}", by)
                marked.append(f"{run.month} {run.district_code} {run.program_code} (#{run.id})")
        audit.record(
            uow,
            by,
            "withholding.imported",
            "withholding_table",
            filename,
            bands=len(table.rows),
            effective_from=effective_from.isoformat() if effective_from else None,
            marked_runs=marked,
        )
        return marked


def withholding_tables(uow: UnitOfWork) -> list[tuple[int, str, date | None, datetime]]:
    """Every imported table with its 시행일, oldest first (the shipped one is not listed)."""
    with uow:
        return uow.catalog.withholding_tables()


def withholding_table(uow: UnitOfWork, pay_date: date | None = None) -> WithholdingTable:
    """The table in force on ``pay_date`` (default: the newest), or the shipped one."""
    with uow:
        return uow.catalog.withholding_table(pay_date)
