"""Payslip deliveries behind :class:`payroll.services.ports.deliveries.DeliveryStore`."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from payroll.db.models import PayslipDelivery
from payroll.domain.delivery import DeliveryRecord


def _record(row: PayslipDelivery) -> DeliveryRecord:
    return DeliveryRecord(**{f.name: getattr(row, f.name) for f in fields(DeliveryRecord)})


class SqlDeliveryStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def of_run(self, run_id: int) -> list[DeliveryRecord]:
        query = (
            select(PayslipDelivery)
            .where(PayslipDelivery.run_id == run_id)
            .order_by(PayslipDelivery.participant_id, PayslipDelivery.channel)
        )
        return [_record(r) for r in self.session.scalars(query)]

    def add(self, record: DeliveryRecord) -> int:
        values = {f.name: getattr(record, f.name) for f in fields(record) if f.name != "id"}
        values["updated_at"] = datetime.now(UTC)
        row = PayslipDelivery(**values)
        self.session.add(row)
        self.session.flush()
        return row.id

    def set_state(
        self, delivery_id: int, state: str, *, attempts: int, reason: str | None = None
    ) -> None:
        row = self.session.get(PayslipDelivery, delivery_id)
        assert row is not None
        row.state, row.attempts, row.reason = state, attempts, reason
        row.updated_at = datetime.now(UTC)
        self.session.flush()
