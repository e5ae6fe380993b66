"""``max_participations_in_window``: at most ``max`` enrollments within ``years`` years.

Counted across the rule's programs. The window is the ``years`` years up to the
candidate's start, [S − years, S]; a history enrollment counts when it shares a day with
the window. Counted enrollments plus the candidate must be at most ``max``.
``action = "pay_cut"`` gives a violation with that action and ``pay_cut_percent``: the
caller enrolls with a pay cut instead of refusing. Settings: ``max``, ``years`` (≥ 1),
``action`` (``block`` or ``pay_cut``), ``pay_cut_percent`` (0 … 100, above 0 for a cut).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from payroll.domain.limits.fields import int_field
from payroll.domain.limits.periods import describe_all, in_order, minus_years, overlaps
from payroll.domain.limits.records import (
    ACTIONS,
    Candidate,
    LimitRule,
    PastEnrollment,
    Violation,
)
from payroll.domain.limits.registry import Counted, Facts, RuleType, of_rule, register, sentence
from payroll.domain.model import PayrollError


@register
class MaxParticipationsInWindow(RuleType):
    code = "max_participations_in_window"
    unit = "회"
    former_messages = frozenset({"at most {max} public-job enrollments within {years} years"})

    def parse(self, row: Mapping[str, Any], where: str) -> dict[str, Any]:
        settings: dict[str, Any] = {
            "max": int_field(row, "max", where, required=True, low=1),
            "years": int_field(row, "years", where, required=True, low=1),
        }
        action = row.get("action", "block")
        if action not in ACTIONS:
            raise PayrollError(
                f"{where}: field 'action' must be 'block' or 'pay_cut', got {action!r}"
            )
        settings["action"] = action
        raw = row.get("pay_cut_percent", "0")
        try:
            percent = Decimal(str(raw))
        except InvalidOperation:
            raise PayrollError(
                f"{where}: field 'pay_cut_percent' is not a number: {raw!r}"
            ) from None
        if not percent.is_finite() or not Decimal(0) <= percent <= Decimal(100):
            raise PayrollError(f"{where}: field 'pay_cut_percent' must be 0 … 100, got {raw!r}")
        if action == "pay_cut" and percent == 0:
            raise PayrollError(f"{where}: field 'pay_cut_percent' must be above 0 for a pay cut")
        settings["pay_cut_percent"] = percent
        return settings

    def check(self, rule: LimitRule, c: Candidate, facts: Facts) -> Violation | None:
        s = rule.settings
        since, hits = in_window(rule, c.start, facts.history)
        if len(hits) + 1 <= s["max"]:
            return None
        detail = (
            f"{since.isoformat()}부터 {c.start.isoformat()}까지 이미 {len(hits)}회 참여"
            f"({describe_all(hits)}); 이번이 {len(hits) + 1}번째"
        )
        if s["action"] == "pay_cut":
            detail += f"; 급여 {s['pay_cut_percent']} % 감액"
        return Violation(
            rule.code,
            sentence(rule, c.program, detail),
            hits,
            action=s["action"],
            pay_cut_percent=s["pay_cut_percent"] if s["action"] == "pay_cut" else Decimal(0),
        )

    def usage(self, rule: LimitRule, facts: Facts, program: str, as_of: date | None) -> Counted:
        """Enrollments in the ``years`` up to ``as_of`` (default: the day after the latest
        history end, i.e. the earliest next start)."""
        end = as_of
        if end is None:
            ends = [e.end for e in of_rule(rule, facts.history)]
            end = max(ends) + timedelta(days=1) if ends else None
        counting: tuple[PastEnrollment, ...] = ()
        if end is not None:
            _, counting = in_window(rule, end, facts.history)
        return len(counting), counting


def in_window(
    rule: LimitRule, start: date, history: Iterable[PastEnrollment]
) -> tuple[date, tuple[PastEnrollment, ...]]:
    """The window's first day, and the rule's enrollments sharing a day with it."""
    since = minus_years(start, rule.settings["years"])
    return since, in_order(
        e for e in of_rule(rule, history) if overlaps(e.start, e.end, since, start)
    )
