"""The channels configured by environment, opened for one sending job."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from payroll.notify.sms import TextProvider, provider_from_env
from payroll.notify.smtp import SmtpMailer, SmtpSettings


@contextmanager
def open_channels() -> Iterator[tuple[SmtpMailer | None, TextProvider | None]]:
    """The SMTP mailer (``None`` without ``PAYROLL_SMTP_HOST``) and the 알림톡 provider
    (``None`` without ``PAYROLL_SMS_PROVIDER``). The mail server is connected to at once
    (a wrong one stops the job before anything is marked); the connection closes at the
    end."""
    mailer = SmtpMailer(SmtpSettings.from_env()) if os.environ.get("PAYROLL_SMTP_HOST") else None
    texts = provider_from_env()
    if mailer is not None:
        mailer.connect()
    try:
        yield mailer, texts
    finally:
        if mailer is not None:
            mailer.close()
