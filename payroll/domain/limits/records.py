"""The records the limit checks take and give: enrollments, rules, violations, usage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

ACTIONS = ("block", "pay_cut")

# Every rule's settings hold these keys (``None``/default when its type has no such field),
# so any message may name any of them: ``{max}``, ``{years}``, ``{min_age}`` …
DEFAULT_SETTINGS: Mapping[str, Any] = MappingProxyType(
    {
        "max": None,
        "years": None,
        "min_age": None,
        "max_age": None,
        "action": "block",
        "pay_cut_percent": Decimal(0),
    }
)


@dataclass(frozen=True)
class PastEnrollment:
    """An enrollment already on record (ours, or imported history)."""

    ref: str  # the enrollment's id, or e.g. "history:3"
    participant_id: str
    program: str
    start: date
    end: date
    household: str | None = None


@dataclass(frozen=True)
class Candidate:
    """The enrollment being asked for."""

    participant_id: str
    program: str
    start: date
    end: date
    birth_date: date
    household: str | None = None


@dataclass(frozen=True)
class LimitRule:
    """One ``[[limits]]`` row, checked.

    ``settings`` holds ``max``, ``years``, ``min_age``, ``max_age`` (``int`` or ``None``),
    ``action`` (``"block"`` or ``"pay_cut"``) and ``pay_cut_percent`` (``Decimal``).
    """

    code: str
    programs: frozenset[str]
    message: str
    enabled: bool = True
    settings: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def applies_to(self, program: str) -> bool:
        """Enabled and listing ``program``."""
        return self.enabled and program in self.programs

    def render(self, program: str) -> str:
        """The rule's message template filled in for ``program``."""
        return self.message.format_map(_template_values(self, program))


def _template_values(rule: LimitRule, program: str) -> dict[str, Any]:
    s = rule.settings
    return {
        "code": rule.code,
        "program": program,
        "programs": ", ".join(sorted(rule.programs)),
        "max": s.get("max"),
        "years": s.get("years"),
        "min_age": s.get("min_age"),
        "max_age": s.get("max_age"),
        "action": s.get("action", "block"),
        "pay_cut_percent": s.get("pay_cut_percent", Decimal(0)),
    }


@dataclass(frozen=True)
class Violation:
    """A broken rule: code, full sentence, and the past enrollments counting against it."""

    code: str
    message: str
    counting: tuple[PastEnrollment, ...] = ()
    action: str = "block"
    pay_cut_percent: Decimal = Decimal(0)


@dataclass(frozen=True)
class LimitUsage:
    """How much of a rule a participant has used (``payroll participant show``).

    ``used``/``limit``/``remaining`` are ``None`` for rules without a count (no_overlap,
    one_per_household, age_band); ``unit`` is "기" (terms), "개월" (months) or "회" (enrollments).
    """

    code: str
    message: str
    used: int | None
    limit: int | None
    remaining: int | None
    unit: str
    counting: tuple[str, ...]  # refs of the counted enrollments
