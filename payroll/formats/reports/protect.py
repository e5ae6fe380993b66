"""Password protection of an XLSX file (Office standard encryption, AES, msoffcrypto-tool)."""

from __future__ import annotations

import io

from msoffcrypto.format.ooxml import OOXMLFile

MIN_PASSWORD = 8


def encrypt_xlsx(data: bytes, password: str) -> bytes:
    """``data`` (an XLSX file) encrypted so that Excel asks for ``password`` to open it."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"암호는 {MIN_PASSWORD}자 이상이어야 합니다")
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()
