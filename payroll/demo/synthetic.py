"""Deterministic synthetic data for ``make demo`` and the benchmarks: a city of participants.

:func:`generate_city` builds, from a seed alone, the three import files of the system —
the roster, the history of past enrollments and one month of attendance exceptions — as
lists of dicts of strings with the import formats' English column names.
:func:`write_city` writes them as CSV (UTF-8 with BOM, so Excel shows Korean) or XLSX.

Determinism: every random draw comes from ``random.Random`` instances seeded from the
seed (the attendance generator's from the seed and the month); nothing reads the clock or
the environment, and rows come out in a fixed order, so the same arguments give
byte-identical files. The roster and the history do not depend on the month: generating
March and then April with the same seed gives the same participants, and the attendance
of the two months is consistent with each other (see annual leave below).

What the data looks like (the shipped 2025 catalog, how-pay-is-calculated.md §1):

- Programs in Seoul's 2025 proportion, 12,900 동행 : 3,500 매력 (about 78.7 % dongheng),
  as exact quotas shuffled over the roster; dongheng split evenly between 2025-H1 and
  2025-H2, maeryeok in the one-year term "2025". Start and end are blank (the term's
  dates) except for a few late starters (maeryeok on a later month's 1st, dongheng on a
  later Monday) and early leavers. ``daily_hours`` is blank except for 2 % of dongheng
  participants on 4 or 5 hours.
- Ages on the term start: dongheng skews older (most 50–75, a few 18–49 and 76–80);
  maeryeok 70 % youth track 18–39, 30 % 40–64. Everyone is at least 18 on the term start
  and so on the (same or later) enrollment start.
- Everyone carries a resident registration number consistent with birth date and sex,
  unique in the city (an enrollment needs one; the same number is one person). About
  10 % end in a correct check digit; the others come from a stream of their own (so the
  rest of the city is as before) and have random last digits, as numbers issued since
  October 2020 do.
- Households are unique except about 3 % of dongheng 2025-H2 participants, who share the
  household of a 2025-H1 participant of the same district (different terms, so the
  one-per-household rule, off by default, would not fire even when switched on).
- History: about 30 % of dongheng participants, 15 % of maeryeok participants (and 5 % of
  them a dongheng past), with 2023/2024 enrollments that never overlap each other or the
  2025 enrollment and keep the participant within §11's limits (at most 2 consecutive
  dongheng terms right before a 2025-H1 enrollment; at most 8 past maeryeok months).
- Limit breakers: about 1 % (at least one when there are 50 participants or more):
  dongheng 2025-H1 participants with 3 or 4 consecutive preceding dongheng terms, and a
  quarter of them maeryeok participants with 20 past maeryeok months. Their ids are
  ``city.limit_breakers``. By default (``with_overrides=False``) they are left out of
  the roster, the history and the attendance entirely, so that importing the three files
  succeeds; their roster rows are ``city.refused_rows`` and their history rows
  ``city.refused_history`` (importing those too shows the refusal). With
  ``with_overrides=True`` they stay in all three files and the roster gains an
  ``override`` column: blank for everyone else, a written reason for them.
- Attendance, recorded by exception (§4) for one month: about 5 % of scheduled non-holiday
  person-days carry a record — absences, partial days (dongheng 3–5 h, maeryeok 4–7 h),
  overtime (dongheng 7–9 h, maeryeok 9–10 h), official leave and annual leave — and about
  6 % of scheduled public holidays are worked (holiday work, 4–9 h). Records fall only on
  scheduled days (a schedule weekday inside [S, E]), at most one per participant and day;
  ``hours`` only for ``worked``.
- Annual leave only where it has certainly accrued (§8): a quarter of the participants
  have perfect attendance (never an ``absent`` record, in any month), so every accrual
  S + k months ≤ E happens; only they take annual leave, at most one day per month and only
  on or after the accrual date that falls in that month. Each leave day thus has its own
  earlier accrual, whichever months are generated.
"""

from __future__ import annotations

import argparse
import io
import random
import re
import zipfile
from bisect import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Generic, Literal, TypeVar

from payroll.data.korean_names import GENERATION_SPLIT_YEAR, GIVEN_SYLLABLES, SURNAMES
from payroll.domain.calendar import (
    HolidayCalendar,
    add_months,
    month_range,
    months_between,
    parse_month,
)
from payroll.domain.model import Program, Term
from payroll.formats.sheet_cells import append_row, csv_writer
from payroll.reference.catalog import shipped_catalog, shipped_catalog_data

__all__ = [
    "ATTENDANCE_COLUMNS",
    "HISTORY_COLUMNS",
    "OVERRIDE_COLUMN",
    "ROSTER_COLUMNS",
    "SyntheticCity",
    "check_digit",
    "default_month",
    "generate_city",
    "write_city",
]

ROSTER_COLUMNS = (
    "participant_id",
    "name",
    "birth_date",
    "district",
    "household",
    "rrn",
    "bank",
    "account",
    "dependents",
    "program",
    "term",
    "start",
    "end",
    "daily_hours",
)
OVERRIDE_COLUMN = "override"
HISTORY_COLUMNS = ("participant_id", "program", "start", "end")
ATTENDANCE_COLUMNS = ("participant_id", "date", "status", "hours")

DONGHENG, MAERYEOK = "dongheng", "maeryeok"
H1, H2, MR = "2025-H1", "2025-H2", "2025"  # the shipped 2025 term codes

DONGHENG_SHARE = 12_900 / (12_900 + 3_500)  # Seoul 2025: 12,900 동행 : 3,500 매력
RRN_SHARE = 0.10
HISTORY_SHARE_DONGHENG = 0.30
HISTORY_SHARE_MAERYEOK = 0.15
DONGHENG_PAST_SHARE_MAERYEOK = 0.05
SHARED_HOUSEHOLD_SHARE = 0.03
PERFECT_ATTENDANCE_SHARE = 0.25
EXCEPTION_RATE = 0.05
HOLIDAY_WORK_RATE = 0.06

OVERRIDE_REASON = (
    "참여제한 예외 승인: 취약계층 생계 지원 필요, 구청 일자리심의위원회 의결 (합성 데이터)"
)

# Ages on the term start: (low, high, weight).
DONGHENG_AGES = ((18, 29, 4), (30, 49, 14), (50, 64, 42), (65, 75, 34), (76, 80, 6))
MAERYEOK_AGES = ((18, 29, 38), (30, 39, 32), (40, 64, 30))

DEPENDENTS = (("1", 70), ("2", 15), ("3", 10), ("4", 5))

# Bank: (name, weight, account groups); a group is (fixed prefix, random digits).
BANKS: tuple[tuple[str, int, tuple[tuple[str, int], ...]], ...] = (
    ("국민은행", 22, (("", 6), ("", 2), ("", 6))),
    ("농협은행", 22, (("302", 0), ("", 4), ("", 4), ("", 2))),
    ("신한은행", 16, (("110", 0), ("", 3), ("", 6))),
    ("우리은행", 14, (("1002", 0), ("", 3), ("", 6))),
    ("하나은행", 12, (("", 3), ("", 6), ("", 5))),
    ("기업은행", 6, (("", 3), ("", 6), ("", 2), ("", 3))),
    ("우체국", 4, (("", 6), ("", 2), ("", 6))),
    ("새마을금고", 2, (("9002", 0), ("", 2), ("", 6), ("", 1))),
    ("카카오뱅크", 2, (("3333", 0), ("", 2), ("", 7))),
)

# Past dongheng terms (as the half-year terms ran): index 0..3 = 2023-H1 … 2024-H2.
PAST_DONGHENG = (
    (date(2023, 1, 9), date(2023, 6, 30)),
    (date(2023, 7, 3), date(2023, 12, 20)),
    (date(2024, 1, 8), date(2024, 6, 28)),
    (date(2024, 7, 1), date(2024, 12, 20)),
)
# Past-term patterns for a 2025-H1 candidate that leave the run of consecutive terms
# through 2025-H1 at most 3 long (at most 2024-H1 and 2024-H2 right before it).
SAFE_PATTERNS_H1 = (
    ((3,), 30),
    ((2, 3), 25),
    ((2,), 10),
    ((1,), 6),
    ((0, 1), 6),
    ((1, 2), 6),
    ((0, 2), 5),
    ((1, 3), 5),
    ((0, 1, 3), 4),
    ((0,), 3),
)
# A 2025-H2 candidate has the empty 2025-H1 between any past term and its own: any
# pattern keeps it within the limit.
SAFE_PATTERNS_H2 = (
    ((3,), 25),
    ((2, 3), 25),
    ((2,), 10),
    ((1, 2, 3), 10),
    ((0, 1, 2, 3), 5),
    ((1,), 10),
    ((0, 1), 10),
    ((0, 2), 5),
)
BREAKER_PATTERNS = (((1, 2, 3), 60), ((0, 1, 2, 3), 40))  # 3 or 4 consecutive past terms

# Past maeryeok enrollments within the 18-month limit (the 2025 enrollment is ≤ 10 months,
# so at most 8 past months): each option is a tuple of (start, end).
SAFE_MAERYEOK = (
    (((date(2024, 7, 1), date(2024, 12, 31)),), 40),  # 6 months
    (((date(2024, 5, 1), date(2024, 12, 31)),), 25),  # 8 months
    (((date(2023, 3, 1), date(2023, 8, 31)),), 20),  # 6 months
    (((date(2023, 9, 1), date(2023, 12, 31)), (date(2024, 9, 1), date(2024, 12, 31))), 15),
)
BREAKER_MAERYEOK = (  # 20 past months: over 18 with any 2025 enrollment
    (date(2023, 3, 1), date(2023, 12, 31)),
    (date(2024, 3, 1), date(2024, 12, 31)),
)

Row = dict[str, str]
T = TypeVar("T")


@dataclass(frozen=True)
class SyntheticCity:
    """A generated city: the three import tables and what the generator chose.

    ``roster``, ``history`` and ``attendance`` are lists of dicts whose keys are
    ``roster_columns``, :data:`HISTORY_COLUMNS` and :data:`ATTENDANCE_COLUMNS`, all values
    strings ("" for blank). ``limit_breakers`` are the participants whose history breaks a
    participation limit; unless ``with_overrides``, their rows are not in the three tables
    but in ``refused_rows`` (roster) and ``refused_history``.
    """

    seed: int
    month: str
    districts: tuple[str, ...]  # chosen district codes, ascending
    roster: list[Row]
    history: list[Row]
    attendance: list[Row]
    limit_breakers: tuple[str, ...]
    refused_rows: list[Row]
    refused_history: list[Row]
    with_overrides: bool = False

    @property
    def roster_columns(self) -> tuple[str, ...]:
        """The roster's columns: :data:`ROSTER_COLUMNS`, plus ``override`` if requested."""
        return (*ROSTER_COLUMNS, OVERRIDE_COLUMN) if self.with_overrides else ROSTER_COLUMNS

    @property
    def district_names(self) -> dict[str, str]:
        """Chosen district code -> Korean name (e.g. ``"11110"`` -> ``"종로구"``)."""
        names = _district_table()
        return {code: names[code] for code in self.districts}


# --- helpers -----------------------------------------------------------------------------


def check_digit(first12: str) -> int:
    """The resident-registration-number check digit of its first 12 digits."""
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    total = sum(int(d) * w for d, w in zip(first12, weights, strict=True))
    return (11 - total % 11) % 10


def _rrn(rng: random.Random, birth: date, female: bool) -> str:
    century = 1 if birth.year < 2000 else 3
    front = f"{birth.year % 100:02d}{birth.month:02d}{birth.day:02d}"
    serial = f"{century + int(female)}{rng.randrange(100_000):05d}"
    return f"{front}-{serial}{check_digit(front + serial)}"


def _recent_rrn(rng: random.Random, birth: date, female: bool) -> str:
    """A number whose last six digits are random (no check digit), as issued since 2020."""
    century = 1 if birth.year < 2000 else 3
    front = f"{birth.year % 100:02d}{birth.month:02d}{birth.day:02d}"
    return f"{front}-{century + int(female)}{rng.randrange(1_000_000):06d}"


def _district_table() -> dict[str, str]:
    return {str(code): str(name) for code, name in shipped_catalog_data()["districts"].items()}


def _terms() -> dict[str, Term]:
    book = shipped_catalog().rate_book
    return {
        H1: book.term(DONGHENG, H1),
        H2: book.term(DONGHENG, H2),
        MR: book.term(MAERYEOK, MR),
    }


def default_month() -> str:
    """The first month every shipped program runs for the whole month ("2025-03")."""
    book = shipped_catalog().rate_book
    terms = [t for t in book.terms if t.program in book.programs]
    for month in months_between(min(t.start for t in terms), max(t.end for t in terms)):
        first, last = month_range(month)
        if all(
            any(t.start <= first and t.end >= last for t in book.terms_of(code))
            for code in book.programs
        ):
            return month
    raise ValueError("no month in which every program runs for the whole month")


class _Picker(Generic[T]):
    """Weighted choice by bisection on cumulative weights (fast, deterministic)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        items, weights = zip(*pairs, strict=True)
        self.items = items
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> T:
        return self.items[bisect(self.cum, rng.random() * self.total)]


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainder, ties to the first)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _birth_date(rng: random.Random, age: int, on: date) -> date:
    """A birth date giving exactly ``age`` completed years on ``on``."""
    latest = add_months(on, -12 * age)
    earliest = add_months(on, -12 * (age + 1)) + timedelta(days=1)
    return date.fromordinal(rng.randint(earliest.toordinal(), latest.toordinal()))


def _next_weekday(day: date, weekday: int = 0) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _history_row(pid: str, program: str, start: date, end: date) -> Row:
    return {
        "participant_id": pid,
        "program": program,
        "start": start.isoformat(),
        "end": end.isoformat(),
    }


def _past_dongheng(rng: random.Random, pid: str, pattern: Sequence[int]) -> list[Row]:
    """Rows for past dongheng terms; some joined late or left early within the term."""
    rows = []
    for index in pattern:
        start, end = PAST_DONGHENG[index]
        roll = rng.random()
        if roll < 0.08:
            start = _next_weekday(start + timedelta(days=rng.randint(14, 60)))
        elif roll < 0.16:
            end = end - timedelta(days=rng.randint(14, 60))
        rows.append(_history_row(pid, DONGHENG, start, end))
    return rows


# --- the generator -----------------------------------------------------------------------


@dataclass(slots=True)
class _Person:
    """Per-participant facts the later stages need (internal)."""

    index: int
    pid: str
    district: str
    kind: str  # H1, H2 or MR
    start: date
    end: date
    hours: int  # daily hours
    perfect: bool  # never absent: the only ones taking annual leave


def generate_city(
    participants: int,
    districts: int,
    seed: int,
    month: str | None = None,
    *,
    with_overrides: bool = False,
) -> SyntheticCity:
    """Generate a city of ``participants`` spread over ``districts`` of Seoul's 25 districts.

    ``month`` ("YYYY-MM") is the month of the attendance exceptions, by default
    :func:`default_month`. Pure and deterministic: same arguments, same city.
    """
    if participants < 0:
        raise ValueError(f"participants must be 0 or more, got {participants}")
    table = _district_table()
    if not 1 <= districts <= len(table):
        raise ValueError(f"districts must be 1 to {len(table)}, got {districts}")
    month = month or default_month()
    parse_month(month)  # refuses anything but YYYY-MM
    terms = _terms()
    book = shipped_catalog().rate_book
    default_hours = {code: int(book.program(code).daily_hours) for code in (DONGHENG, MAERYEOK)}

    rng = random.Random(seed)
    chosen = tuple(sorted(rng.sample(sorted(table), districts)))
    weights = [rng.uniform(0.6, 1.4) for _ in chosen]
    counts = _allocate(participants, weights)

    n_dongheng = round(participants * DONGHENG_SHARE)
    n_h1 = (n_dongheng + 1) // 2
    kinds = [H1] * n_h1 + [H2] * (n_dongheng - n_h1) + [MR] * (participants - n_dongheng)
    rng.shuffle(kinds)

    surname = _Picker(SURNAMES)
    bank = _Picker((b, b[1]) for b in BANKS)
    dependents = _Picker(DEPENDENTS)
    ages = {DONGHENG: _Picker(((a, b), w) for a, b, w in DONGHENG_AGES)}
    ages[MAERYEOK] = _Picker(((a, b), w) for a, b, w in MAERYEOK_AGES)

    roster: list[Row] = []
    people: list[_Person] = []
    numbers = random.Random(seed * 7919 + 17)  # the numbers not drawn from ``rng``
    used: set[str] = set()
    index = 0
    for code, count in zip(chosen, counts, strict=True):
        for n in range(1, count + 1):
            kind = kinds[index]
            program = MAERYEOK if kind == MR else DONGHENG
            term = terms[kind]
            pid = f"{code}-{n:05d}"

            female = rng.random() < 0.55
            lo, hi = ages[program](rng)
            birth = _birth_date(rng, rng.randint(lo, hi), term.start)
            generation = "older" if birth.year < GENERATION_SPLIT_YEAR else "younger"
            firsts, seconds = GIVEN_SYLLABLES[("F" if female else "M", generation)]
            first = rng.choice(firsts)
            second = rng.choice(seconds)
            if second == first:
                second = rng.choice(seconds)
            name = f"{surname(rng)}{first}{second}"
            rrn = _rrn(rng, birth, female) if rng.random() < RRN_SHARE else ""
            while not rrn or rrn in used:
                rrn = _recent_rrn(numbers, birth, female)
            used.add(rrn)
            bank_name, _, groups = bank(rng)
            account = "-".join(
                prefix + (f"{rng.randrange(10**k):0{k}d}" if k else "") for prefix, k in groups
            )

            start, end = term.start, term.end
            hours = default_hours[program]
            hours_text = ""
            roll = rng.random()
            if program == MAERYEOK:
                if roll < 0.08:
                    start = date(2025, 4, 1)
                elif roll < 0.12:
                    start = date(2025, 5, 1)
                elif roll < 0.15:
                    start = date(2025, 6, 1)
                elif roll < 0.17:
                    start = date(2025, 7, 1)
                elif roll < 0.19:  # left early, at a month's end
                    end = add_months(date(2025, rng.randint(7, 11), 1), 1) - timedelta(days=1)
            else:
                if roll < 0.015:  # late starter (replacement), on a Monday
                    start = _next_weekday(term.start + timedelta(days=rng.randint(14, 70)))
                elif roll < 0.035:  # left early
                    end = term.end - timedelta(days=rng.randint(7, 60))
                if rng.random() < 0.02:
                    hours = rng.choice((4, 5))
                    hours_text = str(hours)
            perfect = rng.random() < PERFECT_ATTENDANCE_SHARE

            roster.append(
                {
                    "participant_id": pid,
                    "name": name,
                    "birth_date": birth.isoformat(),
                    "district": code,
                    "household": f"HH-{code}-{n:05d}",
                    "rrn": rrn,
                    "bank": bank_name,
                    "account": account,
                    "dependents": str(dependents(rng)),
                    "program": program,
                    "term": kind,
                    "start": "" if start == term.start else start.isoformat(),
                    "end": "" if end == term.end else end.isoformat(),
                    "daily_hours": hours_text,
                }
            )
            people.append(_Person(index, pid, code, kind, start, end, hours, perfect))
            index += 1

    # Limit breakers: ~1 %, at least one from 50 participants; a quarter maeryeok.
    n_break = max(1, round(participants / 100)) if participants >= 50 else 0
    pool_h1 = [p.index for p in people if p.kind == H1]
    pool_mr = [p.index for p in people if p.kind == MR]
    n_break_mr = min(len(pool_mr), n_break // 4)
    n_break_h1 = min(len(pool_h1), n_break - n_break_mr)
    n_break_mr = min(len(pool_mr), n_break - n_break_h1)
    breakers = set(rng.sample(pool_h1, n_break_h1)) | set(rng.sample(pool_mr, n_break_mr))

    # History.
    h1_patterns = _Picker(SAFE_PATTERNS_H1)
    h2_patterns = _Picker(SAFE_PATTERNS_H2)
    breaker_patterns = _Picker(BREAKER_PATTERNS)
    maeryeok_options = _Picker(SAFE_MAERYEOK)
    history_of: list[list[Row]] = []
    for p in people:
        rows: list[Row] = []
        if p.index in breakers:
            if p.kind == MR:
                rows = [_history_row(p.pid, MAERYEOK, s, e) for s, e in BREAKER_MAERYEOK]
            else:
                rows = _past_dongheng(rng, p.pid, breaker_patterns(rng))
        elif p.kind == MR:
            roll = rng.random()
            if roll < HISTORY_SHARE_MAERYEOK:
                spans = maeryeok_options(rng)
                rows = [_history_row(p.pid, MAERYEOK, s, e) for s, e in spans]
            elif roll < HISTORY_SHARE_MAERYEOK + DONGHENG_PAST_SHARE_MAERYEOK:
                rows = _past_dongheng(rng, p.pid, (rng.randrange(4),))
        elif rng.random() < HISTORY_SHARE_DONGHENG:
            pattern = h1_patterns(rng) if p.kind == H1 else h2_patterns(rng)
            rows = _past_dongheng(rng, p.pid, pattern)
        history_of.append(rows)

    # Shared households: a 2025-H2 participant joins a 2025-H1 household of the district.
    h1_by_district: dict[str, list[int]] = {}
    for p in people:
        if p.kind == H1 and p.index not in breakers:
            h1_by_district.setdefault(p.district, []).append(p.index)
    for p in people:
        if p.kind != H2 or rng.random() >= SHARED_HOUSEHOLD_SHARE:
            continue
        partners = h1_by_district.get(p.district)
        if not partners:
            continue
        pick = rng.randrange(len(partners))
        partners[pick], partners[-1] = partners[-1], partners[pick]
        roster[p.index]["household"] = roster[partners.pop()]["household"]

    # Assemble.
    kept_roster: list[Row] = []
    history: list[Row] = []
    refused_rows: list[Row] = []
    refused_history: list[Row] = []
    kept_people: list[_Person] = []
    for p in people:
        row = roster[p.index]
        broken = p.index in breakers
        if with_overrides:
            row[OVERRIDE_COLUMN] = OVERRIDE_REASON if broken else ""
        if broken and not with_overrides:
            refused_rows.append(row)
            refused_history.extend(history_of[p.index])
        else:
            kept_roster.append(row)
            history.extend(history_of[p.index])
            kept_people.append(p)

    attendance = _attendance(kept_people, seed, month, book.programs)
    return SyntheticCity(
        seed=seed,
        month=month,
        districts=chosen,
        roster=kept_roster,
        history=history,
        attendance=attendance,
        limit_breakers=tuple(people[i].pid for i in sorted(breakers)),
        refused_rows=refused_rows,
        refused_history=refused_history,
        with_overrides=with_overrides,
    )


def _attendance(
    people: Sequence[_Person], seed: int, month: str, programs: Mapping[str, Program]
) -> list[Row]:
    """Attendance exceptions of ``month`` for ``people`` (see the module docstring)."""
    rng = random.Random(f"{seed}:attendance:{month}")
    first, last = month_range(month)
    calendar = HolidayCalendar()
    weekdays = {code: programs[code].weekdays for code in (DONGHENG, MAERYEOK)}
    month_days: dict[str, list[tuple[date, str, bool]]] = {}
    for code, wanted in weekdays.items():
        day, days = first, []
        while day <= last:
            if day.weekday() in wanted:
                days.append((day, day.isoformat(), calendar.is_holiday(day)))
            day += timedelta(days=1)
        month_days[code] = days

    rows: list[Row] = []
    append = rows.append
    random_ = rng.random
    randint = rng.randint
    for p in people:
        if p.start > last or p.end < first:
            continue
        program = MAERYEOK if p.kind == MR else DONGHENG
        days = month_days[program]
        if p.start > first or p.end < last:
            days = [d for d in days if p.start <= d[0] <= p.end]
        h = p.hours
        partial = (h // 2, h - 1)
        overtime = (h + 1, h + 3) if program == DONGHENG else (h + 1, h + 2)
        leave_from = _accrual_in_month(p, first, last) if p.perfect else None
        leave_taken = False
        pid = p.pid
        for day, iso, holiday in days:
            roll = random_()
            if holiday:
                if roll < HOLIDAY_WORK_RATE:
                    append(
                        {"participant_id": pid, "date": iso, "status": "worked",
                         "hours": str(randint(4, 9))}
                    )  # fmt: skip
                continue
            if roll >= EXCEPTION_RATE:
                continue
            kind = roll / EXCEPTION_RATE  # uniform in [0, 1): the kind of exception
            status, hours = "worked", ""
            if kind < 0.30:
                if p.perfect:
                    hours = str(randint(*partial))
                else:
                    status = "absent"
            elif kind < 0.60:
                hours = str(randint(*partial))
            elif kind < 0.75:
                hours = str(randint(*overtime))
            elif kind < 0.85:
                status = "official_leave"
            elif leave_from is not None and not leave_taken and day >= leave_from:
                status = "annual_leave"
                leave_taken = True
            else:
                hours = str(randint(*partial))
            append({"participant_id": pid, "date": iso, "status": status, "hours": hours})
    return rows


def _accrual_in_month(p: _Person, first: date, last: date) -> date | None:
    """The accrual date S + k months (k ≥ 1, ≤ E) falling in [first, last], if any."""
    k = (first.year - p.start.year) * 12 + first.month - p.start.month
    if k < 1:
        return None
    accrues = add_months(p.start, k)  # in the month of ``first``, clamped to its end
    return accrues if first <= accrues <= min(last, p.end) else None


# --- files -------------------------------------------------------------------------------

_FIXED_TIME = (2025, 1, 1, 0, 0, 0)
_FIXED_W3CDTF = "2025-01-01T00:00:00Z"


def write_city(
    city: SyntheticCity,
    out_dir: Path,
    fmt: Literal["csv", "xlsx"] = "csv",
    *,
    include_refused: bool = False,
) -> dict[str, Path]:
    """Write ``roster``, ``history`` and ``attendance`` files into ``out_dir``.

    CSV is UTF-8 with a byte-order mark (Excel then reads Korean correctly), CRLF line
    ends, a header row; XLSX has one sheet with a header row, every cell a string, and
    fixed timestamps so that the bytes depend on the data alone. With ``include_refused``
    also ``refused_roster`` and ``refused_history`` (the limit breakers' rows left out).
    Returns the paths by table name.
    """
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"format must be 'csv' or 'xlsx', got {fmt!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables: list[tuple[str, Sequence[str], Sequence[Row]]] = [
        ("roster", city.roster_columns, city.roster),
        ("history", HISTORY_COLUMNS, city.history),
        ("attendance", ATTENDANCE_COLUMNS, city.attendance),
    ]
    if include_refused:
        tables += [
            ("refused_roster", city.roster_columns, city.refused_rows),
            ("refused_history", HISTORY_COLUMNS, city.refused_history),
        ]
    paths: dict[str, Path] = {}
    for name, columns, rows in tables:
        path = out_dir / f"{name}.{fmt}"
        if fmt == "csv":
            _write_csv(path, columns, rows)
        else:
            _write_xlsx(path, name, columns, rows)
        paths[name] = path
    return paths


def _write_csv(path: Path, columns: Sequence[str], rows: Sequence[Row]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv_writer(handle)
        writer.writerow(columns)
        writer.writerows([row.get(c, "") for c in columns] for row in rows)


def _write_xlsx(path: Path, sheet: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    append_row(worksheet, columns)
    for row in rows:
        append_row(worksheet, [row.get(c, "") for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(_normalized_zip(buffer.getvalue()))


def _normalized_zip(data: bytes) -> bytes:
    """The XLSX with fixed entry timestamps and document dates (byte-reproducible)."""
    out = io.BytesIO()
    stamp = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = stamp.sub(rb"\g<1>" + _FIXED_W3CDTF.encode() + rb"\g<2>", content)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()


# --- command line ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m payroll.demo.synthetic --participants 1000 --districts 5 --seed 1 --out DIR``."""
    parser = argparse.ArgumentParser(prog="python -m payroll.demo.synthetic", description=__doc__)
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--districts", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--month", default=None, help="YYYY-MM (default: %(default)s)")
    parser.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    parser.add_argument("--with-overrides", action="store_true")
    parser.add_argument("--include-refused", action="store_true")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    city = generate_city(
        args.participants,
        args.districts,
        args.seed,
        args.month,
        with_overrides=args.with_overrides,
    )
    paths = write_city(city, args.out, args.format, include_refused=args.include_refused)
    for name, path in paths.items():
        print(f"{name}: {path}")
    print(
        f"{len(city.roster)} participants in {len(city.districts)} districts, "
        f"{len(city.history)} history rows, {len(city.attendance)} attendance rows "
        f"({city.month}), {len(city.limit_breakers)} limit breakers"
        + ("" if city.with_overrides else f" left out ({len(city.refused_rows)} refused rows)")
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
