"""Stored participants and enrollments as records, and what closing a term reads.

The field names are those of the stored columns, so a record reads like the row it came
from. ``id`` is the store's key; a record not stored yet carries ``id = 0``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from payroll.domain.model import Enrollment


@dataclass(frozen=True)
class ParticipantRecord:
    """A participant (참여자) as stored; the resident number only encrypted and masked."""

    id: int
    participant_id: str
    name: str
    birth_date: date
    district_code: str
    household: str | None = None
    bank: str | None = None
    bank_code: str | None = None
    account: str | None = None
    account_holder: str | None = None
    dependents: int = 1
    children: int = 0
    rrn_encrypted: bytes | None = None
    rrn_masked: str | None = None


@dataclass(frozen=True)
class EnrollmentRecord:
    """An enrollment as stored: a roster one, or a past one from history (``source``)."""

    id: int
    participant_pk: int
    program_code: str
    term_code: str | None
    start: date
    end: date
    source: str = "roster"  # roster | history
    daily_hours: Decimal | None = None
    weekdays: frozenset[int] | None = None  # None: the program's days
    pay_cut_percent: Decimal | None = None
    declared_monthly_pay: int | None = None
    override_reason: str | None = None
    override_by: str | None = None
    override_at: datetime | None = None
    override_rules: str | None = None
    # Early end (§14): ``end`` is then E', ``planned_end`` the original E.
    planned_end: date | None = None
    end_reason: str | None = None
    end_note: str | None = None
    ended_by: str | None = None
    ended_at: datetime | None = None

    def pay_enrollment(self, person: ParticipantRecord) -> Enrollment:
        """What the pay rules need of this enrollment and its participant."""
        return Enrollment(
            participant_id=person.participant_id,
            program=self.program_code,
            start=self.start,
            end=self.end,
            birth_date=person.birth_date,
            dependents=person.dependents,
            daily_hours=self.daily_hours,
            weekdays=self.weekdays,
            children=person.children,
            declared_monthly_pay=self.declared_monthly_pay,
        )


@dataclass(frozen=True)
class EarlyEnd:
    """An early end to record: the new end E' and who decided it, why and when."""

    end: date
    planned_end: date
    reason: str
    note: str | None
    by: str
    at: datetime


@dataclass(frozen=True)
class StoredTerm:
    """A catalog term with its closure (none until every final month is paid)."""

    program: str
    code: str
    start: date
    end: date
    closed_at: datetime | None = None
    closed_by: str | None = None

    @property
    def key(self) -> str:
        """``dongheng:2025-H1`` (the audit log's name for the term)."""
        return f"{self.program}:{self.code}"


@dataclass(frozen=True)
class FinalMonth:
    """An enrollment of a term, the month holding its end, and its district."""

    enrollment_id: int
    month: str
    district: str
