"""In-memory stores of the reports area (ledger, filings, sheets, severance) for service tests."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from payroll.domain.ledger import PayslipFigures, RunKey, Scope, UnfinalizedRun
from payroll.domain.model import AttendanceRecord, Term
from payroll.domain.payee_snapshot import SnapshotFigures, SnapshotPayee
from payroll.domain.report_records import (
    EnrollmentRecord,
    ExceptionRecord,
    LineRecord,
    PayslipOf,
    PayslipRecord,
    PersonRecord,
    ProgramRecord,
    RunRecord,
)


@dataclass
class FakeLedgerStore:
    """Runs by state and finalized payslips, as records; the same scope filter as SQL."""

    term_list: list[Term] = field(default_factory=list)
    runs: dict[RunKey, str] = field(default_factory=dict)  # run -> state
    payslips: list[PayslipFigures] = field(default_factory=list)

    def terms(self, code: str | None = None, program: str | None = None) -> list[Term]:
        return [
            t
            for t in self.term_list
            if (code is None or t.code == code) and (program is None or t.program == program)
        ]

    def _in(self, scope: Scope, run: RunKey) -> bool:
        return scope.includes(run.month, run.program, run.district)

    def finalized_runs(self, scope: Scope) -> list[RunKey]:
        keys = [k for k, state in self.runs.items() if state == "finalized" and self._in(scope, k)]
        return sorted(keys, key=lambda k: (k.month, k.district, k.program))

    def unfinalized_runs(self, scope: Scope) -> list[UnfinalizedRun]:
        return [
            UnfinalizedRun(k.month, k.district, k.program, state)
            for k, state in sorted(self.runs.items(), key=lambda kv: (kv[0].month, kv[0].district))
            if state in ("calculated", "approved") and self._in(scope, k)
        ]

    def finalized_payslips(self, scope: Scope) -> list[PayslipFigures]:
        return [
            p
            for p in self.payslips
            if self.runs.get(p.run) == "finalized" and self._in(scope, p.run)
        ]


@dataclass
class FakeFilingStore:
    """Runs, payslips (with run, enrollment, person) and deduction lines, as records."""

    run_list: list[RunRecord] = field(default_factory=list)
    slips: list[PayslipOf] = field(default_factory=list)
    deductions: dict[int, dict[str, int]] = field(default_factory=dict)
    enrollments: list[tuple[EnrollmentRecord, PersonRecord]] = field(default_factory=list)

    def runs_of(self, months: Iterable[str], district: str | None = None) -> list[RunRecord]:
        wanted = set(months)
        found = [
            r
            for r in self.run_list
            if r.month in wanted and (not district or r.district_code == district)
        ]
        return sorted(found, key=lambda r: (r.month, r.district_code, r.program_code))

    def payslips_of(self, run_ids: Sequence[int]) -> list[PayslipOf]:
        found = [s for s in self.slips if s.run.id in set(run_ids)]
        return sorted(found, key=lambda s: (s.person.participant_id, s.slip.month))

    def deduction_sums(self, payslip_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        return {i: dict(self.deductions[i]) for i in payslip_ids if i in self.deductions}

    def year_totals(
        self, participant_pks: Iterable[int], first: str, last: str, column: str
    ) -> dict[int, tuple[int, int]]:
        out: dict[int, tuple[int, int]] = {}
        for s in self.slips:
            wanted = s.person.id in set(participant_pks) and s.run.state == "finalized"
            if wanted and first <= s.slip.month <= last:
                total, months = out.get(s.person.id, (0, 0))
                out[s.person.id] = (total + getattr(s.slip, column), months + 1)
        return out

    def roster_enrollments(
        self, on: str, first: date, last: date
    ) -> list[tuple[EnrollmentRecord, PersonRecord]]:
        found = [
            (e, p)
            for e, p in self.enrollments
            if e.source == "roster" and first <= getattr(e, on) <= last
        ]
        return sorted(found, key=lambda ep: ep[1].participant_id)


@dataclass
class FakeSeveranceStore:
    program_list: dict[str, ProgramRecord] = field(default_factory=dict)
    people: list[tuple[PersonRecord, list[EnrollmentRecord]]] = field(default_factory=list)
    wages: dict[int, dict[str, int]] = field(default_factory=dict)  # already less 실비

    def programs(self) -> dict[str, ProgramRecord]:
        return dict(self.program_list)

    def enrollments(
        self, district: str | None = None
    ) -> list[tuple[PersonRecord, list[EnrollmentRecord]]]:
        return [(p, list(e)) for p, e in self.people if not district or p.district_code == district]

    def monthly_wages(
        self, participant_pks: Sequence[int], excluded_codes: Sequence[str]
    ) -> dict[int, dict[str, int]]:
        return {pk: dict(self.wages[pk]) for pk in participant_pks if pk in self.wages}


@dataclass
class FakePaySheetStore:
    """A run's payslips with lines, exceptions and attendance, as records."""

    run_list: list[RunRecord] = field(default_factory=list)
    slips: list[PayslipOf] = field(default_factory=list)
    line_map: dict[int, list[LineRecord]] = field(default_factory=dict)
    exception_list: list[tuple[int, ExceptionRecord, EnrollmentRecord, PersonRecord]] = field(
        default_factory=list
    )
    records: dict[int, list[AttendanceRecord]] = field(default_factory=dict)
    snapshots: dict[int, list[SnapshotPayee]] = field(default_factory=dict)  # run id ->

    def runs_of(
        self,
        month: str,
        district: str | None = None,
        program: str | None = None,
        only_finalized: bool = False,
    ) -> list[RunRecord]:
        found = [
            r
            for r in self.run_list
            if r.month == month
            and r.state != "cancelled"
            and (not district or r.district_code == district)
            and (not program or r.program_code == program)
            and (not only_finalized or r.state == "finalized")
        ]
        return sorted(found, key=lambda r: (r.district_code, r.program_code))

    def payslip_count(self, month: str) -> int:
        return sum(1 for s in self.slips if s.run.month == month and s.run.state != "cancelled")

    def run_payslips(self, run: RunRecord) -> list[PayslipOf]:
        found = [s for s in self.slips if s.run.id == run.id]
        return sorted(found, key=lambda s: (s.person.name, s.person.participant_id))

    def payslips(self, run_id: int) -> list[PayslipRecord]:
        return [s.slip for s in self.slips if s.run.id == run_id]

    def lines(self, payslip_ids: Sequence[int]) -> dict[int, list[LineRecord]]:
        return {i: list(self.line_map[i]) for i in payslip_ids if i in self.line_map}

    def exceptions(
        self, run_id: int
    ) -> list[tuple[ExceptionRecord, EnrollmentRecord, PersonRecord]]:
        return [(x, e, p) for r, x, e, p in self.exception_list if r == run_id]

    def attendance(
        self, enrollment_ids: Sequence[int], first: date, last: date
    ) -> dict[int, list[AttendanceRecord]]:
        return {
            i: [a for a in self.records[i] if first <= a.day <= last]
            for i in enrollment_ids
            if i in self.records
        }

    def previous_run(self, run: RunRecord, month: str) -> RunRecord | None:
        key = (month, run.district_code, run.program_code)
        return next(
            (
                r
                for r in self.run_list
                if (r.month, r.district_code, r.program_code) == key and r.state != "cancelled"
            ),
            None,
        )

    def snapshot_figures(self, run_id: int) -> SnapshotFigures:
        payees = self.snapshots.get(run_id, [])
        slips = [s.slip for s in self.slips if s.run.id == run_id]
        ids = {s.id for s in slips}
        return SnapshotFigures(
            len(payees),
            sum(p.net for p in payees),
            len(slips),
            sum(s.net for s in slips),
            sum(1 for p in payees if p.payslip_id in ids),
        )

    def snapshot(self, run_id: int) -> list[SnapshotPayee]:
        return sorted(self.snapshots.get(run_id, []), key=lambda p: (p.name, p.participant_id))
