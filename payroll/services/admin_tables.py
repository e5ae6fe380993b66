"""The administrators' tables: holiday overrides and the imported withholding table.

One place for both the CLI (``payroll holiday add|remove``, ``payroll withholding import``)
and the console's city-administrator pages; each writes its audit entry in the same
transaction, so a refusal stores nothing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from payroll.db.catalog_store import store_withholding_rows
from payroll.db.models import HolidayOverride
from payroll.db.text_limits import check_text
from payroll.domain.withholding import WithholdingTable
from payroll.services import audit


def check_holiday_name(name: str, action: str) -> str:
    """The override's name, refused if empty (for an addition) or too long for its column."""
    return check_text(
        name, HolidayOverride.name, "holiday name (공휴일 이름)", required=action == "add"
    )


def set_holiday_override(session: Session, day: date, action: str, name: str, by: str) -> None:
    """Add (``action="add"``) or remove (``"remove"``) ``day`` as a paid public holiday."""
    name = check_holiday_name(name, action)
    row = session.get(HolidayOverride, day)
    if row is None:
        session.add(HolidayOverride(day=day, action=action, name=name))
    else:
        row.action, row.name = action, name
    audit.record(session, by, f"holiday.{action}", "holiday", day.isoformat(), name=name)


def store_withholding(
    session: Session, table: WithholdingTable, source: str, filename: str, by: str
) -> None:
    """Keep a checked table (``load_withholding_table``) as the one in force from now on."""
    store_withholding_rows(session, source, table.to_rows())
    audit.record(
        session, by, "withholding.imported", "withholding_table", filename, bands=len(table.rows)
    )
