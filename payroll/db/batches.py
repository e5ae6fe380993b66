"""Long ``IN (…)`` lists in batches: one size for every query.

SQLite allows 32,766 host parameters (999 before 3.32) and PostgreSQL 65,535; 900 stays
under every limit even with a few other parameters in the same statement.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

IN_BATCH = 900


def batches(values: Sequence[T], size: int = IN_BATCH) -> Iterator[Sequence[T]]:
    """``values`` in consecutive slices of at most ``size``."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
