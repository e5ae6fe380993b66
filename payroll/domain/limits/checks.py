"""Checking a candidate enrollment against the rules, and the usage shown per participant."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from payroll.domain.limits.periods import check_dates
from payroll.domain.limits.records import (
    Candidate,
    LimitRule,
    LimitUsage,
    PastEnrollment,
    Violation,
)
from payroll.domain.limits.registry import Facts, rule_type
from payroll.domain.model import Term


def check_enrollment(
    candidate: Candidate,
    history: Sequence[PastEnrollment],
    rules: Sequence[LimitRule],
    terms: Sequence[Term],
    household_enrollments: Sequence[PastEnrollment] = (),
) -> list[Violation]:
    """Every enabled rule the candidate enrollment breaks, in rule order (empty: allowed)."""
    check_dates("(candidate)", candidate.start, candidate.end)
    for e in (*history, *household_enrollments):
        check_dates(e.ref, e.start, e.end)
    facts = Facts(history, household_enrollments, terms)
    found = [
        rule_type(rule.code).check(rule, candidate, facts)
        for rule in rules
        if rule.applies_to(candidate.program)
    ]
    return [v for v in found if v is not None]


def limit_usage(
    history: Sequence[PastEnrollment],
    rules: Sequence[LimitRule],
    terms: Sequence[Term],
    as_of_program: str,
    as_of: date | None = None,
) -> list[LimitUsage]:
    """For each enabled rule of ``as_of_program``: used, limit, remaining, counting refs.

    What "used" means is the rule type's (its ``usage``): consecutive terms of the
    program, months of the rule's programs, enrollments in the window up to ``as_of``.
    Rules without a count report ``None`` for used, limit and remaining.
    """
    for e in history:
        check_dates(e.ref, e.start, e.end)
    facts = Facts(history, (), terms)
    out: list[LimitUsage] = []
    for rule in rules:
        if not rule.applies_to(as_of_program):
            continue
        kind = rule_type(rule.code)
        counted = kind.usage(rule, facts, as_of_program, as_of)
        used: int | None = None
        limit: int | None = None
        counting: tuple[PastEnrollment, ...] = ()
        if counted is not None:
            (used, counting), limit = counted, rule.settings.get("max")
        remaining = None if used is None or limit is None else max(0, limit - used)
        out.append(
            LimitUsage(
                rule.code,
                rule.render(as_of_program),
                used,
                limit,
                remaining,
                kind.unit,
                tuple(e.ref for e in counting),
            )
        )
    return out
