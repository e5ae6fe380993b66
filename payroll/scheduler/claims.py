"""Timed claims on one database row: the primitive under the lease and the work locks.

A claim is taken atomically by inserting the row, or by a single ``UPDATE … WHERE
expires_at < now`` that only one contender can win (row lock on PostgreSQL, database
write lock on SQLite); ``rowcount`` says who won. Times are UTC.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, Engine, Table, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """A stored or given time as UTC-aware (SQLite gives back naive UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True)
class Claim:
    """Who holds a row and until when."""

    holder: str
    acquired_at: datetime
    expires_at: datetime


def try_claim(
    engine: Engine,
    table: Table,
    key: Column,
    value: str,
    holder: str,
    ttl: timedelta,
    now: datetime,
) -> Claim | None:
    """Claim ``value`` for ``holder``; ``None`` if won, else the current holder's claim.

    An expired claim is taken over; a claim already held by ``holder`` is refreshed.
    """
    now = as_utc(now)
    values = {"holder": holder, "acquired_at": now, "expires_at": now + ttl}
    takeover = (
        update(table)
        .where(key == value, or_(table.c.expires_at < now, table.c.holder == holder))
        .values(**values)
    )
    for _attempt in range(3):  # another attempt only if the row vanished in between
        with engine.begin() as conn:
            if conn.execute(takeover).rowcount == 1:
                return None
        try:
            with engine.begin() as conn:
                conn.execute(insert(table).values({key.name: value, **values}))
            return None
        except IntegrityError:
            current = holder_of(engine, table, key, value)
            if current is not None:
                return current
    raise RuntimeError(f"could not claim {table.name} {value!r}: the row keeps changing")


def extend(
    engine: Engine,
    table: Table,
    key: Column,
    value: str,
    holder: str,
    ttl: timedelta,
    now: datetime,
) -> bool:
    """Push the expiry of ``holder``'s claim to ``now + ttl``; ``False`` if it was lost."""
    stmt = (
        update(table)
        .where(key == value, table.c.holder == holder)
        .values(expires_at=as_utc(now) + ttl)
    )
    with engine.begin() as conn:
        return conn.execute(stmt).rowcount == 1


def release(engine: Engine, table: Table, key: Column, value: str, holder: str) -> bool:
    """Drop ``holder``'s claim; ``False`` if it no longer held it."""
    with engine.begin() as conn:
        return (
            conn.execute(delete(table).where(key == value, table.c.holder == holder)).rowcount == 1
        )


def holder_of(engine: Engine, table: Table, key: Column, value: str) -> Claim | None:
    """The current claim on ``value`` (expired or not), if there is a row."""
    query = select(table.c.holder, table.c.acquired_at, table.c.expires_at).where(key == value)
    with engine.begin() as conn:
        row = conn.execute(query).one_or_none()
    if row is None:
        return None
    return Claim(row.holder, as_utc(row.acquired_at), as_utc(row.expires_at))
