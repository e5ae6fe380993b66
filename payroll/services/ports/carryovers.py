"""Carried-over pay (held, returned, recovery) and what binds an approval to its figures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from payroll.domain.carryover import CarryKind, Carryover
from payroll.domain.model import AttendanceRecord
from payroll.domain.report_records import SlipFigures


class CarryoverStore(Protocol):
    def of_enrollments(self, enrollment_ids: Sequence[int]) -> dict[int, list[Carryover]]:
        """What each enrollment's runs settle, oldest first (settled or not): its own
        carryovers, and recoveries (환수) of any enrollment of the same participant — an
        overpayment is recovered from the participant's next pay in the district."""
        ...

    def get(self, carry_id: int) -> Carryover | None: ...

    def add(
        self,
        enrollment_id: int,
        kind: CarryKind,
        ref_month: str,
        taxable: int,
        non_taxable: int,
        reason: str,
        by: str,
        at: datetime,
        source_run_id: int | None = None,
    ) -> int:
        """A new carryover; its id."""
        ...

    def put_held(
        self,
        run_id: int,
        enrollment_id: int,
        month: str,
        taxable: int,
        non_taxable: int,
        reason: str,
        by: str,
        at: datetime,
    ) -> int:
        """The held month of ``enrollment_id`` in ``run_id``, added or its amounts replaced."""
        ...

    def drop_held(self, run_id: int, keep: set[int]) -> None:
        """Remove the run's held months of enrollments not in ``keep`` (paid after all)."""
        ...

    def of_run(self, run_id: int) -> list[Carryover]:
        """Carryovers that a run's month gave rise to (held, returned)."""
        ...

    def release(self, carry_id: int, by: str, at: datetime) -> None: ...

    def write_off(self, carry_id: int, by: str, reason: str, at: datetime) -> None: ...

    def add_settled(self, carry_id: int, amount: int) -> None: ...

    def outstanding(self) -> list[tuple[Carryover, str, str, str]]:
        """Carryovers with something left to pay or recover, with (participant id,
        district, program)."""
        ...

    def carry_lines(self, run_id: int) -> list[tuple[int, str, str | None, int]]:
        """(enrollment, code, ref_month, amount) of the run's carried-over lines."""
        ...

    def payees(self, enrollment_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """(participant id, bank code, account, holder) of each enrollment's participant now."""
        ...

    def month_attendance(
        self, enrollment_ids: Sequence[int], month: str
    ) -> dict[int, list[AttendanceRecord]]:
        """Attendance and corrections recorded for days of ``month``."""
        ...

    def run_figures(self, run_id: int) -> list[SlipFigures]:
        """Every payslip of the run with its lines: what the approval fingerprint covers
        of the figures."""
        ...

    def set_fingerprint(self, run_id: int, fingerprint: str | None) -> None: ...

    def reopen(self, run_id: int, note: str) -> None:
        """An approved run back to calculated, the approval cleared, ``note`` kept."""
        ...
