"""A run's sheets and payslips behind :class:`payroll.services.ports.pay_sheets.PaySheetStore`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from payroll.db.batches import batches
from payroll.db.models import (
    AttendanceRow,
    EnrollmentRow,
    FinalizedPayee,
    Participant,
    PayrollRun,
    PayslipLineRow,
    PayslipRow,
    RunException,
)
from payroll.db.stores.records import (
    enrollment_record,
    payslip_of,
    payslip_record,
    person_record,
    record,
    run_record,
)
from payroll.db.stores.run_rows import to_record
from payroll.domain.model import AttendanceRecord
from payroll.domain.payee_snapshot import SnapshotFigures, SnapshotPayee
from payroll.domain.report_records import (
    EnrollmentRecord,
    ExceptionRecord,
    LineRecord,
    PayslipOf,
    PayslipRecord,
    PersonRecord,
    RunRecord,
)
from payroll.domain.runs import RunState


class SqlPaySheetStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def runs_of(
        self,
        month: str,
        district: str | None = None,
        program: str | None = None,
        only_finalized: bool = False,
    ) -> list[RunRecord]:
        stmt = select(PayrollRun).where(
            PayrollRun.month == month, PayrollRun.state != RunState.CANCELLED
        )
        if district:
            stmt = stmt.where(PayrollRun.district_code == district)
        if program:
            stmt = stmt.where(PayrollRun.program_code == program)
        if only_finalized:
            stmt = stmt.where(PayrollRun.state == RunState.FINALIZED)
        stmt = stmt.order_by(PayrollRun.district_code, PayrollRun.program_code)
        return [run_record(r) for r in self.session.scalars(stmt)]

    def payslip_count(self, month: str) -> int:
        return (
            self.session.scalar(
                select(func.count())
                .select_from(PayslipRow)
                .join(PayrollRun)
                .where(PayrollRun.month == month, PayrollRun.state != RunState.CANCELLED)
            )
            or 0
        )

    def run_payslips(self, run: RunRecord) -> list[PayslipOf]:
        found = self.session.execute(
            select(PayslipRow, EnrollmentRow, Participant)
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(PayslipRow.run_id == run.id)
            .order_by(Participant.name, Participant.participant_id)
        )
        return [payslip_of(slip, run, e, p) for slip, e, p in found]

    def payslips(self, run_id: int) -> list[PayslipRecord]:
        rows = self.session.scalars(select(PayslipRow).where(PayslipRow.run_id == run_id))
        return [payslip_record(s) for s in rows]

    def lines(self, payslip_ids: Sequence[int]) -> dict[int, list[LineRecord]]:
        found: dict[int, list[LineRecord]] = defaultdict(list)
        line = PayslipLineRow
        for chunk in batches(list(payslip_ids)):
            stmt = (
                select(line)
                .where(line.payslip_id.in_(chunk))
                .order_by(line.payslip_id, line.kind, line.position)
            )
            for row in self.session.scalars(stmt):
                found[row.payslip_id].append(record(LineRecord, row))
        return found

    def exceptions(
        self, run_id: int
    ) -> list[tuple[ExceptionRecord, EnrollmentRecord, PersonRecord]]:
        rows = self.session.execute(
            select(RunException, EnrollmentRow, Participant)
            .join(EnrollmentRow, EnrollmentRow.id == RunException.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(RunException.run_id == run_id)
            .order_by(Participant.name, Participant.participant_id)
        )
        return [
            (record(ExceptionRecord, x), enrollment_record(e), person_record(p)) for x, e, p in rows
        ]

    def attendance(
        self, enrollment_ids: Sequence[int], first: date, last: date
    ) -> dict[int, list[AttendanceRecord]]:
        found: dict[int, list[AttendanceRecord]] = defaultdict(list)
        for chunk in batches(list(enrollment_ids)):
            for row in self.session.scalars(
                select(AttendanceRow).where(
                    AttendanceRow.enrollment_id.in_(chunk),
                    AttendanceRow.day >= first,
                    AttendanceRow.day <= last,
                )
            ):
                found[row.enrollment_id].append(to_record(row))
        return found

    def previous_run(self, run: RunRecord, month: str) -> RunRecord | None:
        earlier = self.session.scalars(
            select(PayrollRun).where(
                PayrollRun.month == month,
                PayrollRun.district_code == run.district_code,
                PayrollRun.program_code == run.program_code,
                PayrollRun.state != RunState.CANCELLED,
            )
        ).first()
        return run_record(earlier) if earlier else None

    def snapshot_figures(self, run_id: int) -> SnapshotFigures:
        total = func.count(), func.coalesce(func.sum(FinalizedPayee.net), 0)
        payees, payee_net = self.session.execute(
            select(*total).where(FinalizedPayee.run_id == run_id)
        ).one()
        slips, slip_net = self.session.execute(
            select(func.count(), func.coalesce(func.sum(PayslipRow.net), 0)).where(
                PayslipRow.run_id == run_id
            )
        ).one()
        joined = self.session.scalar(
            select(func.count())
            .select_from(FinalizedPayee)
            .join(PayslipRow, PayslipRow.id == FinalizedPayee.payslip_id)
            .where(FinalizedPayee.run_id == run_id, PayslipRow.run_id == run_id)
        )
        return SnapshotFigures(
            int(payees), int(payee_net), int(slips), int(slip_net), int(joined or 0)
        )

    def snapshot(self, run_id: int) -> list[SnapshotPayee]:
        rows = self.session.scalars(
            select(FinalizedPayee)
            .where(FinalizedPayee.run_id == run_id)
            .order_by(FinalizedPayee.name, FinalizedPayee.participant_id)
        )
        return [record(SnapshotPayee, r) for r in rows]
