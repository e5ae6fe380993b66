"""Small builders for database tests: a participant with an enrollment, straight into the tables."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import Engine

from payroll.db.engine import transaction
from payroll.db.models import EnrollmentRow, Participant


def add_enrolled(
    engine: Engine,
    participant_id: str,
    *,
    name: str = "김민지",
    birth_date: date = date(1970, 5, 1),
    district: str = "11110",
    program: str = "dongheng",
    start: date = date(2025, 1, 10),
    end: date = date(2025, 6, 30),
    term: str | None = "2025-H1",
    dependents: int = 1,
    pay_cut_percent: Decimal | None = None,
) -> int:
    """Insert a participant and a roster enrollment; return the enrollment id."""
    now = datetime.now(UTC)
    with transaction(engine) as session:
        person = Participant(
            participant_id=participant_id,
            name=name,
            birth_date=birth_date,
            district_code=district,
            bank="KB국민은행",
            bank_code="004",
            account="123456789012",
            dependents=dependents,
            created_at=now,
        )
        session.add(person)
        session.flush()
        enrollment = EnrollmentRow(
            participant_pk=person.id,
            program_code=program,
            term_code=term,
            start=start,
            end=end,
            source="roster",
            pay_cut_percent=pay_cut_percent,
            created_at=now,
        )
        session.add(enrollment)
        session.flush()
        return enrollment.id
