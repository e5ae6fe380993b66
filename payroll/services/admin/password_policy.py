"""What a console password must be: long enough, not common, not the username.

The rules (also in ``docs/security.md``):

- at least :data:`MIN_LENGTH` characters;
- at least :data:`MIN_DISTINCT` different characters (``aaaaaaaaaa`` is refused);
- not a run of consecutive keys or digits (``1234567890``, ``abcdefghij``);
- not a common password: without its leading and trailing digits and symbols it is not in
  ``payroll/data/common_passwords.txt`` and not empty (``password12``, ``2025!!2025``);
- not built on the username: what is left after removing every occurrence of the username
  (ignoring case) must itself be :data:`MIN_LENGTH` characters (``clerkclerk`` is refused).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

MIN_LENGTH = 10
MIN_DISTINCT = 5
MAX_LENGTH = 200  # Argon2 hashes anything; this keeps a request from carrying megabytes
_RUNS = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords and stems (lower case)."""
    text = resources.files("payroll.data").joinpath("common_passwords.txt").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _is_run(text: str) -> bool:
    """Whether ``text`` is consecutive characters of one row (either direction)."""
    low = text.casefold()
    return any(low in row or low in row[::-1] for row in _RUNS)


def _core(text: str) -> str:
    """``text`` without the digits and symbols before and after its letters, lower case."""
    low = text.casefold()
    start, end = 0, len(low)
    while start < end and not low[start].isalpha():
        start += 1
    while end > start and not low[end - 1].isalpha():
        end -= 1
    return low[start:end]


def problem(password: str, username: str) -> str | None:
    """Why ``password`` may not be used by ``username`` (Korean), or None if it may."""
    password = unicodedata.normalize("NFC", password)
    if len(password) < MIN_LENGTH:
        return f"새 비밀번호는 {MIN_LENGTH}자 이상이어야 합니다"
    if len(password) > MAX_LENGTH:
        return f"새 비밀번호는 {MAX_LENGTH}자까지입니다"
    if len(set(password)) < MIN_DISTINCT:
        return f"새 비밀번호에 서로 다른 글자가 {MIN_DISTINCT}개 이상 있어야 합니다"
    if _is_run(password):
        return "연속된 숫자나 자판 순서는 비밀번호로 쓸 수 없습니다"
    core = _core(password)
    if not core or core in common_passwords() or _is_run(core):
        return "흔히 쓰는 비밀번호라 쓸 수 없습니다 (예: password12, 1234567890)"
    name = username.strip().casefold()
    if name and len(password.casefold().replace(name, "")) < MIN_LENGTH:
        return (
            f"사용자 이름을 뺀 나머지가 {MIN_LENGTH}자 이상이어야 합니다 "
            "(사용자 이름을 비밀번호로 쓰지 마세요)"
        )
    return None
