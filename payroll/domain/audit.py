"""An audit entry: who did what, when, to which record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    actor_kind: str  # "user" (console), "operator" (CLI --by, scheduler) or "system"
    action: str  # e.g. "run.finalized"
    entity: str  # e.g. "payroll_run"
    entity_id: str
    detail: dict[str, Any] = field(default_factory=dict)
