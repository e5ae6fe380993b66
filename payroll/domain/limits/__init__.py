"""Participation limits (how-pay-is-calculated.md §11): may this participant take this enrollment?

Pure: the caller passes the candidate enrollment, the participant's whole history (any
program, any year, the candidate itself left out), the limit rules, the catalog terms and
other household members' enrollments. :func:`check_enrollment` returns every broken rule
with the past enrollments that count against it; an empty list means the enrollment may go
ahead. Disabled rules are never checked. A rule applies when the candidate's program is
one of the rule's ``programs``.

Each rule type is one module in :mod:`payroll.domain.limits.rules` — its settings
(``parse``), its ``check``, its ``usage`` for ``payroll participant show`` and, in its
docstring, the reading of §11 it follows: ``no_overlap``, ``max_consecutive_terms``,
``max_cumulative_months``, ``max_participations_in_window``, ``one_per_household``,
``age_band``. :mod:`~payroll.domain.limits.registry` finds them by the catalog's ``code``.

Adding a rule type:

1. a module ``rules/<code>.py`` with a :class:`~payroll.domain.limits.registry.RuleType`
   subclass decorated with ``@register``: ``code``, ``parse`` (its settings from the
   ``[[limits]]`` row; errors name ``where`` and the field), ``check`` (a
   :class:`Violation` whose message is ``sentence(rule, program, detail)``, the detail in
   Korean) and, for a counted rule, ``unit`` and ``usage``;
2. a ``[[limits]]`` row with that ``code`` in ``payroll/data/catalog.toml``
   (and a boundary test in ``tests/unit/domain/test_limits.py``).

Nothing else lists the types: the registry loads every module of ``rules/``, and a
catalog row naming an unregistered type is refused with its row number.
"""

from __future__ import annotations

from payroll.domain.calendar import age_on
from payroll.domain.limits.checks import check_enrollment, limit_usage
from payroll.domain.limits.parsing import parse_rules
from payroll.domain.limits.periods import months_of
from payroll.domain.limits.records import (
    ACTIONS,
    Candidate,
    LimitRule,
    LimitUsage,
    PastEnrollment,
    Violation,
)
from payroll.domain.limits.registry import RuleType, former_messages, register, rule_types
from payroll.domain.term_history import term_code_of

CODES = tuple(rule_types())  # the registered rule types' codes

__all__ = [
    "ACTIONS",
    "CODES",
    "Candidate",
    "LimitRule",
    "LimitUsage",
    "PastEnrollment",
    "RuleType",
    "Violation",
    "age_on",
    "check_enrollment",
    "former_messages",
    "limit_usage",
    "months_of",
    "parse_rules",
    "register",
    "rule_types",
    "term_code_of",
]
