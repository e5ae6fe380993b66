"""Resident registration numbers (주민등록번호): validated, stored encrypted, shown masked.

The key is a Fernet key in ``PAYROLL_RRN_KEY`` (make one with
``python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"``).
The clear number never reaches the database, logs, error files or the screen: anything
shown is masked to ``700101-1******`` (:func:`mask`, :func:`redact`).

Only the form and the birth date are checked, never a check digit: numbers issued since
October 2020 end in random digits, and a check-digit test would refuse most of them.
The database keeps a fingerprint of the key (:func:`key_fingerprint`, see
``payroll.services.admin.rrn_keys``) so that a wrong key is refused instead of silently
storing numbers under two keys.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from datetime import date

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from payroll.domain.model import PayrollError

KEY_VARIABLE = "PAYROLL_RRN_KEY"
NEW_KEY_VARIABLE = "PAYROLL_RRN_NEW_KEY"
_PATTERN = re.compile(r"^(\d{6})-?(\d)(\d{6})$")
# A resident number anywhere in a text: YYMMDD (a possible month and day), the gender
# digit and six more, with or without the dash.
_ANYWHERE = re.compile(
    r"(?<!\d)(\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))[ \t]*-?[ \t]*(\d)\d{6}(?!\d)"
)
_CENTURY = {
    "1": 1900,
    "2": 1900,
    "3": 2000,
    "4": 2000,
    "5": 1900,
    "6": 1900,
    "7": 2000,
    "8": 2000,
    "9": 1800,
    "0": 1800,
}


class RrnError(PayrollError):
    """An invalid number, or no key (or the wrong key) to encrypt it with."""


def normalise(rrn: str, birth_date: date | None = None) -> str:
    """``"7005012123456"`` -> ``"700501-2123456"``, checking the form and the birth date."""
    m = _PATTERN.match(rrn.strip())
    if not m:
        raise RrnError("주민등록번호는 13자리 숫자여야 합니다 (YYMMDD-GNNNNNN)")
    front, gender, rest = m.groups()
    year = _CENTURY[gender] + int(front[:2])
    try:
        born = date(year, int(front[2:4]), int(front[4:6]))
    except ValueError:
        raise RrnError("주민등록번호의 앞 6자리가 있는 날짜가 아닙니다") from None
    if birth_date is not None and born != birth_date:
        raise RrnError(
            f"주민등록번호의 생년월일 {born.isoformat()} 이 생년월일 "
            f"{birth_date.isoformat()} 과 다릅니다 (birth date differs)"
        )
    return f"{front}-{gender}{rest}"


def mask(rrn: str) -> str:
    """``"700501-2123456"`` -> ``"700501-2******"``; any other text: every digit after the
    7th starred (for whatever a user typed in a resident-number cell, valid or not)."""
    m = _PATTERN.match(rrn.strip())
    if m:
        return f"{m.group(1)}-{m.group(2)}******"
    seen = 0
    out = []
    for char in rrn.strip():
        seen += char.isdigit()
        out.append("*" if char.isdigit() and seen > 7 else char)
    return "".join(out)


def redact(text: str) -> str:
    """``text`` with every resident-number-shaped run of digits masked."""
    return _ANYWHERE.sub(lambda m: f"{m.group(1)}-{m.group(2)}******", text)


class RedactingFilter(logging.Filter):
    """A logging filter that masks resident numbers in every record it passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        return True


def key_fingerprint(key: str) -> str:
    """A short, one-way fingerprint of a key (never the key): 16 hex digits."""
    return hashlib.sha256(b"payroll-rrn-key:" + key.strip().encode()).hexdigest()[:16]


def configured_key(variable: str = KEY_VARIABLE) -> str:
    """The key in ``variable``; a clear error when it is missing or malformed."""
    key = (os.environ.get(variable) or "").strip()
    if not key:
        raise RrnError(
            f"{variable} is not set: resident registration numbers are "
            "stored encrypted and need a key (see README, Configuration)"
        )
    try:
        Fernet(key.encode())
    except ValueError:
        raise RrnError(f"{variable} is not a valid Fernet key") from None
    return key


def _fernet() -> Fernet:
    return Fernet(configured_key().encode())


def encrypt(rrn: str) -> bytes:
    return _fernet().encrypt(rrn.encode())


def decrypt(token: bytes) -> str:
    try:
        return _fernet().decrypt(token).decode()
    except InvalidToken:
        raise RrnError(
            f"cannot decrypt the resident registration number with {KEY_VARIABLE} "
            "(a different key than the one it was stored with)"
        ) from None


def rotate(token: bytes, old_key: str, new_key: str) -> bytes:
    """``token`` re-encrypted under ``new_key`` (MultiFernet: new first, old to read)."""
    keys = MultiFernet([Fernet(new_key.encode()), Fernet(old_key.encode())])
    try:
        return keys.rotate(token)
    except InvalidToken:
        raise RrnError(
            "a stored resident registration number opens with neither the old nor the new key"
        ) from None
