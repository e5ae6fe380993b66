"""A payslip's delivery to its participant (e-mail or 알림톡): its states, as data.

``queued`` → ``sending`` (written before the message leaves) → ``sent``, ``bounced``
(the recipient's server refused the address) or ``failed`` (the reason kept). A
``queued`` delivery that failed for a passing reason stays ``queued`` with its attempts
counted until the job's retries are spent. A delivery found ``sending`` when a job
resumes may or may not have left: it is never sent again (``failed``, listed for printing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class DeliveryState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    BOUNCED = "bounced"
    FAILED = "failed"


STATE_LABELS = {
    DeliveryState.QUEUED: "대기",
    DeliveryState.SENDING: "보내는 중",
    DeliveryState.SENT: "보냄",
    DeliveryState.BOUNCED: "반송",
    DeliveryState.FAILED: "실패",
}
UNREACHED = frozenset({DeliveryState.BOUNCED, DeliveryState.FAILED})
"""States whose participants get the printed payslip instead."""


@dataclass(frozen=True)
class DeliveryRecord:
    """One payslip's delivery by one channel."""

    id: int
    run_id: int
    payslip_id: int
    participant_id: str
    channel: str  # payroll.domain.contact.Delivery value: email / alimtalk
    address: str
    state: str
    attempts: int = 0
    reason: str | None = None
    updated_at: datetime | None = None

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(DeliveryState(self.state), self.state)


class DeliveryFailure(Exception):
    """A message a channel did not take: ``permanent`` (bounced: the address is refused)
    or passing (the server was busy or away: tried again)."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


@dataclass(frozen=True)
class PayslipMail:
    """One payslip e-mail: a Korean plain-text body (and the same as HTML), one PDF."""

    to: str
    subject: str
    text: str
    html: str
    filename: str
    pdf: bytes
    message_key: str  # stable per delivery: the Message-ID's left part


@dataclass(frozen=True)
class TextMessage:
    """One 알림톡/SMS: a link to the participant's own page, never figures or files."""

    phone: str
    text: str
    link: str
    message_key: str
