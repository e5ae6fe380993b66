"""The web console's reads over runs, payslips and participants behind
:class:`payroll.services.ports.console.ConsoleStore`."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, date
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from payroll.db.batches import batches
from payroll.db.models import (
    District,
    EnrollmentRow,
    Participant,
    PayrollRun,
    PayslipRow,
    RunException,
    UploadHistoryRow,
)
from payroll.db.stores.records import run_record
from payroll.db.stores.run_rows import roster_overlapping
from payroll.domain.console import (
    ExceptionItem,
    ParticipantListRow,
    ParticipantPayslip,
    ParticipantRef,
    PayslipOwner,
    PayslipTotals,
    UploadRecord,
)


def _upload(row: UploadHistoryRow) -> UploadRecord:
    at = row.uploaded_at
    return UploadRecord(
        row.id,
        at if at.tzinfo else at.replace(tzinfo=UTC),  # SQLite gives it back without zone
        row.username,
        row.kind,
        row.filename,
        row.rows,
        row.ok,
        row.result,
        tuple(d for d in row.districts.split(",") if d),
        row.content is not None,
    )


def _matching(query: str) -> Any:
    return or_(Participant.name.like(f"%{query}%"), Participant.participant_id.like(f"%{query}%"))


class SqlConsoleStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def enrolled_counts(self, first: date, last: date) -> dict[tuple[str, str], int]:
        keys = (Participant.district_code, EnrollmentRow.program_code)
        stmt = roster_overlapping(select(*keys, func.count()), first, last).group_by(*keys)
        return {(d, p): int(n) for d, p, n in self.session.execute(stmt)}

    def open_exception_counts(self, month: str) -> dict[int, int]:
        rows = self.session.execute(
            select(RunException.run_id, func.count())
            .join(PayrollRun, PayrollRun.id == RunException.run_id)
            .where(PayrollRun.month == month, RunException.excluded.is_(False))
            .group_by(RunException.run_id)
        )
        return {run_id: int(n) for run_id, n in rows}

    def run_exceptions(self, run_id: int) -> list[ExceptionItem]:
        rows = self.session.execute(
            select(RunException, Participant)
            .join(EnrollmentRow, EnrollmentRow.id == RunException.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(RunException.run_id == run_id)
            .order_by(Participant.participant_id)
        )
        return [
            ExceptionItem(
                person.participant_id,
                person.name,
                exc.reason,
                exc.excluded,
                exc.excluded_reason,
                exc.excluded_by,
            )
            for exc, person in rows
        ]

    def _payslips(self, run_id: int, query: str) -> Select[Any]:
        where = [PayslipRow.run_id == run_id]
        if query:
            where.append(_matching(query))
        return (
            select(PayslipRow, Participant)
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(*where)
        )

    def count_payslips(self, run_id: int, query: str) -> int:
        base = self._payslips(run_id, query)
        return self.session.scalar(select(func.count()).select_from(base.subquery())) or 0

    def payslips(self, run_id: int, query: str, limit: int, offset: int) -> list[PayslipTotals]:
        rows = self.session.execute(
            self._payslips(run_id, query)
            .order_by(Participant.name, Participant.participant_id)
            .limit(limit)
            .offset(offset)
        )
        return [
            PayslipTotals(
                slip.id,
                person.participant_id,
                person.name,
                slip.gross,
                slip.total_deductions,
                slip.net,
                slip.employer_total,
            )
            for slip, person in rows
        ]

    def run_participant_ids(self, run_id: int) -> list[str]:
        return list(
            self.session.scalars(
                select(Participant.participant_id)
                .join(EnrollmentRow, EnrollmentRow.participant_pk == Participant.id)
                .join(PayslipRow, PayslipRow.enrollment_id == EnrollmentRow.id)
                .where(PayslipRow.run_id == run_id)
                .order_by(Participant.participant_id)
            )
        )

    def find_participants(
        self, query: str, districts: Collection[str] | None, limit: int
    ) -> list[tuple[str, str, str]]:
        stmt = (
            select(Participant.participant_id, Participant.name, District.name)
            .join(District, District.code == Participant.district_code)
            .where(_matching(query))
            .order_by(Participant.participant_id)
            .limit(limit)
        )
        if districts is not None:
            stmt = stmt.where(Participant.district_code.in_(sorted(districts)))
        return [(pid, name, district) for pid, name, district in self.session.execute(stmt)]

    def participant(
        self, participant_id: str, districts: Collection[str] | None = None
    ) -> ParticipantRef | None:
        query = select(Participant).where(Participant.participant_id == participant_id)
        if districts is not None:
            query = query.where(Participant.district_code.in_(sorted(districts)))
        person = self.session.scalars(query.order_by(Participant.district_code)).first()
        if person is None:
            return None
        return ParticipantRef(person.id, person.participant_id, person.name, person.district_code)

    def participant_districts(self, participant_ids: Sequence[str]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for chunk in batches(sorted(set(participant_ids))):
            rows = self.session.execute(
                select(Participant.participant_id, Participant.district_code).where(
                    Participant.participant_id.in_(chunk)
                )
            )
            for pid, district in rows:
                found.setdefault(pid, set()).add(district)
        return found

    def participant_payslips(self, participant_pk: int) -> list[ParticipantPayslip]:
        rows = self.session.execute(
            select(PayslipRow, PayrollRun)
            .join(PayrollRun, PayrollRun.id == PayslipRow.run_id)
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .where(EnrollmentRow.participant_pk == participant_pk)
            .order_by(PayslipRow.month)
        )
        return [
            ParticipantPayslip(
                slip.id, run.id, slip.month, run.program_code, run.state, slip.gross, slip.net
            )
            for slip, run in rows
        ]

    def payslip_owner(self, payslip_id: int) -> PayslipOwner | None:
        found = self.session.execute(
            select(PayslipRow.id, PayrollRun, Participant.participant_id)
            .join(PayrollRun, PayrollRun.id == PayslipRow.run_id)
            .join(EnrollmentRow, EnrollmentRow.id == PayslipRow.enrollment_id)
            .join(Participant, Participant.id == EnrollmentRow.participant_pk)
            .where(PayslipRow.id == payslip_id)
        ).first()
        if found is None:
            return None
        slip_id, run, participant_id = found
        return PayslipOwner(slip_id, run_record(run), participant_id)

    def participant_list(
        self,
        districts: Collection[str] | None,
        query: str,
        program: str,
        sort: str,
        limit: int,
        offset: int,
    ) -> tuple[list[ParticipantListRow], int]:
        stmt = select(Participant)
        if query:
            stmt = stmt.where(_matching(query))
        if districts is not None:
            stmt = stmt.where(Participant.district_code.in_(sorted(districts)))
        if program:
            stmt = stmt.where(
                select(EnrollmentRow.id)
                .where(
                    EnrollmentRow.participant_pk == Participant.id,
                    EnrollmentRow.program_code == program,
                )
                .exists()
            )
        total = self.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        order = {
            "name": (Participant.name, Participant.participant_id),
            "birth": (Participant.birth_date, Participant.participant_id),
        }.get(sort, (Participant.participant_id,))
        people = list(self.session.scalars(stmt.order_by(*order).limit(limit).offset(offset)))
        enrolled: dict[int, list[tuple[str, date]]] = {p.id: [] for p in people}
        for chunk in batches(sorted(enrolled)):
            for pk, code, end in self.session.execute(
                select(
                    EnrollmentRow.participant_pk, EnrollmentRow.program_code, EnrollmentRow.end
                ).where(EnrollmentRow.participant_pk.in_(chunk))
            ):
                enrolled[pk].append((code, end))
        rows = []
        for p in people:
            ends = [end for _, end in enrolled[p.id]]
            rows.append(
                ParticipantListRow(
                    p.participant_id,
                    p.name,
                    p.district_code,
                    p.birth_date.isoformat(),
                    tuple(sorted({code for code, _ in enrolled[p.id]})),
                    max(ends).isoformat() if ends else "",
                )
            )
        return rows, int(total)

    def add_upload(self, record: UploadRecord, content: bytes | None) -> int:
        row = UploadHistoryRow(
            uploaded_at=record.uploaded_at,
            username=record.username,
            kind=record.kind,
            filename=record.filename,
            rows=record.rows,
            ok=record.ok,
            result=record.result,
            districts=",".join(record.districts),
            content=content,
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def uploads(self, districts: Collection[str] | None, limit: int) -> list[UploadRecord]:
        stmt = select(UploadHistoryRow).order_by(UploadHistoryRow.id.desc())
        if districts is not None:
            wanted = sorted(districts)
            stmt = stmt.where(
                or_(*(UploadHistoryRow.districts.like(f"%{code}%") for code in wanted))
                if wanted
                else UploadHistoryRow.id < 0
            )
        return [_upload(r) for r in self.session.scalars(stmt.limit(limit))]

    def upload_file(self, upload_id: int) -> tuple[UploadRecord, bytes | None] | None:
        row = self.session.get(UploadHistoryRow, upload_id)
        return None if row is None else (_upload(row), row.content)
