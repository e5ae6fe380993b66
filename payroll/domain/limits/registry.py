"""The registry of limit rule types: each ``code`` of ``[[limits]]`` names one :class:`RuleType`.

A rule type is a class in its own module under :mod:`payroll.domain.limits.rules`,
decorated with :func:`register`; every module there is loaded the first time the registry
is read, so a new type needs no line anywhere else.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, TypeVar

import payroll.domain.limits.rules as rules_package
from payroll.domain.limits.records import LimitRule, PastEnrollment, Violation
from payroll.domain.model import PayrollError, Term


@dataclass(frozen=True)
class Facts:
    """What a check may look at besides the candidate: the participant's own history (the
    candidate left out), other household members' enrollments, and the catalog terms."""

    history: Sequence[PastEnrollment]
    household: Sequence[PastEnrollment]
    terms: Sequence[Term]


Counted = tuple[int, tuple[PastEnrollment, ...]]  # used so far, and the enrollments counted


class RuleType:
    """One kind of participation limit: its settings, its check and its usage.

    ``code`` is the catalog's ``code``; ``unit`` is the unit of :meth:`usage` ("기", "개월",
    "회"; empty for rules without a count); ``former_messages`` are messages earlier
    versions shipped for it, which ``payroll init`` replaces with the shipped one.
    """

    code: ClassVar[str]
    unit: ClassVar[str] = ""
    former_messages: ClassVar[frozenset[str]] = frozenset()

    def parse(self, row: Mapping[str, Any], where: str) -> dict[str, Any]:
        """The type's settings from its catalog row (errors name ``where`` and the field)."""
        return {}

    def check(self, rule: LimitRule, candidate: Any, facts: Facts) -> Violation | None:
        """The violation of ``rule`` by the candidate enrollment, or ``None``."""
        raise NotImplementedError

    def usage(
        self, rule: LimitRule, facts: Facts, program: str, as_of: date | None
    ) -> Counted | None:
        """How much of ``rule`` ``facts.history`` has used (in ``program``, as of ``as_of``);
        ``None`` for a rule without a count."""
        return None


T = TypeVar("T", bound=type[RuleType])
_TYPES: dict[str, RuleType] = {}
_loaded = False


def register(cls: T) -> T:
    """Class decorator: add a rule type under its ``code``."""
    if cls.code in _TYPES:
        raise RuntimeError(f"limit rule type {cls.code!r} is registered twice")
    _TYPES[cls.code] = cls()
    return cls


def _load() -> dict[str, RuleType]:
    global _loaded
    if not _loaded:
        for module in pkgutil.iter_modules(rules_package.__path__):
            importlib.import_module(f"{rules_package.__name__}.{module.name}")
        _loaded = True
    return _TYPES


def rule_types() -> Mapping[str, RuleType]:
    """Every registered rule type by code (the modules of ``rules/`` loaded on first use)."""
    return dict(sorted(_load().items()))


def rule_type(code: str) -> RuleType:
    """The rule type ``code`` (a catalog row of an unknown type was refused when parsed)."""
    found = _load().get(code)
    if found is None:
        raise PayrollError(f"등록되지 않은 참여 제한 규칙 유형 {code!r}")
    return found


# --- wording shared by the rule types ------------------------------------------------------


def sentence(rule: LimitRule, program: str, detail: str) -> str:
    """``code: message; detail``: a violation's full sentence."""
    return f"{rule.code}: {rule.render(program)}; {detail}"


def of_rule(rule: LimitRule, enrollments: Iterable[PastEnrollment]) -> list[PastEnrollment]:
    """The enrollments in one of the rule's programs."""
    return [e for e in enrollments if e.program in rule.programs]


def former_messages() -> dict[str, frozenset[str]]:
    """Code → the messages earlier versions shipped for it (``payroll init`` refreshes them)."""
    return {code: kind.former_messages for code, kind in rule_types().items()}
