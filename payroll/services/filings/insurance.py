"""What the 4대보험 acquisition and loss filings share: the period, an enrollment's row.

The kinds are ``kinds/insurance_acquisitions.py`` and ``kinds/insurance_losses.py``; the
sheet builders are in ``payroll.formats.reports.insurance``.
"""

from __future__ import annotations

from datetime import date

from payroll.domain.calendar import months_between
from payroll.domain.model import RateBook
from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.formats.reports import insurance
from payroll.services.filings import sources
from payroll.services.filings.reads import FilingError, rrn_of


def months_between_days(first: date, last: date) -> list[str]:
    if last < first:
        raise FilingError(f"--to {last} 이 --from {first} 보다 앞입니다")
    return months_between(first, last)


def enrolled(
    row: EnrollmentRecord,
    person: PersonRecord,
    labels: tuple[dict[str, str], dict[str, str]],
    rates: RateBook,
    full_rrn: bool,
) -> insurance.Enrolled:
    districts, programs = labels
    schedule = sources.schedule(row, person, rates)
    program = programs.get(row.program_code, row.program_code)
    return insurance.Enrolled(
        district=districts[person.district_code],
        participant_id=person.participant_id,
        name=person.name,
        rrn=rrn_of(person, full_rrn),
        birth_date=person.birth_date,
        program=program,
        job=f"{program} 참여자",
        start=row.start,
        end=row.end,
        weekly_hours=schedule.weekly_hours,
        declared_pay=sources.declared_monthly_pay(row, person, rates),
    )
