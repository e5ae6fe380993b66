"""Which term a past enrollment belongs to, and the term sequence of a program (§11).

A past enrollment belongs to the term of its program whose dates it overlaps most. For a
calendar year in which the catalog has no term of that program, the half-years stand in:
1 Jan – 30 Jun is ``"YYYY-H1"``, 1 Jul – 31 Dec is ``"YYYY-H2"``.

The *term sequence* of a program is its catalog terms plus the stand-in half-years of the
years without catalog terms, ordered by start. Two terms are consecutive when they are
neighbours in that sequence (no term of the program lies between them).

Readings chosen here:

- A year "has catalog terms" when any catalog term of the program overlaps that calendar
  year; such a year gets no stand-ins, even for the months its catalog terms leave out.
- Ties in overlap go to the earlier term. An enrollment overlapping no term at all (it
  falls in a gap of a catalog year, e.g. maeryeok January 2025 before the "2025" term
  starts on 1 March) belongs to the nearest term of its own calendar year(s), not to a
  nearer term of the year before (2024-H2); ties again to the earlier one.
- An enrollment belongs to exactly one term, even when it spans two: a full-year 2024
  enrollment (H1 182 days, H2 184 days) is 2024-H2 only, so it does not by itself link
  2023-H2 to 2025-H1.
- Consequence for maeryeok, whose shipped 2025 term is one year-long term "2025": years
  before 2025 have two stand-in half-years each, 2025 has one term. A participant enrolled
  in 2024-H1, 2024-H2 and 2025 has three consecutive maeryeok terms, while two
  enrollments inside 2025 count as the single term "2025".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from payroll.domain.model import Term


def half_years(program: str, year: int) -> tuple[Term, Term]:
    """The stand-in terms of a year without catalog terms."""
    return (
        Term(program, f"{year}-H1", date(year, 1, 1), date(year, 6, 30)),
        Term(program, f"{year}-H2", date(year, 7, 1), date(year, 12, 31)),
    )


def term_sequence(
    program: str, terms: Sequence[Term], first_year: int, last_year: int
) -> tuple[Term, ...]:
    """The program's term sequence covering the years ``first_year`` … ``last_year``.

    Catalog terms of the program that overlap those years, plus stand-in half-years for
    each year no catalog term overlaps, ordered by start. Every date of the covered years
    lies in, or between two, terms of the result, so neighbours in it are consecutive terms.
    """
    lo, hi = date(first_year, 1, 1), date(last_year, 12, 31)
    own = [t for t in terms if t.program == program and t.start <= hi and t.end >= lo]
    seq = list(own)
    for year in range(first_year, last_year + 1):
        y_lo, y_hi = date(year, 1, 1), date(year, 12, 31)
        if not any(t.start <= y_hi and t.end >= y_lo for t in own):
            seq.extend(half_years(program, year))
    return tuple(sorted(seq, key=lambda t: (t.start, t.end, t.code)))


def _overlap_days(start: date, end: date, term: Term) -> int:
    return max(0, (min(end, term.end) - max(start, term.start)).days + 1)


def _distance_days(start: date, end: date, term: Term) -> int:
    if end < term.start:
        return (term.start - end).days
    if start > term.end:
        return (start - term.end).days
    return 0


def term_index(start: date, end: date, sequence: Sequence[Term]) -> int:
    """Index in ``sequence`` of the term an enrollment [start, end] belongs to.

    Most overlapping days wins; with no overlap, the nearest term overlapping the
    enrollment's calendar years; ties go to the earlier.
    """
    if not sequence:
        raise ValueError("empty term sequence")
    best = max(range(len(sequence)), key=lambda i: (_overlap_days(start, end, sequence[i]), -i))
    if _overlap_days(start, end, sequence[best]) > 0:
        return best
    lo, hi = date(start.year, 1, 1), date(end.year, 12, 31)
    same_years = [i for i, t in enumerate(sequence) if t.start <= hi and t.end >= lo]
    return min(
        same_years or range(len(sequence)),
        key=lambda i: (_distance_days(start, end, sequence[i]), i),
    )


def term_of(start: date, end: date, program: str, terms: Sequence[Term]) -> Term:
    """The term (catalog or stand-in) of ``program`` that an enrollment belongs to."""
    seq = term_sequence(program, terms, start.year - 1, end.year + 1)
    return seq[term_index(start, end, seq)]


def term_code_of(
    enrollment_start: date, enrollment_end: date, program: str, terms: Sequence[Term]
) -> str:
    """The code of the term an enrollment belongs to, e.g. ``"2025-H1"`` or ``"2023-H2"``."""
    return term_of(enrollment_start, enrollment_end, program, terms).code
