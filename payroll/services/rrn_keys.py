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
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from payroll.db.engine import transaction
from payroll.db.models import Participant, RrnKeyCheck
from payroll.privacy import rrn
from payroll.services import audit

_ROW = 1


def check_key(session: Session) -> str:
    """The configured key, once its fingerprint matches the database's (stored if none)."""
    session = getattr(session, "session", session)  # a unit of work (transition only)
    key = rrn.configured_key()
    fingerprint = rrn.key_fingerprint(key)
    stored = session.get(RrnKeyCheck, _ROW, with_for_update=True)
    if stored is None:
        sample = session.scalars(
            select(Participant.rrn_encrypted).where(Participant.rrn_encrypted.is_not(None))
        ).first()
        if sample is not None:
            rrn.decrypt(sample)  # a pre-fingerprint database: the key must open its numbers
        session.add(RrnKeyCheck(id=_ROW, fingerprint=fingerprint, updated_at=datetime.now(UTC)))
        session.flush()
    elif stored.fingerprint != fingerprint:
        raise rrn.RrnError(
            f"{rrn.KEY_VARIABLE} 가 이 데이터베이스의 주민등록번호를 암호화한 키가 아닙니다 "
            f"(key fingerprint {fingerprint}, the database expects {stored.fingerprint}); "
            "set the right key, or change keys with `payroll rrn rotate-key`"
        )
    return key


@dataclass(frozen=True)
class RotationReport:
    numbers: int
    old_fingerprint: str
    new_fingerprint: str


def rotate_key(engine: Engine, actor: str) -> RotationReport:
    """Re-encrypt every stored number from ``PAYROLL_RRN_KEY`` to ``PAYROLL_RRN_NEW_KEY``."""
    new_key = rrn.configured_key(rrn.NEW_KEY_VARIABLE)
    with transaction(engine) as session:
        old_key = check_key(session)
        old, new = rrn.key_fingerprint(old_key), rrn.key_fingerprint(new_key)
        if old == new:
            raise rrn.RrnError(f"{rrn.NEW_KEY_VARIABLE} is the key already in use")
        people = session.scalars(
            select(Participant).where(Participant.rrn_encrypted.is_not(None)).with_for_update()
        ).all()
        for person in people:
            assert person.rrn_encrypted is not None
            person.rrn_encrypted = rrn.rotate(person.rrn_encrypted, old_key, new_key)
        stored = session.get(RrnKeyCheck, _ROW)
        assert stored is not None
        stored.fingerprint, stored.updated_at = new, datetime.now(UTC)
        audit.record(
            session, actor, "rrn.key_rotated", "rrn_key", new, numbers=len(people), old=old
        )
    return RotationReport(len(people), old, new)
