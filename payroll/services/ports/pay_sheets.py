"""The store of a run's printed sheets and payslips: its payslips with their lines,
exceptions, attendance, the previous month's run and the payee snapshot."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from payroll.domain.model import AttendanceRecord
from payroll.domain.payee_snapshot import SnapshotFigures, SnapshotPayee
from payroll.domain.report_records import (
    EnrollmentRecord,
    ExceptionRecord,
    LineRecord,
    PayslipOf,
    PayslipRecord,
    PersonRecord,
    RunRecord,
)


class PaySheetStore(Protocol):
    def runs_of(
        self,
        month: str,
        district: str | None = None,
        program: str | None = None,
        only_finalized: bool = False,
    ) -> list[RunRecord]:
        """The month's runs that are not cancelled (only finalized ones when asked), by
        district and program."""
        ...

    def payslip_count(self, month: str) -> int:
        """How many payslips the month's runs that are not cancelled hold."""
        ...

    def run_payslips(self, run: RunRecord) -> list[PayslipOf]:
        """The run's payslips by participant name and id."""
        ...

    def payslips(self, run_id: int) -> list[PayslipRecord]: ...

    def lines(self, payslip_ids: Sequence[int]) -> dict[int, list[LineRecord]]:
        """Each payslip's lines, by kind and position."""
        ...

    def exceptions(
        self, run_id: int
    ) -> list[tuple[ExceptionRecord, EnrollmentRecord, PersonRecord]]:
        """The run's exceptions by participant name and id."""
        ...

    def attendance(
        self, enrollment_ids: Sequence[int], first: date, last: date
    ) -> dict[int, list[AttendanceRecord]]:
        """Each enrollment's attendance records first..last."""
        ...

    def previous_run(self, run: RunRecord, month: str) -> RunRecord | None:
        """The run of ``month`` with the same district and program, not cancelled."""
        ...

    def snapshot_figures(self, run_id: int) -> SnapshotFigures:
        """Counts and nets of the run's payee snapshot and payslips."""
        ...

    def snapshot(self, run_id: int) -> list[SnapshotPayee]:
        """The run's payee snapshot by name and participant id."""
        ...
