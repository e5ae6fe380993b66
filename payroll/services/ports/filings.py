"""The filings' store: runs of months, their payslips, year totals, roster enrollments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal, Protocol

from payroll.domain.report_records import EnrollmentRecord, PayslipOf, PersonRecord, RunRecord


class FilingStore(Protocol):
    def runs_of(self, months: Iterable[str], district: str | None = None) -> list[RunRecord]:
        """Every run of ``months`` (of ``district``), by month, district and program."""
        ...

    def payslips_of(self, run_ids: Sequence[int]) -> list[PayslipOf]:
        """The payslips of the runs, by participant id and month."""
        ...

    def deduction_sums(self, payslip_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        """Payslip id → deduction code → the sum of its lines."""
        ...

    def year_totals(
        self,
        participant_pks: Iterable[int],
        first: str,
        last: str,
        column: Literal["taxable", "insurable"],
    ) -> dict[int, tuple[int, int]]:
        """(Σ ``column``, months) of each participant's finalized payslips first..last."""
        ...

    def roster_enrollments(
        self, on: Literal["start", "end"], first: date, last: date
    ) -> list[tuple[EnrollmentRecord, PersonRecord]]:
        """Roster enrollments whose ``on`` day is in first..last, by participant id."""
        ...
