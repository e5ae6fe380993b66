"""Long ``IN (…)`` lists in batches: one size for every query.

SQLite allows 32,766 host parameters (999 before 3.32) and PostgreSQL 65,535; 900 stays
under every limit even with a few other parameters in the same statement.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import Integer, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

T = TypeVar("T")

IN_BATCH = 900


def batches(values: Sequence[T], size: int = IN_BATCH) -> Iterator[Sequence[T]]:
    """``values`` in consecutive slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def id_in(session: Session, column: Any, ids: Collection[int]) -> Iterator[Any]:
    """Conditions that together select the rows whose ``column`` is one of ``ids``: on
    PostgreSQL one array parameter (one statement whatever the count, planned as an index
    scan), elsewhere an ``IN`` list per batch."""
    if session.get_bind().dialect.name == "postgresql":
        yield column == any_(bindparam(None, sorted(ids), type_=ARRAY(Integer)))
        return
    for chunk in batches(sorted(ids)):
        yield column.in_(chunk)
