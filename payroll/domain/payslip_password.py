"""The password of an e-mailed payslip PDF (docs/security.md, "Payslip passwords").

The birth date as ``YYMMDD`` followed by the last four digits of the registered mobile
number: ten digits the participant knows without being told, and that a stranger who has
the e-mail alone does not. Nothing carries the password: not the e-mail, not the 알림톡.
"""

from __future__ import annotations

from datetime import date


def email_password(birth_date: date, phone: str | None) -> str | None:
    """``YYMMDD`` + the mobile number's last four digits; ``None`` without a number."""
    if not phone or len(phone) < 4 or not phone.isdigit():
        return None
    return birth_date.strftime("%y%m%d") + phone[-4:]
