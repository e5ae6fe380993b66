"""Enrollments behind :class:`payroll.services.ports.enrollments.EnrollmentStore`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import UTC, datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from payroll.db.batches import batches
from payroll.db.bulk import insert_records
from payroll.db.models import EnrollmentRow, Participant, PayrollRun, PayslipRow
from payroll.db.stores.records import enrollment_record
from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.domain.roster import EarlyEnd
from payroll.domain.runs import RunState

_ENROLLMENT_FIELDS = tuple(f.name for f in fields(EnrollmentRecord))
_PERSON_FIELDS = tuple(f.name for f in fields(PersonRecord))
_PERSON_ID = _PERSON_FIELDS.index("id")


class SqlEnrollmentStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def of_participants(self, pks: Iterable[int]) -> dict[int, list[EnrollmentRecord]]:
        wanted = sorted(set(pks))
        out: dict[int, list[EnrollmentRecord]] = {pk: [] for pk in wanted}
        for chunk in batches(wanted):
            rows = self.session.scalars(
                select(EnrollmentRow)
                .where(EnrollmentRow.participant_pk.in_(chunk))
                .order_by(EnrollmentRow.start, EnrollmentRow.id)
            )
            for row in rows:
                out[row.participant_pk].append(enrollment_record(row))
        return out

    def roster_of(
        self, participant_ids: Iterable[str]
    ) -> list[tuple[EnrollmentRecord, PersonRecord]]:
        """Columns, not ORM objects: a whole attendance file's enrollments are read here."""
        size = len(_ENROLLMENT_FIELDS)
        columns = [EnrollmentRow.__table__.c[n] for n in _ENROLLMENT_FIELDS]
        columns += [Participant.__table__.c[n] for n in _PERSON_FIELDS]
        people: dict[int, PersonRecord] = {}  # one record per participant, however many rows
        out = []
        for chunk in batches(sorted(set(participant_ids))):
            rows = self.session.execute(
                select(*columns)
                .select_from(EnrollmentRow)
                .join(Participant)
                .where(Participant.participant_id.in_(chunk), EnrollmentRow.source == "roster")
            )
            for row in rows:
                person = people.get(row[size + _PERSON_ID])
                if person is None:
                    person = PersonRecord(**dict(zip(_PERSON_FIELDS, row[size:], strict=True)))
                    people[person.id] = person
                enrollment = EnrollmentRecord(
                    **dict(zip(_ENROLLMENT_FIELDS, row[:size], strict=True))
                )
                out.append((enrollment, person))
        return out

    def add(self, record: EnrollmentRecord) -> int:
        values = {f.name: getattr(record, f.name) for f in fields(record) if f.name != "id"}
        row = EnrollmentRow(**values, created_at=datetime.now(UTC))
        self.session.add(row)
        self.session.flush()
        return row.id

    def add_many(self, records: Sequence[EnrollmentRecord]) -> list[int]:
        return insert_records(self.session, EnrollmentRow.__table__, records)  # type: ignore[arg-type]

    def record_end(self, enrollment_id: int, end: EarlyEnd) -> None:
        row = self.session.get(EnrollmentRow, enrollment_id)
        assert row is not None
        row.planned_end, row.end = end.planned_end, end.end
        row.end_reason, row.end_note = end.reason, end.note
        row.ended_by, row.ended_at = end.by, end.at
        self.session.flush()

    def finalized_months_of(self, enrollment_ids: Sequence[int]) -> dict[int, set[str]]:
        found: dict[int, set[str]] = {e: set() for e in enrollment_ids}
        for chunk in batches(sorted(found)):
            rows = self.session.execute(
                select(EnrollmentRow.id, PayrollRun.month)
                .select_from(PayrollRun)
                .join(EnrollmentRow, EnrollmentRow.program_code == PayrollRun.program_code)
                .join(
                    Participant,
                    and_(
                        Participant.id == EnrollmentRow.participant_pk,
                        Participant.district_code == PayrollRun.district_code,
                    ),
                )
                .where(EnrollmentRow.id.in_(chunk), PayrollRun.state == RunState.FINALIZED)
            )
            for enrollment_id, month in rows:
                found[enrollment_id].add(month)
        return found

    def finalized_pay(self, enrollment_id: int) -> list[tuple[str, int, int]]:
        rows = self.session.execute(
            select(PayslipRow.month, PayslipRow.gross, PayslipRow.net)
            .join(PayrollRun, PayrollRun.id == PayslipRow.run_id)
            .where(
                PayslipRow.enrollment_id == enrollment_id, PayrollRun.state == RunState.FINALIZED
            )
            .order_by(PayslipRow.month)
        )
        return [(month, gross, net) for month, gross, net in rows]

    def open_run_months(self, district: str, program: str, months: Sequence[str]) -> list[str]:
        return sorted(
            self.session.scalars(
                select(PayrollRun.month).where(
                    PayrollRun.district_code == district,
                    PayrollRun.program_code == program,
                    PayrollRun.month.in_(list(months)),
                    PayrollRun.state.in_((RunState.CALCULATED, RunState.APPROVED)),
                )
            )
        )

    def ended_since(self, run_id: int, calculated_at: datetime | None) -> list[str]:
        if calculated_at is None:
            return []
        calculated = calculated_at.replace(tzinfo=None)
        found = self.session.execute(
            select(Participant.participant_id, EnrollmentRow.ended_at)
            .join(EnrollmentRow, EnrollmentRow.participant_pk == Participant.id)
            .join(PayslipRow, PayslipRow.enrollment_id == EnrollmentRow.id)
            .where(PayslipRow.run_id == run_id, EnrollmentRow.ended_at.is_not(None))
        )
        return sorted(pid for pid, at in found if at.replace(tzinfo=None) > calculated)
