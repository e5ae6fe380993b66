"""The enrollments' store: roster and history enrollments, their early end, and what
their pay in finalized runs was."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.domain.roster import EarlyEnd


class EnrollmentStore(Protocol):
    def of_participants(self, pks: Iterable[int]) -> dict[int, list[EnrollmentRecord]]:
        """Every enrollment of each participant (by id; an empty list if none), by start."""
        ...

    def roster_of(
        self, participant_ids: Iterable[str]
    ) -> list[tuple[EnrollmentRecord, PersonRecord]]:
        """The roster enrollments of the given participants, with the participant."""
        ...

    def add(self, record: EnrollmentRecord) -> int:
        """Store a new enrollment (``record.id`` is ignored); returns its id."""
        ...

    def add_many(self, records: Sequence[EnrollmentRecord]) -> list[int]:
        """Store new enrollments in bulk (ids ignored); their ids, in order."""
        ...

    def record_end(self, enrollment_id: int, end: EarlyEnd) -> None:
        """Record an early end: ``end`` becomes E', ``planned_end`` keeps E (§14)."""
        ...

    def finalized_months_of(self, enrollment_ids: Sequence[int]) -> dict[int, set[str]]:
        """Months in which each enrollment's (district, program) run is finalized (an
        empty set for none), for many enrollments at once."""
        ...

    def finalized_pay(self, enrollment_id: int) -> list[tuple[str, int, int]]:
        """(month, gross, net) of the enrollment's payslips in finalized runs, by month."""
        ...

    def open_run_months(self, district: str, program: str, months: Sequence[str]) -> list[str]:
        """Those of ``months`` whose run of district and program is calculated or approved."""
        ...

    def ended_since(self, run_id: int, calculated_at: datetime | None) -> list[str]:
        """Participants of run ``run_id`` whose enrollment was ended early after
        ``calculated_at``."""
        ...
