"""Payslip e-mail over SMTP, configured by environment.

=========================  ==========================================================
PAYROLL_SMTP_HOST          the mail server (required to send e-mail)
PAYROLL_SMTP_PORT          default 587 (starttls), 465 (ssl), 25 (none)
PAYROLL_SMTP_SECURITY      ``starttls`` (default), ``ssl`` (SMTPS), or ``none`` — plain
                           text, allowed only to a server on this machine (127.0.0.1);
                           a relay on this machine without STARTTLS is used in plain text
PAYROLL_SMTP_USER          sign-in name (optional); PAYROLL_SMTP_PASSWORD its password
PAYROLL_SMTP_FROM          the sender address (required)
PAYROLL_SMTP_TIMEOUT       seconds, default 30
PAYROLL_SMTP_CA_FILE       PEM file of the CA that signed the server's certificate, when
                           it is not one the system trusts (an office's own CA)
=========================  ==========================================================

A recipient the server refuses (5xx) is a bounce; a busy or unreachable server (4xx,
connection errors, time-outs) is a passing failure the job tries again.
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from types import TracebackType
from typing import Self

from payroll.domain.delivery import DeliveryFailure, PayslipMail
from payroll.domain.model import PayrollError

SECURITY = ("starttls", "ssl", "none")
_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
_LOCAL = ("127.0.0.1", "::1", "localhost")


class MailSettingsError(PayrollError):
    """The SMTP environment is missing or unsafe."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    sender: str
    user: str | None = None
    password: str | None = None
    timeout: float = 30.0
    ca_file: str | None = None

    @classmethod
    def from_env(cls) -> SmtpSettings:
        """The settings of the ``PAYROLL_SMTP_*`` variables, checked."""
        env = os.environ
        host = env.get("PAYROLL_SMTP_HOST", "").strip()
        sender = env.get("PAYROLL_SMTP_FROM", "").strip()
        security = (env.get("PAYROLL_SMTP_SECURITY") or "starttls").strip().lower()
        if not host or not sender:
            raise MailSettingsError(
                "메일 서버가 설정되지 않았습니다: PAYROLL_SMTP_HOST와 PAYROLL_SMTP_FROM을 "
                "지정하십시오"
            )
        if security not in SECURITY:
            raise MailSettingsError(
                f"PAYROLL_SMTP_SECURITY {security!r}: starttls, ssl, none 중 하나여야 합니다"
            )
        if security == "none" and host not in _LOCAL:
            raise MailSettingsError(
                "암호화하지 않은 메일(PAYROLL_SMTP_SECURITY=none)은 이 컴퓨터의 메일 "
                "서버(127.0.0.1)에만 보낼 수 있습니다"
            )
        try:
            port = int(env.get("PAYROLL_SMTP_PORT") or _PORTS[security])
            timeout = float(env.get("PAYROLL_SMTP_TIMEOUT") or 30)
        except ValueError as exc:
            raise MailSettingsError(f"PAYROLL_SMTP_PORT/TIMEOUT이 숫자가 아닙니다: {exc}") from exc
        return cls(
            host, port, security, sender,
            env.get("PAYROLL_SMTP_USER") or None, env.get("PAYROLL_SMTP_PASSWORD") or None,
            timeout, env.get("PAYROLL_SMTP_CA_FILE") or None,
        )  # fmt: skip


def mime_message(mail: PayslipMail, sender: str) -> EmailMessage:
    """The MIME form: plain text and HTML alternatives, the PDF attached."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Date"] = formatdate(localtime=True)
    domain = sender.rpartition("@")[2] or None
    msg["Message-ID"] = make_msgid(idstring=mail.message_key, domain=domain)
    msg.set_content(mail.text, subtype="plain", charset="utf-8")
    msg.add_alternative(mail.html, subtype="html", charset="utf-8")
    msg.add_attachment(mail.pdf, maintype="application", subtype="pdf", filename=mail.filename)
    return msg


class SmtpMailer:
    """One connection, opened on first use and kept for the job (``with`` closes it)."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._smtp.quit()
            self._smtp = None

    def connect(self) -> None:
        """Open the connection now, so a wrong server, TLS or sign-in stops a job before
        anything is queued or marked (a :class:`MailSettingsError` in Korean)."""
        if self._smtp is not None:
            return
        s = self.settings
        try:
            self._smtp = self._connect()
        except (smtplib.SMTPException, OSError) as exc:
            raise MailSettingsError(
                f"메일 서버 {s.host}:{s.port}({s.security})에 연결할 수 없습니다: {exc}"
            ) from exc

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context(cafile=s.ca_file)  # the certificate is checked
        smtp: smtplib.SMTP
        if s.security == "ssl":
            smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            smtp.ehlo()
            # a relay on this machine that offers no STARTTLS is spoken to in plain text
            # (nothing leaves the machine); any other server must offer it
            local_plain = s.host in _LOCAL and not smtp.has_extn("starttls")
            if s.security == "starttls" and not local_plain:
                smtp.starttls(context=context)
                smtp.ehlo()
        if s.user:
            smtp.login(s.user, s.password or "")
        return smtp

    def send(self, mail: PayslipMail) -> None:
        """Send one payslip; refusals become :class:`DeliveryFailure`."""
        try:
            if self._smtp is None:
                self._smtp = self._connect()
            refused = self._smtp.send_message(mime_message(mail, self.settings.sender))
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            permanent = 500 <= code < 600
            raise DeliveryFailure(_reason(code, text), permanent=permanent) from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            raise DeliveryFailure(_reason(exc.smtp_code, exc.smtp_error), permanent=False) from exc
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryFailure(f"메일 서버 연결 실패: {exc}", permanent=False) from exc
        if refused:
            code, text = next(iter(refused.values()))
            raise DeliveryFailure(_reason(code, text), permanent=500 <= code < 600)


def _reason(code: int, text: bytes | str) -> str:
    shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"메일 서버가 거부함 ({code} {shown})"
