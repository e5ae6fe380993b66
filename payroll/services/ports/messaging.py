"""The channels a payslip leaves by: e-mail (SMTP) and 알림톡/SMS (a provider)."""

from __future__ import annotations

from typing import Protocol

from payroll.domain.delivery import PayslipMail, TextMessage


class Mailer(Protocol):
    def send(self, mail: PayslipMail) -> None:
        """Hand one message to the mail server; raises
        :class:`payroll.domain.delivery.DeliveryFailure` when it is not taken."""
        ...


class TextSender(Protocol):
    def send(self, message: TextMessage) -> None:
        """Hand one 알림톡/SMS to the provider; raises ``DeliveryFailure`` when refused."""
        ...
