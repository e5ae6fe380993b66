"""Many rows into one table in as few round trips as the database allows.

PostgreSQL gets ``COPY … FROM STDIN`` on the session's own connection (same transaction,
its statement triggers still fire once over every copied row); other databases get an
``executemany`` of one INSERT in chunks. Rows are dicts with the same keys.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, insert
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
    columns = list(rows[0])
    quoted = ", ".join(connection.dialect.identifier_preparer.quote(c) for c in columns)
    statement = f"COPY {table.name} ({quoted}) FROM STDIN"
    raw: Any = connection.connection.driver_connection
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])
    except raw.Error as exc:  # the driver's error, as SQLAlchemy would have raised it
        raise DBAPIError.instance(
            statement, None, exc, raw.Error, dialect=connection.dialect
        ) from exc
