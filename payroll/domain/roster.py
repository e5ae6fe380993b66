"""What the roster services write and read besides the stored participant and enrollment
records (:mod:`payroll.domain.report_records`): an early end, a term and its closure, the
final months of a term."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class EarlyEnd:
    """An early end to record: the new end E' and who decided it, why and when."""

    end: date
    planned_end: date
    reason: str
    note: str | None
    by: str
    at: datetime


@dataclass(frozen=True)
class StoredTerm:
    """A catalog term with its closure (none until every final month is paid)."""

    program: str
    code: str
    start: date
    end: date
    closed_at: datetime | None = None
    closed_by: str | None = None

    @property
    def key(self) -> str:
        """``dongheng:2025-H1`` (the audit log's name for the term)."""
        return f"{self.program}:{self.code}"


@dataclass(frozen=True)
class FinalMonth:
    """An enrollment of a term, the month holding its end, and its district."""

    enrollment_id: int
    month: str
    district: str
