"""The severance review's store: enrollments by participant and their monthly wages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from payroll.domain.report_records import EnrollmentRecord, PersonRecord, ProgramRecord


class SeveranceStore(Protocol):
    def programs(self) -> dict[str, ProgramRecord]: ...

    def enrollments(
        self, district: str | None = None
    ) -> list[tuple[PersonRecord, list[EnrollmentRecord]]]:
        """Every participant (of ``district``) with their enrollments by start; by district
        and participant id."""
        ...

    def monthly_wages(
        self, participant_pks: Sequence[int], excluded_codes: Sequence[str]
    ) -> dict[int, dict[str, int]]:
        """Participant → month → Σ finalized earning lines, less ``excluded_codes``."""
        ...
