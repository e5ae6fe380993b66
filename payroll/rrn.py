"""Resident registration numbers (주민등록번호): validated, stored encrypted, shown masked.

The key is a Fernet key in ``PAYROLL_RRN_KEY`` (make one with
``python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"``).
The clear number never reaches the database, logs or reports.
"""

from __future__ import annotations

import os
import re
from datetime import date

from cryptography.fernet import Fernet, InvalidToken

from payroll.domain.model import PayrollError

_PATTERN = re.compile(r"^(\d{6})-?(\d)(\d{6})$")
_WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
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
    """An invalid number, or no key to encrypt it with."""


def normalise(rrn: str, birth_date: date | None = None) -> str:
    """``"7005012123456"`` -> ``"700501-2123456"``, checking form, date and check digit."""
    m = _PATTERN.match(rrn.strip())
    if not m:
        raise RrnError("resident registration number must be 13 digits (YYMMDD-GNNNNNN)")
    front, gender, rest = m.groups()
    digits = front + gender + rest
    year = _CENTURY[gender] + int(front[:2])
    try:
        born = date(year, int(front[2:4]), int(front[4:6]))
    except ValueError:
        raise RrnError("resident registration number has no valid birth date") from None
    if birth_date is not None and born != birth_date:
        raise RrnError(f"resident registration number's birth date {born} != {birth_date}")
    check = (11 - sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=False)) % 11) % 10
    if gender in "1234" and check != int(digits[12]):
        raise RrnError("resident registration number check digit is wrong")
    return f"{front}-{gender}{rest}"


def mask(rrn: str) -> str:
    """``"700501-2123456"`` -> ``"700501-2******"``."""
    return rrn[:8] + "******"


def _fernet() -> Fernet:
    key = os.environ.get("PAYROLL_RRN_KEY")
    if not key:
        raise RrnError(
            "PAYROLL_RRN_KEY is not set: resident registration numbers are "
            "stored encrypted and need a key (see README, Configuration)"
        )
    try:
        return Fernet(key.encode())
    except ValueError:
        raise RrnError("PAYROLL_RRN_KEY is not a valid Fernet key") from None


def encrypt(rrn: str) -> bytes:
    return _fernet().encrypt(rrn.encode())


def decrypt(token: bytes) -> str:
    try:
        return _fernet().decrypt(token).decode()
    except InvalidToken:
        raise RrnError("cannot decrypt the resident registration number with this key") from None
