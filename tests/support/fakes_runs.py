"""In-memory runs, run inputs and payslips for service tests on the fake unit of work."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, datetime

from payroll.domain.model import AttendanceRecord, Payslip
from payroll.domain.report_records import ExceptionRecord, PayslipRecord
from payroll.domain.retro import MonthPay
from payroll.domain.run_member import RunMember
from payroll.domain.runs import OPEN_STATES, RunConflict, RunRecord, RunState, RunTotals


class FakeRunStore:
    def __init__(self) -> None:
        self.runs: dict[int, RunRecord] = {}
        self.run_exceptions: dict[int, list[ExceptionRecord]] = {}
        self.participants: dict[int, str] = {}  # enrollment id -> participant id

    def put(self, run: RunRecord) -> RunRecord:
        """Test setup: store ``run`` as it is."""
        self.runs[run.id] = run
        return run

    def get(self, run_id: int) -> RunRecord | None:
        return self.runs.get(run_id)

    def find(self, month: str, district: str, program: str) -> RunRecord | None:
        return next(
            (
                r
                for r in self.runs.values()
                if (r.month, r.district_code, r.program_code) == (month, district, program)
            ),
            None,
        )

    def list(self, month: str | None = None, state: RunState | None = None) -> list[RunRecord]:
        found = [
            r
            for r in self.runs.values()
            if (month is None or r.month == month) and (state is None or r.state is state)
        ]
        return sorted(found, key=lambda r: (r.month, r.district_code, r.program_code))

    def first_month(self) -> str | None:
        return min((r.month for r in self.runs.values()), default=None)

    def add(self, month: str, district: str, program: str) -> int:
        if self.find(month, district, program):
            raise RunConflict(f"{month} {district} {program}")
        run_id = max(self.runs, default=0) + 1
        self.runs[run_id] = RunRecord(run_id, month, district, program, RunState.CALCULATED)
        return run_id

    def _change(self, run_id: int, **values: object) -> None:
        self.runs[run_id] = dataclasses.replace(self.runs[run_id], **values)  # type: ignore[arg-type]

    def save_calculation(self, run_id: int, totals: RunTotals, by: str, at: datetime) -> None:
        self._change(
            run_id,
            state=RunState.CALCULATED,
            participant_count=totals.participants,
            exception_count=totals.exceptions,
            gross=totals.gross,
            total_deductions=totals.deductions,
            net=totals.net,
            employer_total=totals.employer,
            calculated_by=by,
            calculated_at=at,
            approved_by=None,
            approved_at=None,
        )

    def set_state(self, run_id: int, state: RunState, by: str, at: datetime) -> None:
        if state is RunState.APPROVED:
            self._change(run_id, state=state, approved_by=by, approved_at=at)
        elif state is RunState.FINALIZED:
            self._change(run_id, state=state, finalized_by=by, finalized_at=at)
        else:
            zero = dict.fromkeys(
                ("participant_count", "exception_count", "gross", "total_deductions", "net"), 0
            )
            self._change(run_id, state=state, employer_total=0, **zero)

    def clear(self, run_id: int) -> None:
        self.run_exceptions.pop(run_id, None)

    def earliest_open_before(self, run: RunRecord) -> RunRecord | None:
        return next(
            (
                r
                for r in self.list()
                if (r.district_code, r.program_code) == (run.district_code, run.program_code)
                and r.month < run.month
                and r.state in OPEN_STATES
            ),
            None,
        )

    def months_before(self, run: RunRecord) -> set[str]:
        return {
            r.month
            for r in self.runs.values()
            if (r.district_code, r.program_code) == (run.district_code, run.program_code)
            and r.month < run.month
        }

    def exceptions(self, run_id: int) -> list[tuple[ExceptionRecord, str]]:
        found = [
            (x, self.participants.get(x.enrollment_id, ""))
            for x in self.run_exceptions.get(run_id, [])
        ]
        return sorted(found, key=lambda pair: pair[1])

    def add_exceptions(self, run_id: int, records: Sequence[ExceptionRecord]) -> None:
        self.run_exceptions.setdefault(run_id, []).extend(records)

    def open_exception_count(self, run_id: int) -> int:
        return sum(1 for x in self.run_exceptions.get(run_id, []) if not x.excluded)

    def exclude(self, run_id: int, enrollment_id: int, reason: str, by: str) -> None:
        self.run_exceptions[run_id] = [
            dataclasses.replace(x, excluded=True, excluded_reason=reason, excluded_by=by)
            if x.enrollment_id == enrollment_id
            else x
            for x in self.run_exceptions.get(run_id, [])
        ]

    def excepted_enrollments(self, month: str) -> set[int]:
        return {
            x.enrollment_id
            for run_id, found in self.run_exceptions.items()
            if self.runs[run_id].month == month
            for x in found
        }


class FakeRunInputStore:
    """Enrollments only (no attendance, corrections or finalized pay unless set)."""

    def __init__(self) -> None:
        self.by_month: dict[str, list[RunMember]] = {}

    def members(self, month: str, district: str | None, program: str | None) -> list[RunMember]:
        return [
            m
            for m in self.by_month.get(month, [])
            if (district is None or m.district == district)
            and (program is None or m.program == program)
        ]

    def sizes(
        self, month: str, district: str | None, program: str | None
    ) -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        for m in self.members(month, district, program):
            found[(m.district, m.program)] = found.get((m.district, m.program), 0) + 1
        return found

    def members_by_id(self, enrollment_ids: Sequence[int]) -> list[RunMember]:
        found = {m.enrollment_id: m for ms in self.by_month.values() for m in ms}
        return [found[i] for i in sorted(set(enrollment_ids)) if i in found]

    def has_enrollments(self, district: str, program: str, month: str) -> bool:
        return bool(self.members(month, district, program))

    def enrolled(self, month: str) -> list[tuple[str, int]]:
        return [(m.participant_id, m.enrollment_id) for m in self.by_month.get(month, [])]

    def attendance(self, enrollment_ids: Sequence[int]) -> dict[int, list[AttendanceRecord]]:
        return {}

    def corrections(self, enrollment_ids: Sequence[int]) -> dict[int, list[AttendanceRecord]]:
        return {}

    def corrected(self, enrollment_ids: Sequence[int]) -> set[int]:
        return set()

    def last_corrections(self, enrollment_ids: Sequence[int]) -> dict[int, datetime]:
        return {}

    def finalized_pay(
        self, enrollment_ids: Sequence[int]
    ) -> list[tuple[int, str, str | None, MonthPay]]:
        return []

    def finalized_slips(
        self, enrollment_ids: Sequence[int], before: str
    ) -> list[tuple[int, int, str, int, int]]:
        return []

    def finalized_year_slips(
        self, participant_pks: Sequence[int], year: str
    ) -> list[tuple[int, int, int, date, str]]:
        return []

    def deduction_amounts(self, payslip_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        return {}

    def finalized_run_times(
        self, enrollment_ids: Sequence[int]
    ) -> dict[int, list[tuple[str, datetime]]]:
        return {}


class FakePayslipStore:
    def __init__(self) -> None:
        self.slips: dict[int, list[tuple[int, Payslip]]] = {}  # run id -> (enrollment, payslip)
        self.snapshots: dict[int, list[int]] = {}  # run id -> enrollments snapshotted

    def add(self, run_id: int, computed: Sequence[tuple[int, Payslip]]) -> None:
        self.slips.setdefault(run_id, []).extend(computed)

    def of_run(self, run_id: int) -> list[tuple[PayslipRecord, str]]:
        return []

    def count(self, run_id: int) -> int:
        return len(self.slips.get(run_id, []))

    def enrollments_of_run(self, run_id: int) -> set[int]:
        return {e for e, _p in self.slips.get(run_id, [])}

    def paid_enrollments(self, month: str) -> set[int]:
        return {e for found in self.slips.values() for e, p in found if p.month == month}

    def retro_amounts(self, run_id: int) -> list[tuple[int, str, str | None, int]]:
        return [
            (e, line.code, line.ref_month, line.amount)
            for e, p in self.slips.get(run_id, [])
            for line in p.earnings
            if line.ref_month
        ]

    def finalized_enrollments(self, month: str, *, with_retro: bool = False) -> set[int]:
        return set()

    def take_snapshot(self, run_id: int) -> None:
        self.snapshots[run_id] = sorted(self.enrollments_of_run(run_id))
