"""The payslip deliveries' store (명세서 발송)."""

from __future__ import annotations

from typing import Protocol

from payroll.domain.delivery import DeliveryRecord


class DeliveryStore(Protocol):
    def of_run(self, run_id: int) -> list[DeliveryRecord]:
        """Every delivery of a run, by participant id."""
        ...

    def add(self, record: DeliveryRecord) -> int:
        """Store a new delivery (``record.id`` is ignored); returns its id."""
        ...

    def set_state(
        self, delivery_id: int, state: str, *, attempts: int, reason: str | None = None
    ) -> None:
        """Set a delivery's state, attempts and reason (``updated_at``: now)."""
        ...
