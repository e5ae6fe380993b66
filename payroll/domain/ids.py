"""Participant IDs (참여자번호): a small, documented alphabet, safe as a file name.

An ID is 1 to 40 characters: ASCII letters, digits, ``-`` and ``_``, starting with a
letter or a digit (so that it is never read as a command-line option or a spreadsheet
formula). Payslip files are named after it, so ``../x``, ``/tmp/x`` or ``a/b`` are
refused where an ID enters the system (the roster import).
"""

from __future__ import annotations

import re

MAX_LENGTH = 40
ALPHABET = "영문자, 숫자, '-', '_'"
_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def id_problem(value: str) -> str | None:
    """Why ``value`` is not a valid participant ID (Korean, for a row error), or ``None``."""
    if not value:
        return "참여자번호가 비어 있습니다"
    if len(value) > MAX_LENGTH:
        return f"참여자번호는 {MAX_LENGTH}자 이하여야 합니다 ({len(value)}자)"
    if not _PATTERN.fullmatch(value):
        return (
            f"참여자번호에는 {ALPHABET}만 쓸 수 있고 영문자나 숫자로 시작해야 합니다 "
            "(공백, '/', '.', '\\' 등은 쓸 수 없습니다)"
        )
    return None


def is_valid_id(value: str) -> bool:
    """``True`` when ``value`` is a valid participant ID."""
    return id_problem(value) is None
