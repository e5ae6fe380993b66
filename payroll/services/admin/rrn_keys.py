"""The key of the stored resident numbers: its fingerprint in the database, and rotation.

:func:`check_key` runs before any number is encrypted or decrypted: the fingerprint of
``PAYROLL_RRN_KEY`` must be the one stored (``rrn_key_check``). On a database that has
none yet, it is stored, after checking that the key opens the numbers already there (a
database from before the fingerprint). :func:`rotate_key` re-encrypts every stored
number under ``PAYROLL_RRN_NEW_KEY`` with MultiFernet and stores the new fingerprint, in
one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from payroll.privacy import rrn
from payroll.services.common import audit
from payroll.services.unit_of_work import UnitOfWork


def check_key(uow: UnitOfWork) -> str:
    """The configured key, once its fingerprint matches the database's (stored if none).

    ``uow`` is an entered unit of work (only its ``rrn_keys`` store is used)."""
    key = rrn.configured_key()
    fingerprint = rrn.key_fingerprint(key)
    stored = uow.rrn_keys.fingerprint()
    if stored is None:
        sample = uow.rrn_keys.sample_number()
        if sample is not None:
            rrn.decrypt(sample)  # a pre-fingerprint database: the key must open its numbers
        uow.rrn_keys.put_fingerprint(fingerprint)
    elif stored != fingerprint:
        raise rrn.RrnError(
            f"{rrn.KEY_VARIABLE} 가 이 데이터베이스의 주민등록번호를 암호화한 키가 아닙니다 "
            f"(key fingerprint {fingerprint}, the database expects {stored}); "
            "set the right key, or change keys with `payroll rrn rotate-key`"
        )
    return key


@dataclass(frozen=True)
class RotationReport:
    numbers: int
    old_fingerprint: str
    new_fingerprint: str


def rotate_key(uow: UnitOfWork, actor: str) -> RotationReport:
    """Re-encrypt every stored number from ``PAYROLL_RRN_KEY`` to ``PAYROLL_RRN_NEW_KEY``."""
    new_key = rrn.configured_key(rrn.NEW_KEY_VARIABLE)
    with uow:
        old_key = check_key(uow)
        old, new = rrn.key_fingerprint(old_key), rrn.key_fingerprint(new_key)
        if old == new:
            raise rrn.RrnError(f"{rrn.NEW_KEY_VARIABLE} is the key already in use")
        numbers = uow.rrn_keys.encrypted_numbers()
        uow.rrn_keys.replace_numbers(
            {pk: rrn.rotate(value, old_key, new_key) for pk, value in numbers.items()}
        )
        uow.rrn_keys.put_fingerprint(new)
        audit.record(uow, actor, "rrn.key_rotated", "rrn_key", new, numbers=len(numbers), old=old)
    return RotationReport(len(numbers), old, new)
