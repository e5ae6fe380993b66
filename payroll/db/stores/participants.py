"""Participants behind :class:`payroll.services.ports.participants.ParticipantStore`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from payroll.db.batches import batches
from payroll.db.bulk import insert_records
from payroll.db.models import Participant
from payroll.db.stores.records import person_record
from payroll.domain.people import AmbiguousParticipant
from payroll.domain.report_records import PersonRecord


class SqlParticipantStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_ids(self, participant_ids: Iterable[str]) -> dict[str, PersonRecord]:
        found: dict[str, PersonRecord] = {}
        for chunk in batches(sorted(set(participant_ids))):
            query = select(Participant).where(Participant.participant_id.in_(chunk))
            found.update({p.participant_id: person_record(p) for p in self.session.scalars(query)})
        return found

    def all_by_ids(self, participant_ids: Iterable[str]) -> dict[str, list[PersonRecord]]:
        found: dict[str, list[PersonRecord]] = {}
        for chunk in batches(sorted(set(participant_ids))):
            query = select(Participant).where(Participant.participant_id.in_(chunk))
            for p in self.session.scalars(query.order_by(Participant.district_code)):
                found.setdefault(p.participant_id, []).append(person_record(p))
        return found

    def get(self, participant_id: str, district: str | None = None) -> PersonRecord | None:
        query = select(Participant).where(Participant.participant_id == participant_id)
        if district is not None:
            query = query.where(Participant.district_code == district)
        rows = self.session.scalars(query.order_by(Participant.district_code)).all()
        if len(rows) > 1:
            raise AmbiguousParticipant(participant_id, [r.district_code for r in rows])
        return person_record(rows[0]) if rows else None

    def in_districts(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], PersonRecord]:
        wanted = set(keys)
        found: dict[tuple[str, str], PersonRecord] = {}
        for chunk in batches(sorted({pid for _, pid in wanted})):
            query = select(Participant).where(Participant.participant_id.in_(chunk))
            for p in self.session.scalars(query):
                if (p.district_code, p.participant_id) in wanted:
                    found[(p.district_code, p.participant_id)] = person_record(p)
        return found

    def of_persons(self, person_keys: Iterable[str]) -> dict[str, list[PersonRecord]]:
        out: dict[str, list[PersonRecord]] = {}
        for chunk in batches(sorted(set(person_keys))):
            query = (
                select(Participant)
                .where(Participant.person_key.in_(chunk))
                .order_by(Participant.district_code, Participant.id)
            )
            for p in self.session.scalars(query):
                assert p.person_key is not None
                out.setdefault(p.person_key, []).append(person_record(p))
        return out

    def without_person_key(self) -> list[PersonRecord]:
        query = select(Participant).where(
            Participant.person_key.is_(None), Participant.rrn_encrypted.is_not(None)
        )
        return [person_record(p) for p in self.session.scalars(query.order_by(Participant.id))]

    def with_numbers(self) -> list[PersonRecord]:
        query = select(Participant).where(Participant.rrn_encrypted.is_not(None))
        return [person_record(p) for p in self.session.scalars(query.order_by(Participant.id))]

    def household(self, household: str) -> list[PersonRecord]:
        rows = self.session.scalars(select(Participant).where(Participant.household == household))
        return [person_record(p) for p in rows]

    def add(self, record: PersonRecord) -> int:
        values = {f.name: getattr(record, f.name) for f in fields(record) if f.name != "id"}
        row = Participant(**values, created_at=datetime.now(UTC))
        self.session.add(row)
        self.session.flush()
        return row.id

    def add_many(self, records: Sequence[PersonRecord]) -> list[int]:
        return insert_records(self.session, Participant.__table__, records)  # type: ignore[arg-type]

    def update(self, pk: int, changes: Mapping[str, Any]) -> None:
        row = self.session.get(Participant, pk)
        assert row is not None
        for name, value in changes.items():
            setattr(row, name, value)
        self.session.flush()

    def lock(self, participant_ids: Iterable[str]) -> None:
        """``SELECT … FOR UPDATE`` in a fixed order (PostgreSQL; SQLite holds the whole
        database already in a serialized unit of work)."""
        wanted = sorted(set(participant_ids))
        if self.session.get_bind().dialect.name == "sqlite" or not wanted:
            return
        for chunk in batches(wanted):
            self.session.execute(
                select(Participant.id)
                .where(Participant.participant_id.in_(chunk))
                .order_by(Participant.participant_id)
                .with_for_update()
            ).all()
