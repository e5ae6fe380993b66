"""The severance review's queries behind :mod:`payroll.services.ports.severance`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from payroll.db.batches import batches
from payroll.db.models import (
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipLineRow,
    PayslipRow,
    ProgramRow,
)
from payroll.db.stores.records import enrollment_record, person_record, record
from payroll.domain.report_records import EnrollmentRecord, PersonRecord, ProgramRecord
from payroll.domain.runs import RunState


class SqlSeveranceStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def programs(self) -> dict[str, ProgramRecord]:
        return {p.code: record(ProgramRecord, p) for p in self.session.scalars(select(ProgramRow))}

    def enrollments(
        self, district: str | None = None
    ) -> list[tuple[PersonRecord, list[EnrollmentRecord]]]:
        stmt = (
            select(EnrollmentRow, Participant)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .order_by(Participant.district_code, Participant.participant_id, EnrollmentRow.start)
        )
        if district:
            stmt = stmt.where(Participant.district_code == district)
        found: dict[int, tuple[PersonRecord, list[EnrollmentRecord]]] = {}
        for row, person in self.session.execute(stmt):
            entry = found.setdefault(person.id, (person_record(person), []))
            entry[1].append(enrollment_record(row))
        return list(found.values())

    def monthly_wages(
        self, participant_pks: Sequence[int], excluded_codes: Sequence[str]
    ) -> dict[int, dict[str, int]]:
        out: dict[int, dict[str, int]] = defaultdict(dict)
        for chunk in batches(list(participant_pks)):
            stmt = (
                select(
                    EnrollmentRow.participant_pk, PayslipRow.month, func.sum(PayslipLineRow.amount)
                )
                .join(PayslipRow, PayslipRow.id == PayslipLineRow.payslip_id)
                .join(PayrollRun, PayrollRun.id == PayslipRow.run_id)
                .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
                .where(
                    EnrollmentRow.participant_pk.in_(chunk),
                    PayrollRun.state == RunState.FINALIZED,
                    PayslipLineRow.kind == "earning",
                    PayslipLineRow.code.not_in(list(excluded_codes)),
                )
                .group_by(EnrollmentRow.participant_pk, PayslipRow.month)
            )
            for pk, month, amount in self.session.execute(stmt):
                out[pk][month] = int(amount or 0)
        return out
