"""Attendance and its corrections behind
:class:`payroll.services.ports.attendance.AttendanceStore`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from payroll.db.batches import batches
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

    def remove_after(self, enrollment_id: int, day: date) -> int:
        removed = 0
        for model in (AttendanceRow, AttendanceCorrection):
            removed += self.session.execute(
                delete(model).where(model.enrollment_id == enrollment_id, model.day > day)
            ).rowcount
        return removed
