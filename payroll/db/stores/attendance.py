"""Attendance and its corrections behind
:class:`payroll.services.ports.attendance.AttendanceStore`."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from payroll.db.batches import batches
from payroll.db.bulk import bulk_insert
from payroll.db.models import AttendanceCorrection, AttendanceRow
from payroll.domain.model import AttendanceRecord, Status


def _model(correction: bool) -> type[AttendanceRow] | type[AttendanceCorrection]:
    return AttendanceCorrection if correction else AttendanceRow


class SqlAttendanceStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def records(self, enrollment_id: int, correction: bool = False) -> list[AttendanceRecord]:
        model = _model(correction)
        rows = self.session.scalars(
            select(model).where(model.enrollment_id == enrollment_id).order_by(model.day)
        )
        return [AttendanceRecord(r.day, Status(r.status), r.hours) for r in rows]

    def replace(
        self,
        enrollment_id: int,
        records: Sequence[AttendanceRecord],
        correction: bool,
        source: str,
        at: datetime,
    ) -> None:
        model = _model(correction)
        days = [r.day for r in records]
        for chunk in batches(days):
            self.session.execute(
                delete(model).where(model.enrollment_id == enrollment_id, model.day.in_(chunk))
            )
        self.session.add_all(
            model(
                enrollment_id=enrollment_id,
                day=r.day,
                status=r.status.value,
                hours=r.hours,
                source=source,
                recorded_at=at,
            )
            for r in records
        )

    def records_of(
        self, enrollment_ids: Sequence[int], correction: bool = False
    ) -> dict[int, list[AttendanceRecord]]:
        """Stored records of many enrollments at once, by enrollment then day."""
        model = _model(correction)
        found: dict[int, list[AttendanceRecord]] = {e: [] for e in enrollment_ids}
        for chunk in batches(list(enrollment_ids)):
            rows = self.session.execute(
                select(model.enrollment_id, model.day, model.status, model.hours)
                .where(model.enrollment_id.in_(chunk))
                .order_by(model.enrollment_id, model.day)
            )
            for enrollment_id, day, status, hours in rows:
                found[enrollment_id].append(AttendanceRecord(day, Status(status), hours))
        return found

    def replace_all(
        self,
        changes: Mapping[int, Sequence[AttendanceRecord]],
        correction: bool,
        source: str,
        at: datetime,
        stored_days: Collection[tuple[int, date]] | None = None,
    ) -> None:
        """:meth:`replace` for many enrollments: one batched DELETE (of the stored days
        only, when the caller knows them), one bulk INSERT."""
        model = _model(correction)
        table = model.__table__
        if not any(changes.values()):
            return
        pairs = [
            {"e": e, "d": r.day}
            for e, records in changes.items()
            for r in records
            if stored_days is None or (e, r.day) in stored_days
        ]
        self.session.flush()
        if pairs:
            self.session.execute(
                delete(table).where(
                    table.c.enrollment_id == bindparam("e"), table.c.day == bindparam("d")
                ),
                pairs,
            )
        rows = [
            {
                "enrollment_id": e,
                "day": r.day,
                "status": r.status.value,
                "hours": r.hours,
                "source": source,
                "recorded_at": at,
            }
            for e, records in changes.items()
            for r in records
        ]
        bulk_insert(self.session, table, rows)  # type: ignore[arg-type]

    def remove_after(self, enrollment_id: int, day: date) -> int:
        removed = 0
        for model in (AttendanceRow, AttendanceCorrection):
            removed += self.session.execute(
                delete(model).where(model.enrollment_id == enrollment_id, model.day > day)
            ).rowcount
        return removed
