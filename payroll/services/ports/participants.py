"""The participants' store (참여자)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from payroll.domain.report_records import PersonRecord


class ParticipantStore(Protocol):
    def by_ids(self, participant_ids: Iterable[str]) -> dict[str, PersonRecord]:
        """The stored participants among ``participant_ids``, by participant id."""
        ...

    def get(self, participant_id: str, district: str | None = None) -> PersonRecord | None:
        """The participant with this district's ID (any district when ``None``; several:
        :class:`~payroll.domain.people.AmbiguousParticipant`)."""
        ...

    def in_districts(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], PersonRecord]:
        """The stored participants among ``(district code, participant id)`` pairs."""
        ...

    def of_persons(self, person_keys: Iterable[str]) -> dict[str, list[PersonRecord]]:
        """Every participant (any district) of each person key, by person key."""
        ...

    def without_person_key(self) -> list[PersonRecord]:
        """Participants with a stored resident number but no person key yet."""
        ...

    def with_numbers(self) -> list[PersonRecord]:
        """Every participant with a stored resident number."""
        ...

    def household(self, household: str) -> list[PersonRecord]:
        """Every stored participant of a household (세대)."""
        ...

    def all_by_ids(self, participant_ids: Iterable[str]) -> dict[str, list[PersonRecord]]:
        """Every district's participant of each id, by id, in district order (absent: no
        such participant anywhere)."""
        ...

    def add(self, record: PersonRecord) -> int:
        """Store a new participant (``record.id`` is ignored); returns its id."""
        ...

    def add_many(self, records: Sequence[PersonRecord]) -> list[int]:
        """Store new participants in bulk (ids ignored); their ids, in order."""
        ...

    def update(self, pk: int, changes: Mapping[str, Any]) -> None:
        """Set the given fields (PersonRecord names) of participant ``pk``."""
        ...

    def lock(self, participant_ids: Iterable[str]) -> None:
        """Hold the participants' rows until the unit of work ends (``FOR UPDATE``), so a
        concurrent import validating them waits."""
        ...
