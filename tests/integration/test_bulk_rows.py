"""Rows written as tuples and read back by a long id list, on both databases (#29): COPY
on PostgreSQL with JSON columns as JSON, executemany elsewhere; an id list as one array
on PostgreSQL and in IN batches elsewhere, with the same rows found."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, select

from payroll.db.batches import IN_BATCH, id_in
from payroll.db.bulk import bulk_insert_values
from payroll.db.engine import transaction
from payroll.db.models import AuditLog

COLUMNS = ("at", "actor", "actor_kind", "action", "entity", "entity_id", "detail")


def test_tuples_are_stored_as_given_and_found_again_by_a_long_id_list(engine: Engine) -> None:
    at = datetime(2025, 3, 31, 9, 0, tzinfo=UTC)
    count = IN_BATCH * 2 + 5  # more ids than one IN batch holds
    rows = [
        (at, "kim", "operator", "bulk.test", "row", str(n), {"n": n, "tags": ["a", n]})
        for n in range(count)
    ]
    with transaction(engine) as s:
        bulk_insert_values(s, AuditLog.__table__, COLUMNS, rows)  # type: ignore[arg-type]
        bulk_insert_values(s, AuditLog.__table__, COLUMNS, [])  # type: ignore[arg-type]
    with transaction(engine) as s:
        stored = s.execute(
            select(AuditLog.id, AuditLog.entity_id, AuditLog.detail)
            .where(AuditLog.action == "bulk.test")
            .order_by(AuditLog.id)
        ).all()
        assert [(e, d) for _i, e, d in stored] == [
            (str(n), {"n": n, "tags": ["a", n]}) for n in range(count)
        ]
        wanted = [i for i, _e, _d in stored][1::2] + [-1]  # every other one, and one missing
        found = [
            entity_id
            for chosen in id_in(s, AuditLog.id, wanted)
            for entity_id in s.scalars(select(AuditLog.entity_id).where(chosen))
        ]
        assert sorted(found, key=int) == [str(n) for n in range(1, count, 2)]
        assert list(id_in(s, AuditLog.id, [])) == []
