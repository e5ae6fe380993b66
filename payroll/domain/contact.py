"""A participant's contact and how they receive their payslip (수령방법).

The roster's 휴대전화, 이메일 and 수령방법 cells, parsed: a mobile number to its digits, an
e-mail address checked for shape, and the delivery method one of 종이 (paper, the default),
이메일 (the encrypted PDF by e-mail) or 알림톡 (a link to the participant's own page).
"""

from __future__ import annotations

import re
from enum import StrEnum


class Delivery(StrEnum):
    """How a participant receives their payslip."""

    PAPER = "paper"
    EMAIL = "email"
    ALIMTALK = "alimtalk"


DELIVERY_LABELS = {Delivery.PAPER: "종이", Delivery.EMAIL: "이메일", Delivery.ALIMTALK: "알림톡"}
_DELIVERY_NAMES = {
    "종이": Delivery.PAPER,
    "인쇄": Delivery.PAPER,
    "paper": Delivery.PAPER,
    "이메일": Delivery.EMAIL,
    "메일": Delivery.EMAIL,
    "전자우편": Delivery.EMAIL,
    "email": Delivery.EMAIL,
    "e-mail": Delivery.EMAIL,
    "알림톡": Delivery.ALIMTALK,
    "카카오알림톡": Delivery.ALIMTALK,
    "문자": Delivery.ALIMTALK,
    "alimtalk": Delivery.ALIMTALK,
}
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


def parse_delivery(text: str) -> Delivery:
    """종이 / 이메일 / 알림톡 (or paper / email / alimtalk) to a :class:`Delivery`."""
    found = _DELIVERY_NAMES.get(text.strip().replace(" ", "").lower())
    if found is None:
        raise ValueError("종이, 이메일, 알림톡 중 하나여야 합니다")
    return found


def parse_mobile(text: str) -> str:
    """A Korean mobile number (010-1234-5678, 01012345678, +82 10 …) to its digits."""
    digits = re.sub(r"[\s\-().]", "", text)
    if digits.startswith("+82"):
        digits = "0" + digits[3:]
    if not re.fullmatch(r"01[016789]\d{7,8}", digits):
        raise ValueError("휴대전화 번호가 아닙니다 (예: 010-1234-5678)")
    return digits


def parse_email(text: str) -> str:
    """An e-mail address, trimmed; one without a user, ``@`` and a domain is refused."""
    value = text.strip()
    if len(value) > 254 or not _EMAIL.fullmatch(value):
        raise ValueError("전자우편 주소가 아닙니다 (예: hong@example.kr)")
    return value


def delivery_problem(delivery: Delivery, phone: str | None, email: str | None) -> str | None:
    """Why ``delivery`` cannot reach the participant with these contacts (None: it can)."""
    if delivery == Delivery.EMAIL and not email:
        return "수령방법이 이메일이면 이메일 주소가 있어야 합니다"
    if delivery == Delivery.ALIMTALK and not phone:
        return "수령방법이 알림톡이면 휴대전화 번호가 있어야 합니다"
    return None


def mask_phone(phone: str | None) -> str:
    """``010-****-5678`` for screens that need not show the whole number."""
    if not phone:
        return ""
    return f"{phone[:3]}-****-{phone[-4:]}"


def format_phone(phone: str | None) -> str:
    """``01012345678`` → ``010-1234-5678``."""
    if not phone:
        return ""
    return f"{phone[:3]}-{phone[3:-4]}-{phone[-4:]}"
