"""What the web console's screens read about runs, payslips and participants."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from typing import Protocol

from payroll.domain.console import (
    ExceptionItem,
    ParticipantListRow,
    ParticipantPayslip,
    ParticipantRef,
    PayslipOwner,
    PayslipTotals,
    UploadRecord,
)


class ConsoleStore(Protocol):
    def enrolled_counts(self, first: date, last: date) -> dict[tuple[str, str], int]:
        """Roster enrollments overlapping ``first``..``last`` per (district, program)."""
        ...

    def open_exception_counts(self, month: str) -> dict[int, int]:
        """Run id → exceptions not excluded, for the runs of ``month``."""
        ...

    def run_exceptions(self, run_id: int) -> list[ExceptionItem]:
        """The run's exception list, by participant id."""
        ...

    def count_payslips(self, run_id: int, query: str) -> int:
        """How many of the run's payslips match ``query`` (id or name contains it; "" all)."""
        ...

    def payslips(self, run_id: int, query: str, limit: int, offset: int) -> list[PayslipTotals]:
        """One page of the matching payslips, by name then participant id."""
        ...

    def run_participant_ids(self, run_id: int) -> list[str]:
        """The participant ids of the run's payslips, sorted."""
        ...

    def find_participants(
        self, query: str, districts: Collection[str] | None, limit: int
    ) -> list[tuple[str, str, str]]:
        """(participant id, name, district name) whose id or name contains ``query``,
        of ``districts`` (None: every district), by participant id."""
        ...

    def participant(
        self, participant_id: str, districts: Collection[str] | None = None
    ) -> ParticipantRef | None:
        """The participant with this ID (in one of ``districts`` when given; participant IDs
        are per district)."""
        ...

    def participant_districts(self, participant_ids: Sequence[str]) -> dict[str, set[str]]:
        """Participant id → the codes of every district holding that id (an id is a
        district's own number, so two districts may hold the same one)."""
        ...

    def participant_payslips(self, participant_pk: int) -> list[ParticipantPayslip]:
        """Every payslip of one participant, by month."""
        ...

    def payslip_owner(self, payslip_id: int) -> PayslipOwner | None: ...

    def participant_list(
        self,
        districts: Collection[str] | None,
        query: str,
        program: str,
        sort: str,
        limit: int,
        offset: int,
    ) -> tuple[list[ParticipantListRow], int]:
        """One page of the participants of ``districts`` (None: all) whose id or name
        contains ``query`` and, with ``program``, who have an enrollment in it; sorted by
        ``sort`` (``id``, ``name`` or ``birth``); and how many match in all."""
        ...

    def add_upload(self, record: UploadRecord, content: bytes | None) -> int:
        """Keep one upload in the history (``record.id`` is ignored); its id."""
        ...

    def uploads(self, districts: Collection[str] | None, limit: int) -> list[UploadRecord]:
        """The latest uploads made for any of ``districts`` (None: all), newest first."""
        ...

    def upload_file(self, upload_id: int) -> tuple[UploadRecord, bytes | None] | None:
        """One upload and its kept original (None when not kept), or None."""
        ...
