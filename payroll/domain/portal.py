"""Signing in to a participant's own page: the one-time code and its rules.

A code is six random digits sent to the registered mobile number; it is valid for
:data:`CODE_MINUTES` minutes and :data:`MAX_ATTEMPTS` wrong tries, and a new one is sent
at most once every :data:`RESEND_SECONDS` seconds. Only its hash is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

CODE_MINUTES = 5
MAX_ATTEMPTS = 5
RESEND_SECONDS = 60
SESSION_MINUTES = 15


@dataclass(frozen=True)
class SignInCode:
    participant_id: str
    code_hash: str
    sent_at: datetime
    expires_at: datetime
    attempts: int = 0


def new_code() -> str:
    """Six random digits."""
    return f"{secrets.randbelow(10**6):06d}"


def code_hash(participant_id: str, code: str) -> str:
    return hashlib.sha256(f"{participant_id}:{code}".encode()).hexdigest()


def issue(participant_id: str, code: str, now: datetime) -> SignInCode:
    return SignInCode(
        participant_id, code_hash(participant_id, code), now, now + timedelta(minutes=CODE_MINUTES)
    )


def too_soon(last: SignInCode | None, now: datetime) -> bool:
    """Whether a new code was asked for within :data:`RESEND_SECONDS` of the last one."""
    return last is not None and now - last.sent_at < timedelta(seconds=RESEND_SECONDS)


def matches(stored: SignInCode | None, code: str, now: datetime) -> bool:
    """Whether ``code`` opens ``stored``: not expired, tries left, and the same digits."""
    if stored is None or now >= stored.expires_at or stored.attempts >= MAX_ATTEMPTS:
        return False
    return hmac.compare_digest(stored.code_hash, code_hash(stored.participant_id, code.strip()))


def six_digit_birth(text: str, today: date) -> date | None:
    """``YYMMDD`` (as on a resident card) to a date: the 2000s for someone at least 15
    years old by then, otherwise the 1900s; ``None`` when ``text`` is not six digits."""
    digits = text.strip()
    if len(digits) != 6 or not digits.isdigit():
        return None
    yy, mm, dd = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    year = 2000 + yy if 2000 + yy <= today.year - 15 else 1900 + yy
    try:
        return date(year, mm, dd)
    except ValueError:
        return None
