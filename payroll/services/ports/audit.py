"""The audit trail's store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from payroll.domain.audit import AuditEntry


class AuditStore(Protocol):
    def add(self, entry: AuditEntry) -> None:
        """Add ``entry`` in the open transaction (it commits or rolls back with the work)."""
        ...

    def add_many(self, entries: Sequence[AuditEntry]) -> None:
        """Add many entries at once, in order, in the open transaction."""
        ...

    def entries(self, entity: str, entity_id: str) -> list[AuditEntry]:
        """Every entry about one record, oldest first."""
        ...

    def search(
        self,
        since: datetime | None = None,
        actor: str | None = None,
        entity: str | None = None,
        entity_id: str | None = None,
        limit: int = 1000,
    ) -> list[AuditEntry]:
        """Entries matching every filter given, newest first, at most ``limit``."""
        ...
