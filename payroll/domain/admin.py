"""The city administrators' tables as records: holiday overrides, the withholding table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class HolidayOverride:
    """An administrator's change to the holiday calendar: ``action`` "add" or "remove"."""

    day: date
    action: str
    name: str = ""


@dataclass(frozen=True)
class WithholdingTableInfo:
    """Which imported withholding table is in force: its source, when, how many rows."""

    source: str
    loaded_at: datetime
    rows: int
