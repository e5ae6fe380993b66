"""The terms' store: which terms ended, which are closed, and what closing one reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from payroll.domain.roster import FinalMonth, StoredTerm


class TermStore(Protocol):
    def ended_before(self, day: date) -> list[StoredTerm]:
        """Every catalog term whose end is before ``day``, closed or not."""
        ...

    def close(self, program: str, code: str, by: str, at: datetime) -> None:
        """Mark the term closed."""
        ...

    def final_months(self, program: str, code: str) -> list[FinalMonth]:
        """Each roster enrollment of the term with its final month and district."""
        ...

    def settled(self, enrollment_ids: Sequence[int]) -> set[tuple[int, str]]:
        """(enrollment, month) pairs with a finalized payslip or an excluded exception."""
        ...
