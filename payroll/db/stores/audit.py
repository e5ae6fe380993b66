"""The audit log table behind :class:`payroll.services.ports.audit.AuditStore`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from payroll.db.bulk import bulk_insert
from payroll.db.models import AuditLog
from payroll.db.text_limits import check_text
from payroll.domain.audit import AuditEntry


class SqlAuditStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, entry: AuditEntry) -> None:
        # The actor (``--by``) must fit the column: a refusal rolls the whole action back.
        self.session.add(
            AuditLog(
                at=entry.at,
                actor=check_text(entry.actor, AuditLog.actor, "--by (이름)", required=True),
                actor_kind=entry.actor_kind,
                action=entry.action,
                entity=entry.entity,
                entity_id=entry.entity_id,
                detail=entry.detail,
            )
        )

    def add_many(self, entries: Sequence[AuditEntry]) -> None:
        checked: dict[str, str] = {}  # each actor checked once
        rows = []
        for entry in entries:
            if entry.actor not in checked:
                checked[entry.actor] = check_text(
                    entry.actor, AuditLog.actor, "--by (이름)", required=True
                )
            rows.append(
                {
                    "at": entry.at,
                    "actor": checked[entry.actor],
                    "actor_kind": entry.actor_kind,
                    "action": entry.action,
                    "entity": entry.entity,
                    "entity_id": entry.entity_id,
                    "detail": entry.detail,
                }
            )
        bulk_insert(self.session, AuditLog.__table__, rows)  # type: ignore[arg-type]

    def entries(self, entity: str, entity_id: str) -> list[AuditEntry]:
        rows = self.session.scalars(
            select(AuditLog)
            .where(AuditLog.entity == entity, AuditLog.entity_id == entity_id)
            .order_by(AuditLog.id)
        )
        return [
            AuditEntry(r.at, r.actor, r.actor_kind, r.action, r.entity, r.entity_id, r.detail)
            for r in rows
        ]

    def search(
        self,
        since: datetime | None = None,
        actor: str | None = None,
        entity: str | None = None,
        entity_id: str | None = None,
        limit: int = 1000,
    ) -> list[AuditEntry]:
        stmt = select(AuditLog).order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit)
        if since is not None:
            stmt = stmt.where(AuditLog.at >= since)
        if actor:
            stmt = stmt.where(AuditLog.actor == actor)
        if entity:
            stmt = stmt.where(AuditLog.entity == entity)
        if entity_id:
            stmt = stmt.where(AuditLog.entity_id == entity_id)
        return [
            AuditEntry(r.at, r.actor, r.actor_kind, r.action, r.entity, r.entity_id, r.detail)
            for r in self.session.scalars(stmt)
        ]
