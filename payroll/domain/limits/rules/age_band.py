"""``age_band``: the program is for ages ``min_age`` … ``max_age`` on the start date.

Age in completed years (만 나이) on the start date within [min_age, max_age] (either
bound may be absent, not both). Born 29 February: one year older on 1 March in common
years. Settings: ``min_age``, ``max_age`` (≥ 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from payroll.domain.calendar import age_on
from payroll.domain.limits.fields import int_field
from payroll.domain.limits.records import Candidate, LimitRule, Violation
from payroll.domain.limits.registry import Facts, RuleType, register, sentence
from payroll.domain.model import PayrollError


@register
class AgeBand(RuleType):
    code = "age_band"
    former_messages = frozenset({"{program} is for ages {min_age} and over on the start date"})

    def parse(self, row: Mapping[str, Any], where: str) -> dict[str, Any]:
        lo = int_field(row, "min_age", where, required=False, low=0)
        hi = int_field(row, "max_age", where, required=False, low=0)
        if lo is None and hi is None:
            raise PayrollError(f"{where}: field 'min_age' or 'max_age' is required")
        if lo is not None and hi is not None and lo > hi:
            raise PayrollError(f"{where}: field 'max_age' ({hi}) is below 'min_age' ({lo})")
        return {"min_age": lo, "max_age": hi}

    def check(self, rule: LimitRule, c: Candidate, facts: Facts) -> Violation | None:
        lo, hi = rule.settings["min_age"], rule.settings["max_age"]
        age = age_on(c.birth_date, c.start)
        if (lo is None or age >= lo) and (hi is None or age <= hi):
            return None
        detail = (
            f"시작일 {c.start.isoformat()} 기준 만 {age}세(생년월일 {c.birth_date.isoformat()})"
        )
        return Violation(rule.code, sentence(rule, c.program, detail))
