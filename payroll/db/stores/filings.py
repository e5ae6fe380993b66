"""The filings' queries behind :class:`payroll.services.ports.filings.FilingStore`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from payroll.db.batches import batches
from payroll.db.models import EnrollmentRow, Participant, PayrollRun, PayslipLineRow, PayslipRow
from payroll.db.stores.records import enrollment_record, payslip_of, person_record, run_record
from payroll.domain.report_records import EnrollmentRecord, PayslipOf, PersonRecord, RunRecord
from payroll.domain.runs import RunState


class SqlFilingStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def runs_of(self, months: Iterable[str], district: str | None = None) -> list[RunRecord]:
        query = select(PayrollRun).where(PayrollRun.month.in_(sorted(set(months))))
        if district:
            query = query.where(PayrollRun.district_code == district)
        order = (PayrollRun.month, PayrollRun.district_code, PayrollRun.program_code)
        return [run_record(r) for r in self.session.scalars(query.order_by(*order))]

    def payslips_of(self, run_ids: Sequence[int]) -> list[PayslipOf]:
        runs = {
            r.id: r
            for r in self.session.scalars(
                select(PayrollRun).where(PayrollRun.id.in_(list(run_ids)))
            )
        }
        rows = self.session.execute(
            select(PayslipRow, EnrollmentRow, Participant)
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(PayslipRow.run_id.in_(list(run_ids)))
            .order_by(Participant.participant_id, PayslipRow.month)
        ).all()
        return [payslip_of(s, runs[s.run_id], e, p) for s, e, p in rows]

    def deduction_sums(self, payslip_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        sums: dict[int, dict[str, int]] = defaultdict(dict)
        line = PayslipLineRow
        for chunk in batches(list(payslip_ids)):
            for pid, code, amount in self.session.execute(
                select(line.payslip_id, line.code, func.sum(line.amount))
                .where(line.payslip_id.in_(chunk), line.kind == "deduction")
                .group_by(line.payslip_id, line.code)
            ):
                sums[pid][code] = int(amount)
        return sums

    def year_totals(
        self,
        participant_pks: Iterable[int],
        first: str,
        last: str,
        column: Literal["taxable", "insurable"],
    ) -> dict[int, tuple[int, int]]:
        wanted = sorted(set(participant_pks))
        value = getattr(PayslipRow, column)
        out: dict[int, tuple[int, int]] = {}
        for chunk in batches(wanted):
            query = (
                select(
                    EnrollmentRow.participant_pk,
                    func.coalesce(func.sum(value), 0),
                    func.count(func.distinct(PayslipRow.month)),
                )
                .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
                .join(PayrollRun, PayrollRun.id == PayslipRow.run_id)
                .where(
                    PayrollRun.state == RunState.FINALIZED,
                    PayslipRow.month >= first,
                    PayslipRow.month <= last,
                    EnrollmentRow.participant_pk.in_(chunk),
                )
                .group_by(EnrollmentRow.participant_pk)
            )
            rows = self.session.execute(query)
            out.update({pk: (int(total), int(months)) for pk, total, months in rows})
        return out

    def roster_enrollments(
        self, on: Literal["start", "end"], first: date, last: date
    ) -> list[tuple[EnrollmentRecord, PersonRecord]]:
        day = getattr(EnrollmentRow, on)
        rows = self.session.execute(
            select(EnrollmentRow, Participant)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(EnrollmentRow.source == "roster", day >= first, day <= last)
            .order_by(Participant.participant_id)
        )
        return [(enrollment_record(e), person_record(p)) for e, p in rows]
