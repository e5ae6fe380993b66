"""Many rows into one table in as few round trips as the database allows.

PostgreSQL gets ``COPY … FROM STDIN`` on the session's own connection (same transaction,
its statement triggers still fire once over every copied row); other databases get an
``executemany`` of one INSERT in chunks. Rows are dicts with the same keys.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Table, insert, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from payroll.db.batches import batches

CHUNK = 5000


def bulk_insert(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` into ``table`` (COPY on PostgreSQL, executemany elsewhere)."""
    if not rows:
        return
    session.flush()  # pending ORM writes go first, as they would before an INSERT
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        for chunk in batches(rows, CHUNK):
            session.execute(insert(table), list(chunk))
        return
    _copy(session, table, rows)


def bulk_insert_ids(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert ``rows`` and return their new ``id`` values in the order of ``rows``.

    PostgreSQL: the ids are drawn from the table's sequence first, then the rows go in by
    COPY with them; elsewhere an INSERT … RETURNING in chunks.
    """
    if not rows:
        return []
    session.flush()
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        ids: list[int] = []
        for chunk in batches(rows, 2000):
            result = session.execute(
                insert(table).returning(table.c.id, sort_by_parameter_order=True), list(chunk)
            )
            ids += [pk for (pk,) in result]
        return ids
    drawn = session.execute(
        text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
        {"t": table.name, "n": len(rows)},
    )
    ids = [int(pk) for (pk,) in drawn]
    _copy(session, table, [{"id": pk, **row} for pk, row in zip(ids, rows, strict=True)])
    return ids


def insert_records(session: Session, table: Table, records: Sequence[Any]) -> list[int]:
    """Insert dataclass records (every field but ``id``, stamped ``created_at`` now) and
    return their new ids in order (:func:`bulk_insert_ids`)."""
    now = datetime.now(UTC)
    rows = [
        {**{f.name: getattr(r, f.name) for f in fields(r) if f.name != "id"}, "created_at": now}
        for r in records
    ]
    return bulk_insert_ids(session, table, rows)


def _cell(value: Any) -> Any:
    """A value as COPY takes it: JSON columns' dicts and lists as JSON text."""
    return json.dumps(value) if isinstance(value, dict | list) else value


def _copy(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    connection = session.connection()
    columns = list(rows[0])
    as_json = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, JSON)]
    quoted = ", ".join(connection.dialect.identifier_preparer.quote(c) for c in columns)
    statement = f"COPY {table.name} ({quoted}) FROM STDIN"
    raw: Any = connection.connection.driver_connection
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                values = [row[c] for c in columns]
                for i in as_json:  # only JSON columns can hold a dict or a list
                    values[i] = _cell(values[i])
                copy.write_row(values)
    except raw.Error as exc:  # the driver's error, as SQLAlchemy would have raised it
        raise DBAPIError.instance(
            statement, None, exc, raw.Error, dialect=connection.dialect
        ) from exc
