"""``max_consecutive_terms``: at most ``max`` consecutive terms of one program.

Counted per program (the candidate's; term sequences differ between programs). Every
enrollment of that program is placed in its term (see :mod:`payroll.domain.term_history`);
the run of consecutive occupied terms through the candidate's term, extended backward
*and forward* (history may hold later terms, e.g. a late-registered enrollment), must be
at most ``max`` terms long. Several enrollments in one term count as one term.
Settings: ``max`` (≥ 1).

Usage: the run of consecutive terms ending at the latest occupied term (with ``as_of``:
the latest starting on or before it, and 0 when at least one whole term lies between that
term and the term of ``as_of``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from payroll.domain.limits.fields import max_field
from payroll.domain.limits.periods import in_order
from payroll.domain.limits.records import Candidate, LimitRule, PastEnrollment, Violation
from payroll.domain.limits.registry import Counted, Facts, RuleType, register, sentence
from payroll.domain.model import Term
from payroll.domain.term_history import term_index, term_sequence


@register
class MaxConsecutiveTerms(RuleType):
    code = "max_consecutive_terms"
    unit = "기"
    former_messages = frozenset({"at most {max} consecutive {program} terms"})

    def parse(self, row: Mapping[str, Any], where: str) -> dict[str, Any]:
        return max_field(row, where)

    def check(self, rule: LimitRule, c: Candidate, facts: Facts) -> Violation | None:
        limit = rule.settings["max"]
        chain = _chain(c.program, facts.terms, facts.history, (c.start, c.end))
        assert chain is not None
        if chain.length <= limit:
            return None
        seq, n = chain.sequence, chain.length
        own = seq[chain.anchor].code
        others = [i for i in chain.history_terms if i != chain.anchor]
        before = ", ".join(seq[i].code for i in others)
        if chain.anchor == chain.high and chain.anchor not in chain.history_terms:
            detail = (
                f"이미 {c.program} {len(others)}기 연속 참여({before}); {own} 참여 시 {n}기 연속"
            )
        else:
            detail = f"{own} 참여 시 {before}와(과) 이어 {c.program} {n}기 연속"
        return Violation(rule.code, sentence(rule, c.program, detail), chain.counting)

    def usage(self, rule: LimitRule, facts: Facts, program: str, as_of: date | None) -> Counted:
        own = [e for e in facts.history if e.program == program]
        if as_of is not None:
            seq_all = _chain(program, facts.terms, own, (as_of, as_of))
            assert seq_all is not None
            seq = seq_all.sequence
            at = term_index(as_of, as_of, seq)
            placed = [(term_index(e.start, e.end, seq), e) for e in own]
            before = [i for i, _ in placed if i <= at]
            if not before or at - max(before) > 1:
                return 0, ()
            own = [e for i, e in placed if i <= max(before)]
        chain = _chain(program, facts.terms, own, None)
        if chain is None:
            return 0, ()
        return chain.length, chain.counting


@dataclass(frozen=True)
class _Chain:
    sequence: tuple[Term, ...]
    low: int
    high: int
    anchor: int  # the term the run is taken through
    counting: tuple[PastEnrollment, ...]
    history_terms: tuple[int, ...]  # occupied-by-history term indexes in [low, high]

    @property
    def length(self) -> int:
        return self.high - self.low + 1 if self.high >= self.low else 0


def _chain(
    program: str,
    terms: Sequence[Term],
    enrollments: Sequence[PastEnrollment],
    anchor: tuple[date, date] | None,
) -> _Chain | None:
    """The run of consecutive occupied terms of ``program`` through the anchor's term.

    With no anchor, the run ending at the latest occupied term. ``None`` when there is
    nothing to place.
    """
    own = [e for e in enrollments if e.program == program]
    spans = [(e.start, e.end) for e in own] + ([anchor] if anchor else [])
    if not spans:
        return None
    first = min(s for s, _ in spans).year - 1
    last = max(e for _, e in spans).year + 1
    seq = term_sequence(program, terms, first, last)
    placed = {e: term_index(e.start, e.end, seq) for e in own}
    occupied = set(placed.values())
    if anchor is not None:
        at = term_index(anchor[0], anchor[1], seq)
        occupied.add(at)
    else:
        at = max(occupied)
    low = high = at
    while low - 1 in occupied:
        low -= 1
    while high + 1 in occupied:
        high += 1
    counting = in_order(e for e, i in placed.items() if low <= i <= high)
    history_terms = tuple(sorted({i for i in placed.values() if low <= i <= high}))
    return _Chain(seq, low, high, at, counting, history_terms)
