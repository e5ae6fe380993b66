"""The administrators' tables: holiday overrides, the withholding table in force."""

from __future__ import annotations

from typing import Protocol

from payroll.domain.admin import HolidayOverride, WithholdingTableInfo


class AdminStore(Protocol):
    def check_holiday_name(self, name: str, action: str) -> str:
        """The stripped name; refused if empty for an addition or too long to store."""
        ...

    def holiday_overrides(self) -> list[HolidayOverride]:
        """Every override, by day."""
        ...

    def set_holiday_override(self, override: HolidayOverride) -> None:
        """Add or replace the override of ``override.day``."""
        ...

    def withholding_info(self) -> WithholdingTableInfo | None:
        """The newest imported withholding table (None: the shipped one is in use)."""
        ...


class RrnKeyStore(Protocol):
    def person_fingerprint(self) -> str | None:
        """The stored fingerprint of the person key (``PAYROLL_PERSON_KEY``), if any."""
        ...

    def put_person_fingerprint(self, fingerprint: str) -> None: ...

    def fingerprint(self) -> str | None:
        """The stored key fingerprint (locked for the transaction), if any."""
        ...

    def sample_number(self) -> bytes | None:
        """One stored encrypted resident number, if any."""
        ...

    def put_fingerprint(self, fingerprint: str) -> None:
        """Store (or replace) the fingerprint, sent to the database at once."""
        ...

    def encrypted_numbers(self) -> dict[int, bytes]:
        """Participant key → encrypted number, every stored one (locked for the update)."""
        ...

    def replace_numbers(self, numbers: dict[int, bytes]) -> None:
        """Write re-encrypted numbers back (participant key → encrypted number)."""
        ...
