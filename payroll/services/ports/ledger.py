"""The ledger's store: terms, and the finalized payslips of a scope summed per cost item."""

from __future__ import annotations

from typing import Protocol

from payroll.domain.ledger import PayslipFigures, RunKey, Scope, UnfinalizedRun
from payroll.domain.model import Term


class LedgerStore(Protocol):
    def terms(self, code: str | None = None, program: str | None = None) -> list[Term]:
        """The terms with ``code`` (every term when None), of ``program`` when given."""
        ...

    def finalized_runs(self, scope: Scope) -> list[RunKey]:
        """The finalized runs in scope, ordered by month, district, program."""
        ...

    def unfinalized_runs(self, scope: Scope) -> list[UnfinalizedRun]:
        """The calculated or approved runs in scope (cancelled runs are not reported)."""
        ...

    def finalized_payslips(self, scope: Scope) -> list[PayslipFigures]:
        """Every payslip of a finalized run in scope, its lines summed per cost item;
        ordered by month, district, program, participant, enrollment."""
        ...
