"""Caps on the free text users type (reasons, notes, names): checked before anything is
written, so a 900 KB "reason" is refused with a Korean message instead of being stored in
the run, the enrollment and the audit log.
"""

from __future__ import annotations

from payroll.domain.model import PayrollError

MAX_REASON = 500  # a cancel or exclusion reason, an early-end note
MAX_SEARCH = 100  # a search box


class TextTooLong(PayrollError):
    """Free text longer than its cap (the message names the field)."""


def capped(value: str | None, label: str, limit: int = MAX_REASON) -> str:
    """``value`` trimmed, refused (:class:`TextTooLong`) past ``limit`` characters."""
    text = (value or "").strip()
    if len(text) > limit:
        raise TextTooLong(f"{label}: {limit}자까지 쓸 수 있습니다 (지금 {len(text):,}자)")
    return text
