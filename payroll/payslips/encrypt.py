"""AES-256 password protection of an individual payslip PDF (pypdf).

The password is random (see ``payroll.payslips.passwords``) or the birth date as ``YYMMDD``
(:func:`birth_password`, weak). The
document information (including ``/PayrollFingerprint``) is kept, encrypted with the rest.
"""

from __future__ import annotations

import io
import secrets
from datetime import date

from pypdf import PdfReader, PdfWriter


def birth_password(birth_date: date) -> str:
    """``date(1970, 5, 1)`` → ``"700501"``."""
    return birth_date.strftime("%y%m%d")


def encrypt_pdf(data: bytes, password: str) -> bytes:
    """``data`` encrypted with AES-256; opening needs ``password``.

    The owner password is random and discarded: nobody can lift the protection, and the
    participant's password opens the file with printing and copying allowed.
    """
    if not password:
        raise ValueError("an empty password would not protect the payslip")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(
        user_password=password,
        owner_password=secrets.token_urlsafe(24),
        algorithm="AES-256",
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
