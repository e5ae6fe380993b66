"""Where the header of a spreadsheet is, as districts write them.

A district's file often has a title row (``2026년 4월 근태 예외``) or a date line above the
header, or a header of two merged rows (``근무`` over ``일자 · 시간``; a cell merged down
shows its label only in the upper row). :func:`find_header` looks at the first rows of a
sheet and picks the row, or the pair of rows, whose cells name the most known columns.
Pure: works on rows of text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Header", "expected_labels", "find_header"]

SCAN_ROWS = 15  # a header further down than this is not looked for
MIN_KNOWN = 2  # cells that must name a known column for a row to be the header


@dataclass(frozen=True)
class Header:
    """The labels of the header, one per column, and the index of the first data row."""

    labels: tuple[str, ...]
    data_start: int  # 0-based index into the sheet's rows


def _key(label: str) -> str:
    return re.sub(r"[\s_\-]+", "", label).casefold()


def _score(labels: Sequence[str], known: Mapping[str, str]) -> int:
    return len({known[_key(c)] for c in labels if c.strip() and _key(c) in known})


def _merged(upper: Sequence[str], lower: Sequence[str], known: Mapping[str, str]) -> list[str]:
    """One label per column from a two-row header: the lower cell, the upper one (merged
    down), or both joined (``근무`` + ``일자``), whichever names a known column."""
    width = max(len(upper), len(lower))
    labels: list[str] = []
    group = ""
    for i in range(width):
        top = upper[i].strip() if i < len(upper) else ""
        bottom = lower[i].strip() if i < len(lower) else ""
        if top:
            group = top
        elif not bottom:
            group = ""
        choices = [bottom, top, group + bottom, f"{group} {bottom}"] if bottom else [top]
        labels.append(next((c for c in choices if c and _key(c) in known), bottom or top))
    return labels


def find_header(rows: Sequence[Sequence[str]], known: Mapping[str, str]) -> Header | None:
    """The header of ``rows`` (``known``: squashed label → canonical name), or None.

    With no known labels at all, the first non-empty row is the header.
    """
    filled = [i for i, row in enumerate(rows) if any(c.strip() for c in row)]
    if not filled:
        return None
    if not known:
        return Header(tuple(rows[filled[0]]), filled[0] + 1)
    need = min(MIN_KNOWN, len(set(known.values())))
    best: Header | None = None
    best_score = 0
    for i in filled[:SCAN_ROWS]:
        single = list(rows[i])
        score = _score(single, known)
        candidate = Header(tuple(single), i + 1)
        if i + 1 < len(rows):
            two = _merged(single, rows[i + 1], known)
            if _score(two, known) > score:
                score, candidate = _score(two, known), Header(tuple(two), i + 2)
        if score > best_score:
            best, best_score = candidate, score
    return best if best_score >= need else None


def expected_labels(aliases: Mapping[str, str], required: Sequence[str] = ()) -> str:
    """The headers a file needs, as a user writes them: the first Korean label of each
    required column (all columns when none are named), e.g. ``참여자번호, 일자, 상태``."""
    wanted = list(required) or list(dict.fromkeys(aliases.values()))
    shown = []
    for name in wanted:
        korean = next(
            (label for label, c in aliases.items() if c == name and not label.isascii()), name
        )
        shown.append(korean)
    return ", ".join(shown)
