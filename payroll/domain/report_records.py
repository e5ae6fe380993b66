"""What the services read of stored runs, payslips, participants and enrollments.

Frozen records with the stored columns' names, so the report code reads them as it read
the rows (``run.district_code``, ``slip.facts``, ``person.rrn_masked``); the stores of
``payroll/db/stores/`` build them. The pay engine's own inputs are in
:mod:`payroll.domain.model`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from payroll.domain.runs import RunRecord as RunRecord  # one record of a run, its states


@dataclass(frozen=True)
class ProgramRecord:
    """A program's name and default schedule as stored (weekdays comma-separated)."""

    code: str
    name: str
    daily_hours: Decimal
    weekdays: str


@dataclass(frozen=True)
class PersonRecord:
    """A participant as the reports print them (resident number masked and encrypted)."""

    id: int
    participant_id: str
    name: str
    birth_date: date
    district_code: str
    dependents: int = 1
    children: int = 0
    bank: str | None = None
    account: str | None = None
    bank_code: str | None = None
    account_holder: str | None = None
    rrn_masked: str | None = None
    rrn_encrypted: bytes | None = None
    household: str | None = None  # 세대 (the one-per-household limit)
    person_key: str | None = None  # the city-wide person (keyed hash of the RRN), never shown
    phone: str | None = None  # 휴대전화, digits only
    email: str | None = None  # 이메일
    delivery: str = "paper"  # 수령방법: payroll.domain.contact.Delivery


@dataclass(frozen=True)
class EnrollmentRecord:
    """One stored enrollment with its override, pay cut and early end."""

    id: int
    participant_pk: int
    program_code: str
    start: date
    end: date
    term_code: str | None = None
    daily_hours: Decimal | None = None
    weekdays: str | None = None  # comma-separated weekday codes; None: the program's
    source: str = "roster"
    pay_cut_percent: Decimal | None = None
    declared_monthly_pay: int | None = None
    override_reason: str | None = None
    override_by: str | None = None
    end_reason: str | None = None
    end_note: str | None = None
    planned_end: date | None = None
    override_at: datetime | None = None
    override_rules: str | None = None  # the rule codes it overrode, comma-separated
    ended_by: str | None = None
    ended_at: datetime | None = None
    district_code: str | None = None  # history taken in another district (None: the person's)


@dataclass(frozen=True)
class PayslipRecord:
    """A stored payslip's totals and facts (its lines are :class:`LineRecord`)."""

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
    leave_accrued: int = 0
    leave_used: int = 0
    leave_balance: int = 0
    facts: Mapping[str, Any] = field(default_factory=dict)


LINE_KINDS = ("earning", "deduction", "employer")
"""The kinds of payslip lines, in payslip order."""


@dataclass(frozen=True)
class LineRecord:
    """One payslip line (earning, deduction or employer), in payslip order."""

    kind: str
    code: str
    amount: int
    explanation: str = ""
    ref_month: str | None = None


SlipFigures = tuple[int, int, int, int, list[tuple[str, str, int, str | None]]]
"""(enrollment, gross, total deductions, net, lines) of a payslip, its lines as (kind,
code, amount, ref_month) by kind and position: what an approval binds of its figures."""


@dataclass(frozen=True)
class ExceptionRecord:
    """A participant a run could not pay, and whether (and why) it was excluded."""

    reason: str
    excluded: bool = False
    excluded_reason: str | None = None
    excluded_by: str | None = None
    enrollment_id: int = 0


@dataclass(frozen=True)
class PayslipOf:
    """A payslip with its run, enrollment and participant."""

    slip: PayslipRecord
    run: RunRecord
    enrollment: EnrollmentRecord
    person: PersonRecord
