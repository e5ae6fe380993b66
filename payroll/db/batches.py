"""Long ``IN (…)`` lists in batches: one size for every query.

SQLite allows 32,766 host parameters (999 before 3.32) and PostgreSQL 65,535; 900 stays
under every limit even with a few other parameters in the same statement.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import TypeVar

from sqlalchemy import ARRAY, ColumnElement, Integer, any_, literal
from sqlalchemy.orm import Session

T = TypeVar("T")

IN_BATCH = 900


def batches(values: Sequence[T], size: int = IN_BATCH) -> Iterator[Sequence[T]]:
    """``values`` in consecutive slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _id_batches(session: Session, ids: Sequence[int]) -> Iterator[Sequence[int]]:
    """``ids`` for :func:`_among`: all at once on PostgreSQL (one array parameter), in
    batches of :data:`IN_BATCH` elsewhere."""
    if session.get_bind().dialect.name == "postgresql":
        if ids:
            yield ids
        return
    yield from batches(ids)


def _among(session: Session, column: ColumnElement[int], ids: Sequence[int]) -> ColumnElement[bool]:
    """``column IN ids``: on PostgreSQL ``= ANY(ids)`` with the ids as one array parameter,
    so that the statement's text does not depend on how many there are (the driver and
    the database parse and plan it once instead of once per list length)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(list(ids), ARRAY(Integer)))
    return column.in_(ids)


def id_in(
    session: Session, column: ColumnElement[int], ids: Collection[int]
) -> Iterator[ColumnElement[bool]]:
    """Conditions that together select the rows whose ``column`` is one of ``ids``: one
    array parameter on PostgreSQL, an ``IN`` list per batch elsewhere."""
    for chunk in _id_batches(session, sorted(ids)):
        yield _among(session, column, chunk)
