"""``no_overlap``: no two enrollments at once.

Any history enrollment in a listed program whose [start, end] shares a day with the
candidate's refuses it. Settings: none.
"""

from __future__ import annotations

from payroll.domain.limits.periods import describe_all, in_order, overlaps
from payroll.domain.limits.records import Candidate, LimitRule, Violation
from payroll.domain.limits.registry import Facts, RuleType, of_rule, register, sentence


@register
class NoOverlap(RuleType):
    code = "no_overlap"
    former_messages = frozenset({"overlaps another public-job enrollment"})

    def check(self, rule: LimitRule, c: Candidate, facts: Facts) -> Violation | None:
        hits = in_order(
            e for e in of_rule(rule, facts.history) if overlaps(e.start, e.end, c.start, c.end)
        )
        if not hits:
            return None
        detail = (
            f"{c.start.isoformat()}..{c.end.isoformat()} 기간이 {describe_all(hits)}와(과) 겹침"
        )
        return Violation(rule.code, sentence(rule, c.program, detail), hits)
