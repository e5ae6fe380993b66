"""Stored payslips, their lines, a run's exceptions and a finalized run's payees."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

LINE_KINDS = ("earning", "deduction", "employer")
"""The kinds of payslip lines, in payslip order."""


@dataclass(frozen=True)
class StoredLine:
    """A stored payslip line (``kind``: earning, deduction or employer)."""

    payslip_id: int
    kind: str
    code: str
    amount: int
    explanation: str
    position: int
    ref_month: str | None = None  # a retro line: the month it corrects


@dataclass(frozen=True)
class StoredPayslip:
    """A stored participant-month of a run (totals in won)."""

    id: int
    run_id: int
    enrollment_id: int
    month: str
    gross: int
    insurable: int
    taxable: int
    non_taxable: int
    total_deductions: int
    net: int
    employer_total: int
    hourly_rate: int
    leave_accrued: int
    leave_used: int
    leave_balance: int
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RunExceptionRecord:
    """A participant a run could not pay, with the reason; excluded with a reason or not."""

    enrollment_id: int
    reason: str
    excluded: bool = False
    excluded_reason: str | None = None
    excluded_by: str | None = None
    participant_id: str = ""


@dataclass(frozen=True)
class PayeeRecord:
    """Who a finalized run pays, as they were at finalization."""

    run_id: int
    payslip_id: int
    participant_id: str
    name: str
    birth_date: date
    bank: str | None
    account: str | None
    net: int


@dataclass(frozen=True)
class FrozenPayee:
    """One payee of a finalized run, with the payslip it is paid from."""

    payee: PayeeRecord
    payslip: StoredPayslip
