"""In-memory participants, enrollments, attendance and terms for service tests.

What the runs area owns (finalized pay, open runs) is plain data a test sets:
``enrollments.finalized``, ``enrollments.frozen``, ``enrollments.open``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from payroll.domain.model import AttendanceRecord
from payroll.domain.people import AmbiguousParticipant
from payroll.domain.report_records import EnrollmentRecord, PersonRecord
from payroll.domain.roster import EarlyEnd, FinalMonth, StoredTerm


class FakeParticipantStore:
    def __init__(self) -> None:
        self.rows: dict[int, PersonRecord] = {}
        self.locked: list[str] = []

    def by_ids(self, participant_ids: Iterable[str]) -> dict[str, PersonRecord]:
        wanted = set(participant_ids)
        return {p.participant_id: p for p in self.rows.values() if p.participant_id in wanted}

    def all_by_ids(self, participant_ids: Iterable[str]) -> dict[str, list[PersonRecord]]:
        wanted = set(participant_ids)
        found: dict[str, list[PersonRecord]] = {}
        for p in sorted(self.rows.values(), key=lambda p: p.district_code):
            if p.participant_id in wanted:
                found.setdefault(p.participant_id, []).append(p)
        return found

    def get(self, participant_id: str, district: str | None = None) -> PersonRecord | None:
        found = [
            p
            for p in self.rows.values()
            if p.participant_id == participant_id and district in (None, p.district_code)
        ]
        if len(found) > 1:
            raise AmbiguousParticipant(participant_id, sorted(p.district_code for p in found))
        return found[0] if found else None

    def in_districts(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], PersonRecord]:
        wanted = set(keys)
        return {
            (p.district_code, p.participant_id): p
            for p in self.rows.values()
            if (p.district_code, p.participant_id) in wanted
        }

    def of_persons(self, person_keys: Iterable[str]) -> dict[str, list[PersonRecord]]:
        wanted = set(person_keys)
        out: dict[str, list[PersonRecord]] = {}
        for p in sorted(self.rows.values(), key=lambda p: (p.district_code, p.id)):
            if p.person_key in wanted:
                out.setdefault(p.person_key, []).append(p)
        return out

    def without_person_key(self) -> list[PersonRecord]:
        return [p for p in self.with_numbers() if p.person_key is None]

    def with_numbers(self) -> list[PersonRecord]:
        return [p for _, p in sorted(self.rows.items()) if p.rrn_encrypted is not None]

    def household(self, household: str) -> list[PersonRecord]:
        return [p for p in self.rows.values() if p.household == household]

    def add(self, record: PersonRecord) -> int:
        pk = max(self.rows, default=0) + 1
        self.rows[pk] = replace(record, id=pk)
        return pk

    def add_many(self, records: Sequence[PersonRecord]) -> list[int]:
        return [self.add(r) for r in records]

    def update(self, pk: int, changes: Mapping[str, Any]) -> None:
        self.rows[pk] = replace(self.rows[pk], **changes)

    def lock(self, participant_ids: Iterable[str]) -> None:
        self.locked.extend(sorted(set(participant_ids)))


class FakeEnrollmentStore:
    def __init__(self, participants: Callable[[], FakeParticipantStore]) -> None:
        self._participants = participants  # the live store, also after a rollback
        self.rows: dict[int, EnrollmentRecord] = {}
        self.finalized: dict[int, list[tuple[str, int, int]]] = {}  # id -> (month, gross, net)
        self.frozen: dict[int, set[str]] = {}  # id -> finalized months of its run
        self.open: dict[tuple[str, str], set[str]] = {}  # (district, program) -> months

    def of_participants(self, pks: Iterable[int]) -> dict[int, list[EnrollmentRecord]]:
        out: dict[int, list[EnrollmentRecord]] = {pk: [] for pk in pks}
        for row in sorted(self.rows.values(), key=lambda r: (r.start, r.id)):
            if row.participant_pk in out:
                out[row.participant_pk].append(row)
        return out

    def roster_of(
        self, participant_ids: Iterable[str]
    ) -> list[tuple[EnrollmentRecord, PersonRecord]]:
        people = self._participants().by_ids(participant_ids)
        by_pk = {p.id: p for p in people.values()}
        return [
            (r, by_pk[r.participant_pk])
            for r in self.rows.values()
            if r.participant_pk in by_pk and r.source == "roster"
        ]

    def add(self, record: EnrollmentRecord) -> int:
        pk = max(self.rows, default=0) + 1
        self.rows[pk] = replace(record, id=pk)
        return pk

    def add_many(self, records: Sequence[EnrollmentRecord]) -> list[int]:
        return [self.add(r) for r in records]

    def record_end(self, enrollment_id: int, end: EarlyEnd) -> None:
        self.rows[enrollment_id] = replace(
            self.rows[enrollment_id],
            end=end.end,
            planned_end=end.planned_end,
            end_reason=end.reason,
            end_note=end.note,
            ended_by=end.by,
            ended_at=end.at,
        )

    def finalized_months_of(self, enrollment_ids: Sequence[int]) -> dict[int, set[str]]:
        return {e: set(self.frozen.get(e, set())) for e in enrollment_ids}

    def finalized_pay(self, enrollment_id: int) -> list[tuple[str, int, int]]:
        return sorted(self.finalized.get(enrollment_id, []))

    def open_run_months(self, district: str, program: str, months: Sequence[str]) -> list[str]:
        return sorted(set(months) & self.open.get((district, program), set()))

    def ended_since(self, run_id: int, calculated_at: datetime | None) -> list[str]:
        return []


class FakeAttendanceStore:
    def __init__(self) -> None:
        self.days: dict[tuple[int, bool], dict[date, AttendanceRecord]] = {}

    def records(self, enrollment_id: int, correction: bool = False) -> list[AttendanceRecord]:
        stored = self.days.get((enrollment_id, correction), {})
        return [stored[d] for d in sorted(stored)]

    def replace(
        self,
        enrollment_id: int,
        records: Sequence[AttendanceRecord],
        correction: bool,
        source: str,
        at: datetime,
    ) -> None:
        stored = self.days.setdefault((enrollment_id, correction), {})
        stored.update({r.day: r for r in records})

    def records_of(
        self, enrollment_ids: Sequence[int], correction: bool = False
    ) -> dict[int, list[AttendanceRecord]]:
        return {e: self.records(e, correction) for e in enrollment_ids}

    def replace_all(
        self,
        changes: Mapping[int, Sequence[AttendanceRecord]],
        correction: bool,
        source: str,
        at: datetime,
        stored_days: Collection[tuple[int, date]] | None = None,
    ) -> None:
        for enrollment_id, records in changes.items():
            self.replace(enrollment_id, records, correction, source, at)

    def remove_after(self, enrollment_id: int, day: date) -> int:
        removed = 0
        for (pk, _correction), stored in self.days.items():
            if pk == enrollment_id:
                for d in [d for d in stored if d > day]:
                    del stored[d]
                    removed += 1
        return removed


class FakeTermStore:
    def __init__(self) -> None:
        self.terms: list[StoredTerm] = []
        self.finals: dict[tuple[str, str], list[FinalMonth]] = {}
        self.paid: set[tuple[int, str]] = set()  # (enrollment, month) finalized or excluded

    def ended_before(self, day: date) -> list[StoredTerm]:
        return [t for t in self.terms if t.end < day]

    def close(self, program: str, code: str, by: str, at: datetime) -> None:
        self.terms = [
            replace(t, closed_at=at, closed_by=by) if (t.program, t.code) == (program, code) else t
            for t in self.terms
        ]

    def final_months(self, program: str, code: str) -> list[FinalMonth]:
        return list(self.finals.get((program, code), []))

    def settled(self, enrollment_ids: Sequence[int]) -> set[tuple[int, str]]:
        wanted = set(enrollment_ids)
        return {(pk, month) for pk, month in self.paid if pk in wanted}
