"""The attendance store: exceptions to scheduled days and their corrections."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import Protocol

from payroll.domain.model import AttendanceRecord


class AttendanceStore(Protocol):
    def records(self, enrollment_id: int, correction: bool = False) -> list[AttendanceRecord]:
        """The enrollment's stored records (its corrections with ``correction``), by day."""
        ...

    def replace(
        self,
        enrollment_id: int,
        records: Sequence[AttendanceRecord],
        correction: bool,
        source: str,
        at: datetime,
    ) -> None:
        """Store ``records`` (one a day), each in place of any record of its day."""
        ...

    def records_of(
        self, enrollment_ids: Sequence[int], correction: bool = False
    ) -> dict[int, list[AttendanceRecord]]:
        """:meth:`records` of many enrollments at once (every id a key)."""
        ...

    def replace_all(
        self,
        changes: Mapping[int, Sequence[AttendanceRecord]],
        correction: bool,
        source: str,
        at: datetime,
        stored_days: Collection[tuple[int, date]] | None = None,
    ) -> None:
        """:meth:`replace` for many enrollments in one batch (enrollment id -> records).

        ``stored_days``: the (enrollment id, day) pairs of ``changes`` that have a stored
        record, when the caller has read them in this transaction: only those are deleted
        before the insert (None: every day of ``changes`` is)."""
        ...

    def remove_after(self, enrollment_id: int, day: date) -> int:
        """Remove records and corrections after ``day``; how many were removed."""
        ...
