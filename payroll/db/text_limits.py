"""User text checked against the size of the column it goes into, before any write.

PostgreSQL refuses a ``String(100)`` value of 101 characters with a ``DataError`` (a
traceback, before this check); SQLite stores it. Both now refuse it the same way, with the
field named.
"""

from __future__ import annotations

from typing import Any

from payroll.domain.model import PayrollError


class TextTooLong(PayrollError):
    """A value longer than its column holds, or empty where a value is required."""


def column_length(column: Any) -> int | None:
    """The ``String(n)`` size of a mapped column attribute (``None``: unlimited)."""
    return getattr(column.property.columns[0].type, "length", None)


def check_text(value: str, column: Any, label: str, *, required: bool = False) -> str:
    """``value`` (stripped) if it fits ``column``; :class:`TextTooLong` naming ``label`` if not."""
    text = value.strip()
    if required and not text:
        raise TextTooLong(f"{label}: 비어 있을 수 없습니다 (a value is required)")
    limit = column_length(column)
    if limit is not None and len(text) > limit:
        raise TextTooLong(
            f"{label}: {limit}자 이하여야 합니다 ({len(text)}자) (at most {limit} characters)"
        )
    return text
