"""The city-wide person key: one person, whichever district enrolled them.

A participant ID is a district's own number; what ties a person's enrollments together
across the 25 districts is the resident registration number. It is stored encrypted
(Fernet, random per value), so two stored numbers cannot be compared. The person key is
HMAC-SHA-256 of the normalised number (``700501-2123456``) under a city key of its own,
``PAYROLL_PERSON_KEY`` (any secret of at least 32 characters; separate from
``PAYROLL_RRN_KEY``): equal numbers give equal keys, and without the city key the hash
cannot be recomputed from a guessed number. The key is stored per participant, never the
number, and is never shown.

Rotation (``payroll rrn rotate-person-key``) recomputes every stored key from the
decrypted numbers under ``PAYROLL_PERSON_NEW_KEY``.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from payroll.privacy.rrn import RrnError, normalise

KEY_VARIABLE = "PAYROLL_PERSON_KEY"
NEW_KEY_VARIABLE = "PAYROLL_PERSON_NEW_KEY"
MIN_KEY_LENGTH = 32


def configured_key(variable: str = KEY_VARIABLE) -> str:
    """The city key in ``variable``; a clear Korean error when missing or too short."""
    key = (os.environ.get(variable) or "").strip()
    if not key:
        raise RrnError(
            f"{variable} 가 설정되지 않았습니다: 자치구가 달라도 같은 사람을 알아보려면 "
            f"주민등록번호의 키 해시(HMAC)에 쓸 시 공통 키가 필요합니다 "
            f"({MIN_KEY_LENGTH}자 이상의 비밀값; docs/security.md 참조)"
        )
    if len(key) < MIN_KEY_LENGTH:
        raise RrnError(f"{variable} 는 {MIN_KEY_LENGTH}자 이상이어야 합니다 (지금 {len(key)}자)")
    return key


def key_is_set(variable: str = KEY_VARIABLE) -> bool:
    return bool((os.environ.get(variable) or "").strip())


def person_key(rrn: str, key: str | None = None) -> str:
    """HMAC-SHA-256 (hex, 64 digits) of the normalised number under the city key."""
    secret = key if key is not None else configured_key()
    number = normalise(rrn)
    return hmac.new(secret.encode(), number.encode(), hashlib.sha256).hexdigest()


def key_fingerprint(key: str) -> str:
    """A short one-way fingerprint of the city key (never the key): 16 hex digits."""
    return hashlib.sha256(b"payroll-person-key:" + key.strip().encode()).hexdigest()[:16]
