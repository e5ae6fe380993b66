"""What the filings read from records other features own, in one place.

The filings need an enrollment's declared monthly pay D (rulebook §9), its early-end
reason (§14) and a participant's payee details. Fields that another change adds are read
with ``getattr`` and a fallback, so switching to them is a change in this module only:

* ``EnrollmentRecord.declared_monthly_pay`` (None: the default D of
  ``payroll.domain.declared_pay``);
* ``EnrollmentRecord.end_reason`` / ``end_note`` / ``planned_end`` (early end);
* the payee (bank code, account, 예금주) from the participant's record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from payroll.domain.attendance import Schedule
from payroll.domain.declared_pay import declared_pay_for
from payroll.domain.model import RateBook
from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.reference.catalog import weekdays_from_codes

SETTLEMENT_CODES = {
    "income_tax": "income_tax_settlement",
    "local_income_tax": "local_income_tax_settlement",
    "health_insurance": "health_insurance_settlement",
    "long_term_care": "long_term_care_settlement",
}
"""The final-month settlement deduction line of each monthly deduction (§13)."""


def schedule(row: EnrollmentRecord, participant: PersonRecord, rates: RateBook) -> Schedule:
    """The enrollment's schedule, the program's hours and weekdays by default."""
    program = rates.program(row.program_code)
    return Schedule(
        participant_id=participant.participant_id,
        start=row.start,
        end=row.end,
        daily_hours=row.daily_hours if row.daily_hours is not None else program.daily_hours,
        weekdays=(
            weekdays_from_codes(row.weekdays.split(",")) if row.weekdays else program.weekdays
        ),
    )


def declared_monthly_pay(row: EnrollmentRecord, participant: PersonRecord, rates: RateBook) -> int:
    """D: the roster's 보수월액, else the default of the domain (monthly hours × r(S))."""
    if row.declared_monthly_pay is not None:
        return int(row.declared_monthly_pay)
    weekly = schedule(row, participant, rates).weekly_hours
    return declared_pay_for(weekly, rates.hourly_rate(row.program_code, row.start.year))


@dataclass(frozen=True)
class EndFacts:
    """How an enrollment ended: the last day, the reason code (None: term end), a note."""

    end: date
    reason: str | None
    note: str | None
    early: bool


def end_facts(row: EnrollmentRecord) -> EndFacts:
    reason = getattr(row, "end_reason", None)
    planned = getattr(row, "planned_end", None)
    early = reason is not None or (planned is not None and row.end < planned)
    return EndFacts(row.end, reason, getattr(row, "end_note", None), early)


@dataclass(frozen=True)
class Payee:
    """Where a participant's pay goes."""

    bank_code: str
    bank_name: str
    account: str
    holder: str


def payee(participant: PersonRecord) -> Payee:
    """The participant's bank code, bank name, account digits and 예금주 (default: name)."""
    return Payee(
        participant.bank_code or "",
        participant.bank or "",
        participant.account or "",
        participant.account_holder or participant.name,
    )
