"""The in-memory payslip deliveries' and sign-in codes' stores."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from payroll.domain.delivery import DeliveryRecord
from payroll.domain.portal import SignInCode


class FakeDeliveryStore:
    def __init__(self) -> None:
        self.rows: dict[int, DeliveryRecord] = {}

    def of_run(self, run_id: int) -> list[DeliveryRecord]:
        found = [r for r in self.rows.values() if r.run_id == run_id]
        return sorted(found, key=lambda r: (r.participant_id, r.channel))

    def add(self, record: DeliveryRecord) -> int:
        if any(
            (r.payslip_id, r.channel) == (record.payslip_id, record.channel)
            for r in self.rows.values()
        ):
            raise ValueError("duplicate delivery")
        pk = max(self.rows, default=0) + 1
        self.rows[pk] = replace(record, id=pk, updated_at=datetime.now(UTC))
        return pk

    def set_state(
        self, delivery_id: int, state: str, *, attempts: int, reason: str | None = None
    ) -> None:
        self.rows[delivery_id] = replace(
            self.rows[delivery_id],
            state=state,
            attempts=attempts,
            reason=reason,
            updated_at=datetime.now(UTC),
        )


class FakeSignInCodeStore:
    def __init__(self) -> None:
        self.codes: dict[str, SignInCode] = {}

    def get(self, participant_id: str) -> SignInCode | None:
        return self.codes.get(participant_id)

    def put(self, code: SignInCode) -> None:
        self.codes[code.participant_id] = code

    def failed(self, participant_id: str) -> None:
        if participant_id in self.codes:
            code = self.codes[participant_id]
            self.codes[participant_id] = replace(code, attempts=code.attempts + 1)

    def remove(self, participant_id: str) -> None:
        self.codes.pop(participant_id, None)
