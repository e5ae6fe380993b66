"""The registry of pay lines: every payslip line code, declared once.

A pay line is a :class:`PayLine`: its code, its kind (earning, deduction, employer), its
place on the payslip (``order``, ascending within the kind), its Korean label and, for a
*rule line*, the function that computes it from a :class:`PayContext`. Each line is
declared in a module under :mod:`payroll.domain.pay_lines.lines` (one per line or per
small family); every module there is loaded the first time the registry is read, so a new
line needs no edit anywhere else: the engine runs every registered earning rule, and
labels and order come from here.

A code the registry does not know is an error (:class:`UnknownPayLine`), never a line
silently dropped or printed as its raw code.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

import payroll.domain.pay_lines.lines as lines_package
from payroll.domain.model import Line, PayrollError
from payroll.domain.pay_context import PayContext

Rule = Callable[[PayContext], Line | None]
"""A rule line's function: its line for the month, or ``None`` where it does not apply."""


class LineKind(StrEnum):
    """Where a line sits on the payslip (the ``kind`` stored with payslip lines)."""

    EARNING = "earning"
    DEDUCTION = "deduction"
    EMPLOYER = "employer"


class UnknownPayLine(PayrollError):
    """A line code no module under :mod:`payroll.domain.pay_lines.lines` declares."""

    def __init__(self, code: str, kind: LineKind | None = None) -> None:
        self.code = code
        self.kind = kind
        where = f" ({kind})" if kind else ""
        super().__init__(f"unknown pay line {code!r}{where}: not declared in domain/pay_lines")


@dataclass(frozen=True)
class PayLine:
    """One pay line as declared: ``rule`` is set for lines the engine computes itself from
    the month (rule lines); the others (adjustments, meal allowance, deductions, employer
    lines) come from their own domain modules and are only named and placed here."""

    code: str
    order: int
    label: str
    kind: LineKind = LineKind.EARNING
    rule: Rule | None = None

    @property
    def key(self) -> tuple[LineKind, str]:
        return (self.kind, self.code)


_KINDS = tuple(LineKind)
_LINES: dict[tuple[LineKind, str], PayLine] = {}
_loaded = False
_ORDERED: dict[LineKind, list[PayLine]] = {}
"""``lines_of`` per kind, kept until the next register/unregister (read per participant)."""


def register(line: PayLine) -> PayLine:
    """Add ``line``; a code or an order used twice within a kind is refused."""
    if line.key in _LINES:
        raise RuntimeError(f"pay line {line.code!r} ({line.kind}) is declared twice")
    for other in _LINES.values():
        if other.kind is line.kind and other.order == line.order:
            raise RuntimeError(
                f"pay lines {other.code!r} and {line.code!r} ({line.kind}) share order {line.order}"
            )
    _LINES[line.key] = line
    _ORDERED.clear()
    return line


def unregister(code: str, kind: LineKind = LineKind.EARNING) -> None:
    """Remove a line (tests that declare a line of their own clean up with this)."""
    _LINES.pop((kind, code), None)
    _ORDERED.clear()


def declare(code: str, order: int, label: str, kind: LineKind = LineKind.EARNING) -> PayLine:
    """Register a line without a rule of its own."""
    return register(PayLine(code, order, label, kind))


def pay_line(
    *, code: str, order: int, label: str, kind: LineKind = LineKind.EARNING
) -> Callable[[Rule], Rule]:
    """Decorator: register the decorated function as the rule of line ``code``."""

    def wrap(rule: Rule) -> Rule:
        register(PayLine(code, order, label, kind, rule))
        return rule

    return wrap


def _load() -> dict[tuple[LineKind, str], PayLine]:
    global _loaded
    if not _loaded:
        _loaded = True
        for module in pkgutil.iter_modules(lines_package.__path__):
            importlib.import_module(f"{lines_package.__name__}.{module.name}")
    return _LINES


def lines_of(kind: LineKind) -> list[PayLine]:
    """The lines of ``kind`` in payslip order."""
    ordered = _ORDERED.get(kind)
    if ordered is None:
        lines = _load().values()
        ordered = sorted((pl for pl in lines if pl.kind is kind), key=lambda pl: pl.order)
        _ORDERED[kind] = ordered
    return list(ordered)


def rules(kind: LineKind = LineKind.EARNING) -> list[PayLine]:
    """The rule lines of ``kind`` in payslip order."""
    return [pl for pl in lines_of(kind) if pl.rule is not None]


def find(code: str, kind: LineKind | None = None) -> PayLine | None:
    """The line ``code`` of ``kind`` (None: earning, else deduction, else employer)."""
    lines = _LINES if _loaded else _load()
    if kind is not None:
        return lines.get((kind, code))
    for k in _KINDS:
        if (k, code) in lines:
            return lines[(k, code)]
    return None


def get(code: str, kind: LineKind | None = None) -> PayLine:
    """:func:`find`, raising :class:`UnknownPayLine` for an undeclared code."""
    line = find(code, kind)
    if line is None:
        raise UnknownPayLine(code, kind)
    return line


def in_order(lines: Iterable[Line], kind: LineKind) -> list[Line]:
    """``lines`` (all of ``kind``) sorted by payslip order, equal orders as given; an
    undeclared code raises :class:`UnknownPayLine`."""
    return sorted(lines, key=lambda line: get(line.code, kind).order)


def check(lines: Iterable[Line], kind: LineKind) -> None:
    """Raise :class:`UnknownPayLine` for the first line of ``kind`` not declared."""
    for line in lines:
        get(line.code, kind)
