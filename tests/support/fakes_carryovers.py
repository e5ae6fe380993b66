"""The carryover store in memory (:class:`payroll.services.ports.carryovers.CarryoverStore`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from payroll.domain.carryover import CarryKind, Carryover
from payroll.domain.model import AttendanceRecord
from payroll.domain.report_records import SlipFigures


class FakeCarryoverStore:
    def __init__(self) -> None:
        self.items: dict[int, Carryover] = {}
        self.lines: dict[int, list[tuple[int, str, str | None, int]]] = {}
        self.payee: dict[int, tuple[str, ...]] = {}
        self.attendance: dict[int, list[AttendanceRecord]] = {}
        self.fingerprints: dict[int, str | None] = {}
        self.reopened: dict[int, str] = {}
        self.figures: dict[int, list[SlipFigures]] = {}

    def of_enrollments(self, enrollment_ids: Sequence[int]) -> dict[int, list[Carryover]]:
        out: dict[int, list[Carryover]] = {}
        for item in self.items.values():
            if item.enrollment_id in enrollment_ids:
                out.setdefault(item.enrollment_id, []).append(item)
        return out

    def get(self, carry_id: int) -> Carryover | None:
        return self.items.get(carry_id)

    def add(
        self,
        enrollment_id: int,
        kind: CarryKind,
        ref_month: str,
        taxable: int,
        non_taxable: int,
        reason: str,
        by: str,
        at: datetime,
        source_run_id: int | None = None,
    ) -> int:
        carry_id = len(self.items) + 1
        self.items[carry_id] = Carryover(
            carry_id, enrollment_id, kind, ref_month, taxable, non_taxable, reason, 0, source_run_id
        )
        return carry_id

    def put_held(
        self,
        run_id: int,
        enrollment_id: int,
        month: str,
        taxable: int,
        non_taxable: int,
        reason: str,
        by: str,
        at: datetime,
    ) -> int:
        for item in self.items.values():
            if (item.source_run_id, item.enrollment_id, item.kind) == (
                run_id,
                enrollment_id,
                CarryKind.HELD,
            ):
                self.items[item.id] = replace(
                    item, taxable=taxable, non_taxable=non_taxable, reason=reason
                )
                return item.id
        return self.add(
            enrollment_id, CarryKind.HELD, month, taxable, non_taxable, reason, by, at, run_id
        )

    def drop_held(self, run_id: int, keep: set[int]) -> None:
        for carry_id, item in list(self.items.items()):
            if (
                item.source_run_id == run_id
                and item.kind is CarryKind.HELD
                and item.enrollment_id not in keep
            ):
                del self.items[carry_id]

    def of_run(self, run_id: int) -> list[Carryover]:
        return [c for c in self.items.values() if c.source_run_id == run_id]

    def release(self, carry_id: int, by: str, at: datetime) -> None:
        self.items[carry_id] = replace(self.items[carry_id], released_by=by)

    def write_off(self, carry_id: int, by: str, reason: str, at: datetime) -> None:
        self.items[carry_id] = replace(
            self.items[carry_id], written_off_by=by, written_off_reason=reason
        )

    def add_settled(self, carry_id: int, amount: int) -> None:
        item = self.items[carry_id]
        self.items[carry_id] = replace(item, settled=item.settled + amount)

    def outstanding(self) -> list[tuple[Carryover, str, str, str]]:
        return [(c, str(c.enrollment_id), "", "") for c in self.items.values() if c.outstanding]

    def carry_lines(self, run_id: int) -> list[tuple[int, str, str | None, int]]:
        return list(self.lines.get(run_id, []))

    def payees(self, enrollment_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        return {e: self.payee[e] for e in enrollment_ids if e in self.payee}

    def month_attendance(
        self, enrollment_ids: Sequence[int], month: str
    ) -> dict[int, list[AttendanceRecord]]:
        return {
            e: [r for r in self.attendance.get(e, []) if r.day.isoformat()[:7] == month]
            for e in enrollment_ids
            if e in self.attendance
        }

    def set_fingerprint(self, run_id: int, fingerprint: str | None) -> None:
        self.fingerprints[run_id] = fingerprint

    def reopen(self, run_id: int, note: str) -> None:
        self.reopened[run_id] = note

    def run_figures(self, run_id: int) -> list[SlipFigures]:
        return list(self.figures.get(run_id, []))
