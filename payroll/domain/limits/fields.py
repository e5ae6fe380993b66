"""Reading one setting of a ``[[limits]]`` row; errors name the rule and the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from payroll.domain.model import PayrollError


def int_field(
    row: Mapping[str, Any], key: str, where: str, *, required: bool, low: int
) -> int | None:
    """The whole number ``row[key]`` (at least ``low``); ``None`` when absent and optional."""
    value = row.get(key)
    if value is None:
        if required:
            raise PayrollError(f"{where}: field {key!r} is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise PayrollError(f"{where}: field {key!r} must be a whole number, got {value!r}")
    try:
        number = int(value)
    except ValueError:
        raise PayrollError(
            f"{where}: field {key!r} must be a whole number, got {value!r}"
        ) from None
    if number < low:
        raise PayrollError(f"{where}: field {key!r} must be at least {low}, got {number}")
    return number


def max_field(row: Mapping[str, Any], where: str) -> dict[str, Any]:
    """``{"max": n}``: the required count (at least 1) of a counted rule."""
    return {"max": int_field(row, "max", where, required=True, low=1)}
