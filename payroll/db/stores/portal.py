"""Sign-in codes behind :class:`payroll.services.ports.portal.SignInCodeStore`."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy.orm import Session

from payroll.db.models import ParticipantSignInCode
from payroll.domain.portal import SignInCode


class SqlSignInCodeStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, participant_id: str) -> SignInCode | None:
        row = self.session.get(ParticipantSignInCode, participant_id)
        if row is None:
            return None
        # SQLite hands back naive datetimes: they were written in UTC
        sent = row.sent_at if row.sent_at.tzinfo else row.sent_at.replace(tzinfo=UTC)
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        return SignInCode(row.participant_id, row.code_hash, sent, expires, row.attempts)

    def put(self, code: SignInCode) -> None:
        row = self.session.get(ParticipantSignInCode, code.participant_id)
        if row is None:
            row = ParticipantSignInCode(participant_id=code.participant_id)
            self.session.add(row)
        row.code_hash, row.sent_at, row.expires_at = code.code_hash, code.sent_at, code.expires_at
        row.attempts = code.attempts
        self.session.flush()

    def failed(self, participant_id: str) -> None:
        row = self.session.get(ParticipantSignInCode, participant_id)
        if row is not None:
            row.attempts += 1
            self.session.flush()

    def remove(self, participant_id: str) -> None:
        row = self.session.get(ParticipantSignInCode, participant_id)
        if row is not None:
            self.session.delete(row)
            self.session.flush()
