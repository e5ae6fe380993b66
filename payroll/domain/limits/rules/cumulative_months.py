"""``max_cumulative_months``: at most ``max`` months in the rule's programs, all told.

Counted across the rule's programs. The months of an enrollment are the fewest whole
months from S (counted as in 민법 §160) that cover E, so a started month counts whole:
2025-04-01 – 2025-12-31 is 9, 2025-01-31 – 2025-02-28 is 1, 2025-04-01 – 2025-04-01
is 1, 2025-01-15 – 2025-03-14 is 2, 2025-01-15 – 2025-03-15 is 3. Each enrollment is
rounded up on its own. History months plus the candidate's must be at most ``max``:
reaching it exactly is allowed, one more day is refused. Settings: ``max`` (≥ 1).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from payroll.domain.limits.fields import max_field
from payroll.domain.limits.periods import describe, in_order, months_of
from payroll.domain.limits.records import Candidate, LimitRule, Violation
from payroll.domain.limits.registry import Counted, Facts, RuleType, of_rule, register, sentence


@register
class MaxCumulativeMonths(RuleType):
    code = "max_cumulative_months"
    unit = "개월"
    former_messages = frozenset({"at most {max} months of {program} in total"})

    def parse(self, row: Mapping[str, Any], where: str) -> dict[str, Any]:
        return max_field(row, where)

    def check(self, rule: LimitRule, c: Candidate, facts: Facts) -> Violation | None:
        limit = rule.settings["max"]
        past = in_order(of_rule(rule, facts.history))
        used = sum(months_of(e.start, e.end) for e in past)
        own = months_of(c.start, c.end)
        if used + own <= limit:
            return None
        listed = (
            ", ".join(f"{describe(e)} ({months_of(e.start, e.end)}개월)" for e in past) or "없음"
        )
        detail = f"이미 {used}개월 참여({listed}); 이번 참여 {own}개월을 더하면 {used + own}개월"
        return Violation(rule.code, sentence(rule, c.program, detail), past)

    def usage(self, rule: LimitRule, facts: Facts, program: str, as_of: date | None) -> Counted:
        counting = in_order(of_rule(rule, facts.history))
        return sum(months_of(e.start, e.end) for e in counting), counting
