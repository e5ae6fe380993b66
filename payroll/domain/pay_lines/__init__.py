"""Pay lines as a registry (how-pay-is-calculated.md §3): see :mod:`.registry`."""

from payroll.domain.pay_lines.registry import (
    LineKind,
    PayLine,
    UnknownPayLine,
    check,
    declare,
    find,
    get,
    in_order,
    lines_of,
    pay_line,
    register,
    rules,
    unregister,
)

__all__ = [
    "LineKind",
    "PayLine",
    "UnknownPayLine",
    "check",
    "declare",
    "find",
    "get",
    "in_order",
    "lines_of",
    "pay_line",
    "register",
    "rules",
    "unregister",
]
