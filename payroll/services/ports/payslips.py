"""Stored payslips with their lines, and a finalized run's payee snapshot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from payroll.domain.model import Payslip
from payroll.domain.report_records import PayslipRecord


class PayslipStore(Protocol):
    def add(self, run_id: int, computed: Sequence[tuple[int, Payslip]]) -> None:
        """Store (enrollment id, payslip) pairs with their lines (retro lines' ref month)."""
        ...

    def of_run(self, run_id: int) -> list[tuple[PayslipRecord, str]]:
        """A run's payslips with participant ids, by participant id."""
        ...

    def count(self, run_id: int) -> int: ...

    def enrollments_of_run(self, run_id: int) -> set[int]: ...

    def paid_enrollments(self, month: str) -> set[int]: ...

    def retro_amounts(self, run_id: int) -> list[tuple[int, str, str | None, int]]:
        """(enrollment, code, corrected month, amount) of the run's retro lines."""
        ...

    def finalized_enrollments(self, month: str, *, with_retro: bool = False) -> set[int]: ...

    def take_snapshot(self, run_id: int) -> None: ...
