"""Kakao 알림톡 through NHN Cloud Notification (the real provider).

Environment: ``PAYROLL_NHN_APPKEY``, ``PAYROLL_NHN_SECRET``, ``PAYROLL_NHN_SENDER_KEY``
(the Kakao channel's sender key), ``PAYROLL_NHN_TEMPLATE`` (the approved template code,
default ``PAYSLIP_READY``), ``PAYROLL_NHN_URL`` (default
``https://api-alimtalk.cloud.toast.com``).

The request, one message per call::

    POST {url}/alimtalk/v2.3/appkeys/{appkey}/messages
    Content-Type: application/json;charset=UTF-8
    X-Secret-Key: {secret}

    {"senderKey": "…", "templateCode": "PAYSLIP_READY",
     "recipientList": [{"recipientNo": "01012345678",
                        "templateParameter": {"본문": "<the message text>", "링크": "<link>"},
                        "recipientGroupingKey": "<message key>"}]}

The approved template's body is ``#{본문}`` and its web-link button ``#{링크}``. The
answer is ``{"header": {"isSuccessful": bool, "resultCode": int, "resultMessage": str}}``;
a refusal with a 4xx HTTP status or ``isSuccessful: false`` is permanent, a 5xx or a
network error passing.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from payroll.domain.delivery import DeliveryFailure, TextMessage
from payroll.domain.model import PayrollError

DEFAULT_URL = "https://api-alimtalk.cloud.toast.com"


@dataclass(frozen=True)
class NhnCloudAlimtalk:
    appkey: str
    secret: str
    sender_key: str
    template: str = "PAYSLIP_READY"
    url: str = DEFAULT_URL
    timeout: float = 15.0

    @classmethod
    def from_env(cls) -> NhnCloudAlimtalk:
        env = os.environ
        needed = ("PAYROLL_NHN_APPKEY", "PAYROLL_NHN_SECRET", "PAYROLL_NHN_SENDER_KEY")
        missing = [n for n in needed if not env.get(n)]
        if missing:
            raise PayrollError(f"알림톡 설정이 없습니다: {', '.join(missing)}")
        return cls(
            env["PAYROLL_NHN_APPKEY"],
            env["PAYROLL_NHN_SECRET"],
            env["PAYROLL_NHN_SENDER_KEY"],
            env.get("PAYROLL_NHN_TEMPLATE") or "PAYSLIP_READY",
            (env.get("PAYROLL_NHN_URL") or DEFAULT_URL).rstrip("/"),
        )

    def request_body(self, message: TextMessage) -> dict[str, Any]:
        """The JSON body of one message (see the module docstring)."""
        return {
            "senderKey": self.sender_key,
            "templateCode": self.template,
            "recipientList": [
                {
                    "recipientNo": message.phone,
                    "templateParameter": {"본문": message.text, "링크": message.link},
                    "recipientGroupingKey": message.message_key,
                }
            ],
        }

    def send(self, message: TextMessage) -> None:
        request = urllib.request.Request(
            f"{self.url}/alimtalk/v2.3/appkeys/{self.appkey}/messages",
            data=json.dumps(self.request_body(message), ensure_ascii=False).encode(),
            headers={
                "Content-Type": "application/json;charset=UTF-8",
                "X-Secret-Key": self.secret,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            reason = f"알림톡 거부 (HTTP {exc.code})"
            raise DeliveryFailure(reason, permanent=exc.code < 500) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise DeliveryFailure(f"알림톡 서버 연결 실패: {exc}", permanent=False) from exc
        header = answer.get("header") or {}
        if not header.get("isSuccessful", False):
            raise DeliveryFailure(
                f"알림톡 거부 ({header.get('resultCode')} {header.get('resultMessage')})",
                permanent=True,
            )
