"""``one_per_household``: one participant per household per term.

Another household member's enrollment in one of the rule's programs whose dates overlap
the candidate's term (catalog or stand-in term of the candidate's program) refuses it.
Enrollments carrying a different household than the candidate's are ignored; the
candidate's own enrollments never count. Settings: none.
"""

from __future__ import annotations

from payroll.domain.limits.periods import describe_all, in_order, overlaps
from payroll.domain.limits.records import Candidate, LimitRule, Violation
from payroll.domain.limits.registry import Facts, RuleType, of_rule, register, sentence
from payroll.domain.term_history import term_of


@register
class OnePerHousehold(RuleType):
    code = "one_per_household"
    former_messages = frozenset({"one participant per household per term"})

    def check(self, rule: LimitRule, c: Candidate, facts: Facts) -> Violation | None:
        term = term_of(c.start, c.end, c.program, facts.terms)
        hits = in_order(
            e
            for e in of_rule(rule, facts.household)
            if e.participant_id != c.participant_id
            and (e.household is None or c.household is None or e.household == c.household)
            and overlaps(e.start, e.end, term.start, term.end)
        )
        if not hits:
            return None
        detail = (
            f"가구 {c.household or '(지정)'}에 이미 {c.program} {term.code}"
            f"({term.start.isoformat()}..{term.end.isoformat()}) 참여자 있음: {describe_all(hits)}"
        )
        return Violation(rule.code, sentence(rule, c.program, detail), hits)
