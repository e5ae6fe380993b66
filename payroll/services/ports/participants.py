"""The participants' store (참여자)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from payroll.domain.roster import ParticipantRecord


class ParticipantStore(Protocol):
    def by_ids(self, participant_ids: Iterable[str]) -> dict[str, ParticipantRecord]:
        """The stored participants among ``participant_ids``, by participant id."""
        ...

    def get(self, participant_id: str) -> ParticipantRecord | None: ...

    def household(self, household: str) -> list[ParticipantRecord]:
        """Every stored participant of a household (세대)."""
        ...

    def add(self, record: ParticipantRecord) -> int:
        """Store a new participant (``record.id`` is ignored); returns its id."""
        ...

    def update(self, pk: int, changes: Mapping[str, Any]) -> None:
        """Set the given fields (ParticipantRecord names) of participant ``pk``."""
        ...

    def lock(self, participant_ids: Iterable[str]) -> None:
        """Hold the participants' rows until the unit of work ends (``FOR UPDATE``), so a
        concurrent import validating them waits."""
        ...
