"""Hours worked as typed in a file: a finite number from 0 to 24 with at most two decimals.

Hours are stored in a ``Numeric(6, 2)`` column. A third decimal would be rounded by
PostgreSQL and cut by SQLite, so the same file would pay differently on the two
databases (5.555 h: 5.56 or 5.55); it is refused instead, as are ``NaN``, ``sNaN`` and
``Infinity``, which ``Decimal`` accepts.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

SCALE = 2
MAX_DAY_HOURS = Decimal(24)
_STEP = Decimal(1).scaleb(-SCALE)


def parse_hours(text: str) -> Decimal:
    """``"5.5"`` → ``Decimal("5.5")``; ``ValueError`` (Korean reason) for anything else."""
    try:
        hours = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError("시간은 숫자여야 합니다 (예: 5.5)") from None
    if not hours.is_finite():
        raise ValueError("시간은 유한한 숫자여야 합니다 (NaN, Infinity 는 쓸 수 없습니다)")
    if not Decimal(0) <= hours <= MAX_DAY_HOURS:
        raise ValueError(f"시간은 0 이상 {MAX_DAY_HOURS} 이하여야 합니다")
    if hours != hours.quantize(_STEP):
        raise ValueError(f"시간은 소수점 아래 {SCALE}자리까지만 쓸 수 있습니다 (예: 5.25)")
    return hours
