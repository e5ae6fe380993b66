"""Participation limits (how-pay-is-calculated.md §11): may this participant take this enrollment?

Pure: the caller passes the candidate enrollment, the participant's whole history (any
program, any year, the candidate itself left out), the limit rules, the catalog terms and
other household members' enrollments. :func:`check_enrollment` returns every broken rule
with the past enrollments that count against it; an empty list means the enrollment may go
ahead. Disabled rules are never checked.

A rule applies when the candidate's program is one of the rule's ``programs``. Readings
chosen where §11 leaves room:

``no_overlap``
    Any history enrollment in a listed program whose [start, end] shares a day with the
    candidate's refuses it.
``max_consecutive_terms``
    Counted per program (the candidate's; term sequences differ between programs). Every
    enrollment of that program is placed in its term (see :mod:`payroll.domain.term_history`);
    the run of consecutive occupied terms through the candidate's term, extended backward
    *and forward* (history may hold later terms, e.g. a late-registered enrollment), must
    be at most ``max`` terms long. Several enrollments in one term count as one term.
``max_cumulative_months``
    Counted across the rule's programs. The months of an enrollment are the fewest whole
    months from S (counted as in 민법 §160) that cover E, so a started month counts whole:
    2025-04-01 – 2025-12-31 is 9, 2025-01-31 – 2025-02-28 is 1, 2025-04-01 – 2025-04-01
    is 1, 2025-01-15 – 2025-03-14 is 2, 2025-01-15 – 2025-03-15 is 3. Each enrollment is
    rounded up on its own. History months plus the candidate's must be at most ``max``:
    reaching it exactly is allowed, one more day is refused.
``max_participations_in_window``
    Counted across the rule's programs. The window is the ``years`` years up to the
    candidate's start, [S − years, S]; a history enrollment counts when it shares a day
    with the window. Counted enrollments plus the candidate must be at most ``max``.
    ``action = "pay_cut"`` gives a violation with that action and ``pay_cut_percent``: the
    caller enrolls with a pay cut instead of refusing.
``one_per_household``
    Another household member's enrollment in one of the rule's programs whose dates
    overlap the candidate's term (catalog or stand-in term of the candidate's program)
    refuses it. Enrollments carrying a different household than the candidate's are
    ignored; the candidate's own enrollments never count.
``age_band``
    Age in completed years (만 나이) on the start date within [min_age, max_age] (either
    bound may be absent). Born 29 February: one year older on 1 March in common years.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

import pendulum

from payroll.domain.calendar import age_on
from payroll.domain.model import PayrollError, Term
from payroll.domain.term_history import term_code_of, term_index, term_of, term_sequence

__all__ = [
    "CODES",
    "Candidate",
    "LimitRule",
    "LimitUsage",
    "PastEnrollment",
    "Violation",
    "age_on",
    "check_enrollment",
    "limit_usage",
    "months_of",
    "parse_rules",
    "term_code_of",
]

CODES = (
    "no_overlap",
    "max_consecutive_terms",
    "max_cumulative_months",
    "max_participations_in_window",
    "one_per_household",
    "age_band",
)
ACTIONS = ("block", "pay_cut")


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


# --- parsing -----------------------------------------------------------------------------


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


def _int_field(
    row: Mapping[str, Any], key: str, where: str, *, required: bool, low: int
) -> int | None:
    value = row.get(key)
    if value is None:
        if required:
            raise PayrollError(f"{where}: field {key!r} is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise PayrollError(f"{where}: field {key!r} must be a whole number, got {value!r}")
    try:
        number = int(value)
    except ValueError:
        raise PayrollError(
            f"{where}: field {key!r} must be a whole number, got {value!r}"
        ) from None
    if number < low:
        raise PayrollError(f"{where}: field {key!r} must be at least {low}, got {number}")
    return number


def _parse_rule(index: int, row: Mapping[str, Any]) -> LimitRule:
    code = row.get("code")
    where = f"limit rule #{index + 1} ({code!r})"
    if code not in CODES:
        raise PayrollError(f"{where}: field 'code' must be one of {', '.join(CODES)}")
    if isinstance(row.get("settings"), Mapping):  # a stored row may nest its settings
        row = {**row["settings"], **{k: v for k, v in row.items() if k != "settings"}}

    programs = row.get("programs")
    if isinstance(programs, str):
        programs = [programs]
    if (
        not isinstance(programs, Iterable)
        or not (programs := list(programs))
        or not all(isinstance(p, str) and p.strip() for p in programs)
    ):
        raise PayrollError(f"{where}: field 'programs' must be a non-empty list of program codes")

    enabled = row.get("enabled", True)
    if not isinstance(enabled, bool):
        raise PayrollError(f"{where}: field 'enabled' must be true or false, got {enabled!r}")

    message = row.get("message")
    if not isinstance(message, str) or not message.strip():
        raise PayrollError(f"{where}: field 'message' is required")

    settings: dict[str, Any] = {
        "max": None,
        "years": None,
        "min_age": None,
        "max_age": None,
        "action": "block",
        "pay_cut_percent": Decimal(0),
    }
    if code in ("max_consecutive_terms", "max_cumulative_months", "max_participations_in_window"):
        settings["max"] = _int_field(row, "max", where, required=True, low=1)
    if code == "max_participations_in_window":
        settings["years"] = _int_field(row, "years", where, required=True, low=1)
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
    if code == "age_band":
        settings["min_age"] = _int_field(row, "min_age", where, required=False, low=0)
        settings["max_age"] = _int_field(row, "max_age", where, required=False, low=0)
        lo, hi = settings["min_age"], settings["max_age"]
        if lo is None and hi is None:
            raise PayrollError(f"{where}: field 'min_age' or 'max_age' is required")
        if lo is not None and hi is not None and lo > hi:
            raise PayrollError(f"{where}: field 'max_age' ({hi}) is below 'min_age' ({lo})")

    rule = LimitRule(
        code=code,
        programs=frozenset(p.strip() for p in programs),
        message=message,
        enabled=enabled,
        settings=MappingProxyType(settings),
    )
    try:
        rule.render(sorted(rule.programs)[0])
    except (KeyError, IndexError, ValueError) as exc:
        raise PayrollError(f"{where}: field 'message' has a bad placeholder: {exc}") from None
    return rule


def parse_rules(rows: Iterable[Mapping[str, Any]]) -> tuple[LimitRule, ...]:
    """Check ``[[limits]]`` rows; a bad row raises :class:`PayrollError` naming rule and field."""
    return tuple(_parse_rule(i, row) for i, row in enumerate(rows))


# --- arithmetic --------------------------------------------------------------------------


def _period_end(start: date, months: int) -> date:
    """Last day of a period of ``months`` months from ``start`` (민법 §160).

    The day before the corresponding day of the month ``months`` later; when that month has
    no corresponding day, its last day (2025-01-31 + 1 month ends 2025-02-28).
    """
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    days = calendar.monthrange(year, month)[1]
    if start.day <= days:
        return date(year, month, start.day) - timedelta(days=1)
    return date(year, month, days)


def _minus_years(day: date, years: int) -> date:
    d = pendulum.date(day.year, day.month, day.day).subtract(years=years)
    return date(d.year, d.month, d.day)


def months_of(start: date, end: date) -> int:
    """Months of an enrollment [start, end]: the fewest months from ``start`` covering ``end``.

    Months are counted as in 민법 §160 (see :func:`_period_end`), a started month counting
    whole: 2025-04-01 – 2025-12-31 is 9, 2025-01-31 – 2025-02-28 is 1, 2025-01-15 –
    2025-03-14 is 2, 2025-01-15 – 2025-03-15 is 3.
    """
    months = max(1, (end.year - start.year) * 12 + end.month - start.month - 1)
    while _period_end(start, months) < end:
        months += 1
    return months


def _overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start <= b_end and b_start <= a_end


def _order(enrollments: Iterable[PastEnrollment]) -> tuple[PastEnrollment, ...]:
    return tuple(sorted(enrollments, key=lambda e: (e.start, e.end, e.program, e.ref)))


def _describe(e: PastEnrollment) -> str:
    return f"{e.ref} {e.program} {e.start.isoformat()}..{e.end.isoformat()}"


def _describe_all(enrollments: Iterable[PastEnrollment]) -> str:
    return ", ".join(_describe(e) for e in enrollments)


def _check_dates(ref: str, start: date, end: date) -> None:
    if end < start:
        raise PayrollError(
            f"참여 {ref}: 종료일 {end.isoformat()}이(가) 시작일 {start.isoformat()}보다 앞섭니다"
        )


# --- consecutive terms -------------------------------------------------------------------


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
    counting = _order(e for e, i in placed.items() if low <= i <= high)
    history_terms = tuple(sorted({i for i in placed.values() if low <= i <= high}))
    return _Chain(seq, low, high, at, counting, history_terms)


def _check_consecutive(
    rule: LimitRule, c: Candidate, history: Sequence[PastEnrollment], terms: Sequence[Term]
) -> Violation | None:
    limit = rule.settings["max"]
    chain = _chain(c.program, terms, history, (c.start, c.end))
    assert chain is not None
    if chain.length <= limit:
        return None
    seq, n = chain.sequence, chain.length
    own = seq[chain.anchor].code
    others = [i for i in chain.history_terms if i != chain.anchor]
    before = ", ".join(seq[i].code for i in others)
    if chain.anchor == chain.high and chain.anchor not in chain.history_terms:
        detail = f"이미 {c.program} {len(others)}기 연속 참여({before}); {own} 참여 시 {n}기 연속"
    else:
        detail = f"{own} 참여 시 {before}와(과) 이어 {c.program} {n}기 연속"
    return Violation(rule.code, _sentence(rule, c.program, detail), chain.counting)


# --- the other rules ---------------------------------------------------------------------


def _sentence(rule: LimitRule, program: str, detail: str) -> str:
    return f"{rule.code}: {rule.render(program)}; {detail}"


def _group(rule: LimitRule, history: Iterable[PastEnrollment]) -> list[PastEnrollment]:
    return [e for e in history if e.program in rule.programs]


def _check_overlap(
    rule: LimitRule, c: Candidate, history: Sequence[PastEnrollment]
) -> Violation | None:
    hits = _order(e for e in _group(rule, history) if _overlaps(e.start, e.end, c.start, c.end))
    if not hits:
        return None
    detail = f"{c.start.isoformat()}..{c.end.isoformat()} 기간이 {_describe_all(hits)}와(과) 겹침"
    return Violation(rule.code, _sentence(rule, c.program, detail), hits)


def _check_months(
    rule: LimitRule, c: Candidate, history: Sequence[PastEnrollment]
) -> Violation | None:
    limit = rule.settings["max"]
    past = _order(_group(rule, history))
    used = sum(months_of(e.start, e.end) for e in past)
    own = months_of(c.start, c.end)
    if used + own <= limit:
        return None
    listed = ", ".join(f"{_describe(e)} ({months_of(e.start, e.end)}개월)" for e in past) or "없음"
    detail = f"이미 {used}개월 참여({listed}); 이번 참여 {own}개월을 더하면 {used + own}개월"
    return Violation(rule.code, _sentence(rule, c.program, detail), past)


def _in_window(
    rule: LimitRule, start: date, history: Iterable[PastEnrollment]
) -> tuple[date, tuple[PastEnrollment, ...]]:
    since = _minus_years(start, rule.settings["years"])
    return since, _order(
        e for e in _group(rule, history) if _overlaps(e.start, e.end, since, start)
    )


def _check_window(
    rule: LimitRule, c: Candidate, history: Sequence[PastEnrollment]
) -> Violation | None:
    s = rule.settings
    since, hits = _in_window(rule, c.start, history)
    if len(hits) + 1 <= s["max"]:
        return None
    detail = (
        f"{since.isoformat()}부터 {c.start.isoformat()}까지 이미 {len(hits)}회 참여"
        f"({_describe_all(hits)}); 이번이 {len(hits) + 1}번째"
    )
    if s["action"] == "pay_cut":
        detail += f"; 급여 {s['pay_cut_percent']} % 감액"
    return Violation(
        rule.code,
        _sentence(rule, c.program, detail),
        hits,
        action=s["action"],
        pay_cut_percent=s["pay_cut_percent"] if s["action"] == "pay_cut" else Decimal(0),
    )


def _check_household(
    rule: LimitRule, c: Candidate, household: Sequence[PastEnrollment], terms: Sequence[Term]
) -> Violation | None:
    term = term_of(c.start, c.end, c.program, terms)
    hits = _order(
        e
        for e in _group(rule, household)
        if e.participant_id != c.participant_id
        and (e.household is None or c.household is None or e.household == c.household)
        and _overlaps(e.start, e.end, term.start, term.end)
    )
    if not hits:
        return None
    detail = (
        f"가구 {c.household or '(지정)'}에 이미 {c.program} {term.code}"
        f"({term.start.isoformat()}..{term.end.isoformat()}) 참여자 있음: {_describe_all(hits)}"
    )
    return Violation(rule.code, _sentence(rule, c.program, detail), hits)


def _check_age(rule: LimitRule, c: Candidate) -> Violation | None:
    lo, hi = rule.settings["min_age"], rule.settings["max_age"]
    age = age_on(c.birth_date, c.start)
    if (lo is None or age >= lo) and (hi is None or age <= hi):
        return None
    detail = f"시작일 {c.start.isoformat()} 기준 만 {age}세(생년월일 {c.birth_date.isoformat()})"
    return Violation(rule.code, _sentence(rule, c.program, detail))


def check_enrollment(
    candidate: Candidate,
    history: Sequence[PastEnrollment],
    rules: Sequence[LimitRule],
    terms: Sequence[Term],
    household_enrollments: Sequence[PastEnrollment] = (),
) -> list[Violation]:
    """Every enabled rule the candidate enrollment breaks, in rule order (empty: allowed)."""
    _check_dates("(candidate)", candidate.start, candidate.end)
    for e in (*history, *household_enrollments):
        _check_dates(e.ref, e.start, e.end)
    found: list[Violation | None] = []
    for rule in rules:
        if not rule.applies_to(candidate.program):
            continue
        if rule.code == "no_overlap":
            found.append(_check_overlap(rule, candidate, history))
        elif rule.code == "max_consecutive_terms":
            found.append(_check_consecutive(rule, candidate, history, terms))
        elif rule.code == "max_cumulative_months":
            found.append(_check_months(rule, candidate, history))
        elif rule.code == "max_participations_in_window":
            found.append(_check_window(rule, candidate, history))
        elif rule.code == "one_per_household":
            found.append(_check_household(rule, candidate, household_enrollments, terms))
        elif rule.code == "age_band":
            found.append(_check_age(rule, candidate))
        else:  # pragma: no cover - parse_rules refuses unknown codes
            raise PayrollError(f"unknown limit rule code {rule.code!r}")
    return [v for v in found if v is not None]


# --- usage for `payroll participant show` --------------------------------------------------


def limit_usage(
    history: Sequence[PastEnrollment],
    rules: Sequence[LimitRule],
    terms: Sequence[Term],
    as_of_program: str,
    as_of: date | None = None,
) -> list[LimitUsage]:
    """For each enabled rule of ``as_of_program``: used, limit, remaining, counting refs.

    - consecutive terms: the run of consecutive ``as_of_program`` terms ending at the
      latest occupied term (with ``as_of``: the latest starting on or before it, and 0 when
      at least one whole term lies between that term and the term of ``as_of``);
    - months: all months of the rule's programs;
    - window: enrollments in the ``years`` up to ``as_of`` (default: the day after the
      latest history end, i.e. the earliest next start).
    Rules without a count report ``None`` for used, limit and remaining.
    """
    for e in history:
        _check_dates(e.ref, e.start, e.end)
    out: list[LimitUsage] = []
    for rule in rules:
        if not rule.applies_to(as_of_program):
            continue
        text = rule.render(as_of_program)
        limit = rule.settings.get("max")
        used: int | None = None
        unit = ""
        counting: tuple[PastEnrollment, ...] = ()
        if rule.code == "max_consecutive_terms":
            unit = "기"
            used, counting = _consecutive_usage(as_of_program, history, terms, as_of)
        elif rule.code == "max_cumulative_months":
            unit = "개월"
            counting = _order(_group(rule, history))
            used = sum(months_of(e.start, e.end) for e in counting)
        elif rule.code == "max_participations_in_window":
            unit = "회"
            end = as_of
            if end is None:
                ends = [e.end for e in _group(rule, history)]
                end = max(ends) + timedelta(days=1) if ends else None
            if end is not None:
                _, counting = _in_window(rule, end, history)
            used = len(counting)
        else:
            limit = None
        remaining = None if used is None or limit is None else max(0, limit - used)
        out.append(
            LimitUsage(
                rule.code, text, used, limit, remaining, unit, tuple(e.ref for e in counting)
            )
        )
    return out


def _consecutive_usage(
    program: str, history: Sequence[PastEnrollment], terms: Sequence[Term], as_of: date | None
) -> tuple[int, tuple[PastEnrollment, ...]]:
    own = [e for e in history if e.program == program]
    if as_of is not None:
        seq_all = _chain(program, terms, own, (as_of, as_of))
        assert seq_all is not None
        seq = seq_all.sequence
        at = term_index(as_of, as_of, seq)
        placed = [(term_index(e.start, e.end, seq), e) for e in own]
        before = [i for i, _ in placed if i <= at]
        if not before or at - max(before) > 1:
            return 0, ()
        own = [e for i, e in placed if i <= max(before)]
    chain = _chain(program, terms, own, None)
    if chain is None:
        return 0, ()
    return chain.length, chain.counting
