"""Carried-over pay and the approval fingerprint's reads, behind
:class:`payroll.services.ports.carryovers.CarryoverStore`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session, aliased

from payroll.db.batches import id_in
from payroll.db.models import (
    AttendanceCorrection,
    AttendanceRow,
    EnrollmentRow,
    Participant,
    PayCarryover,
    PayrollRun,
    PayslipLineRow,
    PayslipRow,
)
from payroll.db.stores.payslips import earning_lines, lines_of_slips
from payroll.db.stores.records import record
from payroll.domain.calendar import month_range
from payroll.domain.carryover import CARRY_CODES, CarryKind, Carryover
from payroll.domain.model import AttendanceRecord, Status
from payroll.domain.report_records import SlipFigures
from payroll.domain.runs import RunState

_TARGET = aliased(EnrollmentRow, name="target")
_SOURCE = aliased(EnrollmentRow, name="source")
"""An enrollment and another of the same participant (made once: an alias is costly)."""


def _carry(row: PayCarryover) -> Carryover:
    return record(Carryover, row)


_TARGET, _SOURCE = aliased(EnrollmentRow), aliased(EnrollmentRow)
"""The enrollments of :meth:`SqlCarryoverStore.of_enrollments`, aliased once (an alias
is a copy of every column: making two per run cost more than the query)."""


class SqlCarryoverStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def of_enrollments(self, enrollment_ids: Sequence[int]) -> dict[int, list[Carryover]]:
        target, source = _TARGET, _SOURCE
        found: dict[int, list[Carryover]] = defaultdict(list)
        for ids in id_in(self.session, target.id, enrollment_ids):
            stmt = (
                select(target.id, PayCarryover)
                .join(source, source.id == PayCarryover.enrollment_id)
                .join(target, target.participant_pk == source.participant_pk)
                .where(
                    ids,
                    or_(
                        PayCarryover.enrollment_id == target.id,
                        PayCarryover.kind == str(CarryKind.RECOVERY),
                    ),
                )
                .order_by(PayCarryover.id)
            )
            for enrollment_id, row in self.session.execute(stmt):
                found[enrollment_id].append(_carry(row))
        return dict(found)

    def get(self, carry_id: int) -> Carryover | None:
        row = self.session.get(PayCarryover, carry_id)
        return _carry(row) if row else None

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
        row = PayCarryover(
            enrollment_id=enrollment_id,
            source_run_id=source_run_id,
            kind=str(kind),
            ref_month=ref_month,
            taxable=taxable,
            non_taxable=non_taxable,
            settled=0,
            reason=reason,
            created_by=by,
            created_at=at,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

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
        row = self.session.scalars(
            select(PayCarryover).where(
                PayCarryover.source_run_id == run_id,
                PayCarryover.enrollment_id == enrollment_id,
                PayCarryover.kind == str(CarryKind.HELD),
            )
        ).first()
        if row is None:
            return self.add(
                enrollment_id, CarryKind.HELD, month, taxable, non_taxable, reason, by, at, run_id
            )
        row.taxable, row.non_taxable, row.reason = taxable, non_taxable, reason
        self.session.flush()
        return row.id

    def drop_held(self, run_id: int, keep: set[int]) -> None:
        self.session.execute(
            delete(PayCarryover).where(
                PayCarryover.source_run_id == run_id,
                PayCarryover.kind == str(CarryKind.HELD),
                PayCarryover.enrollment_id.not_in(sorted(keep) or [-1]),
            )
        )

    def of_run(self, run_id: int) -> list[Carryover]:
        stmt = (
            select(PayCarryover)
            .where(PayCarryover.source_run_id == run_id)
            .order_by(PayCarryover.id)
        )
        return [_carry(r) for r in self.session.scalars(stmt)]

    def release(self, carry_id: int, by: str, at: datetime) -> None:
        row = self.session.get_one(PayCarryover, carry_id)
        row.released_by, row.released_at = by, at
        self.session.flush()

    def write_off(self, carry_id: int, by: str, reason: str, at: datetime) -> None:
        row = self.session.get_one(PayCarryover, carry_id)
        row.written_off_by, row.written_off_reason, row.written_off_at = by, reason, at
        self.session.flush()

    def add_settled(self, carry_id: int, amount: int) -> None:
        self.session.execute(
            update(PayCarryover)
            .where(PayCarryover.id == carry_id)
            .values(settled=PayCarryover.settled + amount)
        )

    def outstanding(self) -> list[tuple[Carryover, str, str, str]]:
        stmt = (
            select(PayCarryover, Participant.participant_id, Participant.district_code)
            .add_columns(EnrollmentRow.program_code)
            .join(EnrollmentRow, EnrollmentRow.id == PayCarryover.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(
                PayCarryover.written_off_by.is_(None),
                PayCarryover.taxable + PayCarryover.non_taxable != PayCarryover.settled,
            )
            .order_by(PayCarryover.ref_month, Participant.participant_id, PayCarryover.id)
        )
        return [(_carry(c), pid, d, p) for c, pid, d, p in self.session.execute(stmt)]

    def carry_lines(self, run_id: int) -> list[tuple[int, str, str | None, int]]:
        return earning_lines(self.session, run_id, CARRY_CODES)

    def payees(self, enrollment_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        out: dict[int, tuple[str, ...]] = {}
        for ids in id_in(self.session, EnrollmentRow.id, enrollment_ids):
            stmt = (
                select(
                    EnrollmentRow.id,
                    Participant.participant_id,
                    Participant.bank_code,
                    Participant.account,
                    Participant.account_holder,
                )
                .join(Participant, Participant.id == EnrollmentRow.participant_pk)
                .where(ids)
            )
            for eid, pid, bank, account, holder in self.session.execute(stmt):
                out[eid] = (pid, bank or "", account or "", holder or "")
        return out

    def month_attendance(
        self, enrollment_ids: Sequence[int], month: str
    ) -> dict[int, list[AttendanceRecord]]:
        first, last = month_range(month)
        found: dict[int, list[AttendanceRecord]] = defaultdict(list)
        for table in (AttendanceRow, AttendanceCorrection):
            for ids in id_in(self.session, table.enrollment_id, enrollment_ids):
                stmt = (
                    select(table.enrollment_id, table.day, table.status, table.hours)
                    .where(ids, table.day.between(first, last))
                    .order_by(table.day)
                )
                for enrollment_id, day, status, hours in self.session.execute(stmt):
                    found[enrollment_id].append(AttendanceRecord(day, Status(status), hours))
        return dict(found)

    def run_figures(self, run_id: int) -> list[SlipFigures]:
        slip = PayslipRow
        slips = self.session.execute(
            select(slip.id, slip.enrollment_id, slip.gross, slip.total_deductions, slip.net)
            .where(slip.run_id == run_id)
            .order_by(slip.id)
        ).all()
        line = PayslipLineRow
        columns = (line.payslip_id, line.kind, line.code, line.amount, line.ref_month)
        rows = lines_of_slips(self.session, [s[0] for s in slips], columns)
        lines: dict[int, list[tuple[str, str, int, str | None]]] = defaultdict(list)
        for slip_id, kind, code, amount, ref_month in rows:
            lines[slip_id].append((kind, code, amount, ref_month))
        return [
            (enrollment, gross, deductions, net, lines.get(slip_id, []))
            for slip_id, enrollment, gross, deductions, net in slips
        ]

    def set_fingerprint(self, run_id: int, fingerprint: str | None) -> None:
        self.session.execute(
            update(PayrollRun)
            .where(PayrollRun.id == run_id)
            .values(approved_fingerprint=fingerprint)
        )

    def reopen(self, run_id: int, note: str) -> None:
        self.session.execute(
            update(PayrollRun)
            .where(PayrollRun.id == run_id, PayrollRun.state == str(RunState.APPROVED))
            .values(
                state=str(RunState.CALCULATED),
                approved_by=None,
                approved_at=None,
                approved_fingerprint=None,
                reopened_note=note,
            )
        )
