"""Payroll runs and their exceptions; what a run reads (enrollments, attendance, pay)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from payroll.domain.model import AttendanceRecord
from payroll.domain.report_records import ExceptionRecord
from payroll.domain.retro import MonthPay
from payroll.domain.run_member import RunMember
from payroll.domain.runs import RunRecord, RunState, RunTotals


class RunStore(Protocol):
    """Runs by id or key. Writes that lose a race raise ``RunConflict``."""

    def get(self, run_id: int) -> RunRecord | None: ...

    def find(self, month: str, district: str, program: str) -> RunRecord | None: ...

    def list(self, month: str | None = None, state: RunState | None = None) -> list[RunRecord]:
        """Runs by month, district, program (optionally one month, one state)."""
        ...

    def first_month(self) -> str | None: ...

    def add(self, month: str, district: str, program: str) -> int:
        """A new (calculated, empty) run; its id."""
        ...

    def save_calculation(self, run_id: int, totals: RunTotals, by: str, at: datetime) -> None:
        """State calculated, the totals, who calculated when; any approval is cleared."""
        ...

    def set_state(self, run_id: int, state: RunState, by: str, at: datetime) -> None:
        """Approved/finalized: by whom and when; cancelled: totals set to zero."""
        ...

    def clear(self, run_id: int) -> None:
        """Remove the run's payslips (with their lines) and exceptions."""
        ...

    def earliest_open_before(self, run: RunRecord) -> RunRecord | None:
        """The earliest calculated or approved run of the district and program before it."""
        ...

    def months_before(self, run: RunRecord) -> set[str]: ...

    def exceptions(self, run_id: int) -> list[tuple[ExceptionRecord, str]]:
        """The run's exceptions with their participant ids, by participant id."""
        ...

    def add_exceptions(self, run_id: int, records: Sequence[ExceptionRecord]) -> None: ...

    def open_exception_count(self, run_id: int) -> int: ...

    def exclude(self, run_id: int, enrollment_id: int, reason: str, by: str) -> None: ...

    def excepted_enrollments(self, month: str) -> set[int]: ...


class RunInputStore(Protocol):
    def members(self, month: str, district: str | None, program: str | None) -> list[RunMember]:
        """Roster enrollments overlapping ``month``, by district, program, participant id."""
        ...

    def sizes(
        self, month: str, district: str | None, program: str | None
    ) -> dict[tuple[str, str], int]:
        """How many :meth:`members` each (district, program) has, in the same order."""
        ...

    def members_by_id(self, enrollment_ids: Sequence[int]) -> list[RunMember]: ...

    def has_enrollments(self, district: str, program: str, month: str) -> bool: ...

    def enrolled(self, month: str) -> list[tuple[str, int]]:
        """(participant id, enrollment id) of roster enrollments overlapping ``month``."""
        ...

    def attendance(self, enrollment_ids: Sequence[int]) -> dict[int, list[AttendanceRecord]]: ...

    def corrections(self, enrollment_ids: Sequence[int]) -> dict[int, list[AttendanceRecord]]: ...

    def corrected(self, enrollment_ids: Sequence[int]) -> set[int]: ...

    def last_corrections(self, enrollment_ids: Sequence[int]) -> dict[int, datetime]: ...

    def finalized_pay(
        self, enrollment_ids: Sequence[int]
    ) -> list[tuple[int, str, str | None, MonthPay]]:
        """(enrollment, payslip month, None, own pay) and (…, corrected month, retro line)."""
        ...

    def finalized_slips(
        self, enrollment_ids: Sequence[int], before: str
    ) -> list[tuple[int, int, str, int, int]]:
        """(payslip id, enrollment, month, insurable, taxable), months before ``before``."""
        ...

    def finalized_year_slips(
        self, participant_pks: Sequence[int], year: str
    ) -> list[tuple[int, int, int, date, str]]:
        """(payslip id, taxable, participant, enrollment end, run district) in ``year``."""
        ...

    def deduction_amounts(self, payslip_ids: Sequence[int]) -> dict[int, dict[str, int]]: ...

    def finalized_run_times(
        self, enrollment_ids: Sequence[int]
    ) -> dict[int, list[tuple[str, datetime]]]: ...
