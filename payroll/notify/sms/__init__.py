"""알림톡/SMS providers, one module each, chosen by ``PAYROLL_SMS_PROVIDER``.

==============  ===========================================================================
``recording``   :mod:`.recording`: appends each message to the JSON-lines file
                ``PAYROLL_SMS_OUTBOX`` (tests, trials); sends nothing
``nhncloud``    :mod:`.nhncloud`: Kakao 알림톡 through NHN Cloud Notification
==============  ===========================================================================

A provider takes a :class:`payroll.domain.delivery.TextMessage` (a phone number, a short
Korean text and the link to the participant's own page: never a PDF or an amount) and
raises :class:`payroll.domain.delivery.DeliveryFailure` when it is refused.
"""

from __future__ import annotations

import os
from typing import Protocol

from payroll.domain.delivery import TextMessage
from payroll.domain.model import PayrollError


class TextProvider(Protocol):
    def send(self, message: TextMessage) -> None: ...


class ProviderSettingsError(PayrollError):
    """``PAYROLL_SMS_PROVIDER`` names no provider, or its settings are missing."""


PROVIDERS = ("recording", "nhncloud")


def provider_from_env() -> TextProvider | None:
    """The provider ``PAYROLL_SMS_PROVIDER`` names; ``None`` when it is not set."""
    name = (os.environ.get("PAYROLL_SMS_PROVIDER") or "").strip().lower()
    if not name:
        return None
    if name == "recording":
        from payroll.notify.sms.recording import RecordingProvider

        return RecordingProvider.from_env()
    if name == "nhncloud":
        from payroll.notify.sms.nhncloud import NhnCloudAlimtalk

        return NhnCloudAlimtalk.from_env()
    raise ProviderSettingsError(
        f"PAYROLL_SMS_PROVIDER {name!r}: {', '.join(PROVIDERS)} 중 하나여야 합니다"
    )
