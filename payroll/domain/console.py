"""What the web console's screens read about runs, payslips and participants, as records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from payroll.domain.runs import RunRecord


@dataclass(frozen=True)
class ExceptionItem:
    """A participant on a run's exception list, and whether they were excluded."""

    participant_id: str
    name: str
    reason: str
    excluded: bool
    excluded_reason: str | None
    excluded_by: str | None


@dataclass(frozen=True)
class PayslipTotals:
    """One payslip of a run with its totals (the lines are read apart)."""

    payslip_id: int
    participant_id: str
    name: str
    gross: int
    deductions: int
    net: int
    employer: int


@dataclass(frozen=True)
class ParticipantRef:
    """A participant's key, own id and district (what the access check needs)."""

    pk: int
    participant_id: str
    name: str
    district_code: str


@dataclass(frozen=True)
class ParticipantPayslip:
    """One payslip of a participant, with its run (the participant page)."""

    payslip_id: int
    run_id: int
    month: str
    program_code: str
    state: str
    gross: int
    net: int


@dataclass(frozen=True)
class PayslipOwner:
    """A payslip's run and participant (to check and render one payslip)."""

    payslip_id: int
    run: RunRecord
    participant_id: str


@dataclass(frozen=True)
class ParticipantListRow:
    """One row of a district's participant list: who, and their enrollments' programs."""

    participant_id: str
    name: str
    district_code: str
    birth_date: str  # ISO date
    programs: tuple[str, ...] = ()  # program codes of their enrollments, sorted
    last_end: str = ""  # the latest enrollment end (ISO), "" with none


@dataclass(frozen=True)
class UploadRecord:
    """One upload of the console's history (``has_file``: its original can be downloaded)."""

    id: int
    uploaded_at: datetime
    username: str
    kind: str
    filename: str
    rows: int
    ok: bool
    result: str
    districts: tuple[str, ...]
    has_file: bool = False
