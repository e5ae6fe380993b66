"""Messages of the services name the command-line step (``payroll run finalize``); on a
screen the same step is a button. :func:`for_screen` rewrites those hints, and drops the
English translations some messages carry for the log, so a district user reads Korean.
"""

from __future__ import annotations

import re

# (command-line hint, what the console calls it); the first that matches wins
_STEPS: tuple[tuple[str, str], ...] = (
    (
        r"payroll run calculate --month (\S+?)(?: --district \S+ --program \S+)?",
        r"월별 현황 \1의 [계산] 단추",
    ),
    (r"payroll run finalize", "급여 실행 화면의 [확정] 단추"),
    (r"payroll run (?:exclude|hold)", "급여 실행 화면의 [지급 보류] 단추"),
    (r"payroll run list", "[월별 현황] 화면"),
    (r"payroll import attendance --correction", "[파일 올리기] 화면의 '확정된 달 근태 정정'"),
    (r"payroll import (?:participants|history|attendance)", "[파일 올리기] 화면"),
    (r"payroll setting self-finalize on", "[사용자] 화면의 '본인 확정 허용' 설정"),
    (r"payroll user list", "[사용자] 화면"),
    (r"payroll (?:init|rrn rotate-key|withholding import)[^)`]*", "시 관리자에게 요청"),
)
_HINT = re.compile(r"`?(payroll [^`)]*[^`)\s])`?(?:\s*로|\s*으로)?")
_ENGLISH_NOTE = re.compile(r"\s*\((?=[^()]*[A-Za-z]{3,} [A-Za-z]{3,})[A-Za-z0-9 ,.;:'_/-]+\)")


def _button(command: str) -> str:
    for pattern, words in _STEPS:
        found = re.fullmatch(pattern, command)
        if found:
            return found.expand(words)
    return "담당자에게 문의"


def _with_particle(words: str) -> str:
    """``words`` + 으로/로 as Korean wants after its last syllable."""
    last = words.rstrip()[-1]
    if "가" <= last <= "힣":
        final = (ord(last) - ord("가")) % 28
        return words + ("으로" if final not in (0, 8) else "로")  # 8: ㄹ takes 로
    return words + "(으)로"


def _replace(found: re.Match[str]) -> str:
    words = _button(found.group(1))
    return _with_particle(words) if found.group(0).rstrip().endswith("로") else words


def for_screen(message: str) -> str:
    """``message`` with each command-line hint named as the console's button or screen."""
    return _ENGLISH_NOTE.sub("", _HINT.sub(_replace, message))
