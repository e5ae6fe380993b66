from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from payroll.payslips.encrypt import birth_password, encrypt_pdf
from payroll.payslips.render import FINGERPRINT_KEY
from payroll.payslips.view import sample_view

from .conftest import pdf_text


def test_birth_password():
    assert birth_password(date(1970, 5, 1)) == "700501"
    assert birth_password(date(2001, 12, 9)) == "011209"


def test_encrypted_pdf_opens_only_with_birth_date(renderer):
    view = sample_view()
    data = encrypt_pdf(renderer.render(view), birth_password(view.birth_date))

    locked = PdfReader(io.BytesIO(data))
    assert locked.is_encrypted
    encrypt = locked.trailer["/Encrypt"].get_object()
    assert (encrypt["/V"], encrypt["/R"]) == (5, 6)  # AES-256
    assert encrypt["/CF"]["/StdCF"]["/CFM"] == "/AESV3"
    with pytest.raises(Exception):  # noqa: B017 - pypdf raises FileNotDecryptedError
        locked.pages[0].extract_text()
    assert not PdfReader(io.BytesIO(data)).decrypt("000000")
    assert not PdfReader(io.BytesIO(data)).decrypt("")

    reader = PdfReader(io.BytesIO(data))
    assert reader.decrypt("700501")
    assert "1,526,410원" in reader.pages[0].extract_text()
    assert reader.metadata[FINGERPRINT_KEY] == renderer.fingerprint(view)
    assert pdf_text(data, "700501") == pdf_text(renderer.render(view))


def test_empty_password_refused(renderer):
    with pytest.raises(ValueError):
        encrypt_pdf(renderer.render(sample_view()), "")
