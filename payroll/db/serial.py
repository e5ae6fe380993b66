"""Transactions that check and then write must not interleave: validation + write serialised.

:func:`serial_transaction` is :func:`payroll.db.engine.transaction` that, on SQLite,
takes the database's write lock before its first read (``BEGIN IMMEDIATE``): a second
process waits (busy timeout) until the first commits, then validates against what the
first wrote. On PostgreSQL the caller locks the rows it validates with
``SELECT … FOR UPDATE`` (:func:`lock_participants`), which waits the same way, or
names a key that serialises the whole unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from payroll.db.engine import session_factory
from payroll.db.models import Participant


@contextmanager
def serial_transaction(engine: Engine, key: str | None = None) -> Iterator[Session]:
    """One unit of work holding the write lock (SQLite) from its start; commit or roll back.

    With ``key``, PostgreSQL too runs one such transaction at a time (a transaction-level
    advisory lock on the key): for work whose checks span rows that may not exist yet,
    like a roster's limits and households.
    """
    with session_factory(engine)() as session, session.begin():
        if engine.dialect.name == "sqlite":
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        elif key is not None:
            session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
        yield session


def lock_participants(session: Session, participant_ids: Iterable[str]) -> None:
    """``SELECT … FOR UPDATE`` the participants, in a fixed order (PostgreSQL; SQLite holds
    the whole database already)."""
    wanted = sorted(set(participant_ids))
    if session.get_bind().dialect.name == "sqlite" or not wanted:
        return
    for start in range(0, len(wanted), 1000):
        session.execute(
            select(Participant.id)
            .where(Participant.participant_id.in_(wanted[start : start + 1000]))
            .order_by(Participant.participant_id)
            .with_for_update()
        ).all()
