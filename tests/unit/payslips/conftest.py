from __future__ import annotations

import io

import pytest
from pypdf import PdfReader


@pytest.fixture(scope="session")
def renderer():
    from payroll.payslips.render import Renderer

    return Renderer()


def pdf_text(data: bytes, password: str | None = None) -> list[str]:
    """The text of each page (pypdf)."""
    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        assert reader.decrypt(password)
    return [page.extract_text() for page in reader.pages]
