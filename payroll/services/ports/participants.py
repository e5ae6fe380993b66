"""The participants' store (참여자)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from payroll.domain.report_records import PersonRecord


class ParticipantStore(Protocol):
    def by_ids(self, participant_ids: Iterable[str]) -> dict[str, PersonRecord]:
        """The stored participants among ``participant_ids``, by participant id."""
        ...

    def get(self, participant_id: str) -> PersonRecord | None: ...

    def household(self, household: str) -> list[PersonRecord]:
        """Every stored participant of a household (세대)."""
        ...

    def add(self, record: PersonRecord) -> int:
        """Store a new participant (``record.id`` is ignored); returns its id."""
        ...

    def update(self, pk: int, changes: Mapping[str, Any]) -> None:
        """Set the given fields (PersonRecord names) of participant ``pk``."""
        ...

    def lock(self, participant_ids: Iterable[str]) -> None:
        """Hold the participants' rows until the unit of work ends (``FOR UPDATE``), so a
        concurrent import validating them waits."""
        ...
