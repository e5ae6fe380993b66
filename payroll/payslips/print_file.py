"""The administrator's print file: a cover page and the rendered payslips, one PDF.

The pages are copied from the already-rendered individual files with pypdf (no second
WeasyPrint layout). Encrypted individual files are opened with their passwords. The print
file is encrypted with the administrator's password when one is given, and written
atomically.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from payroll.formats.atomic import atomic_write_bytes
from payroll.payslips.encrypt import encrypt_pdf
from payroll.payslips.render import default_template_dir, template_env
from payroll.payslips.view import EmployerMonth, PayslipView

COVER_TEMPLATE = "print_cover.html.j2"


@dataclass(frozen=True)
class CoverInfo(EmployerMonth):
    """What the cover page says about the batch (never any password)."""

    district_name: str  # "종로구"
    program_name: str  # "서울 동행일자리"
    month: str  # "2025-03"
    draft: bool
    encrypted: bool  # the individual PDFs and this print file are password-protected
    district_code: str = ""
    program_code: str = ""
    pay_date: date | None = None
    password_mode: str = "birth"  # "random" (one per participant) or "birth" (YYMMDD)

    @classmethod
    def for_view(
        cls, view: PayslipView, encrypted: bool, password_mode: str = "birth"
    ) -> CoverInfo:
        """The cover of a batch, taken from any one of its views."""
        return cls(
            district_name=view.district_name,
            program_name=view.program_name,
            month=view.month,
            draft=view.draft,
            encrypted=encrypted,
            district_code=view.district_code,
            program_code=view.program_code,
            pay_date=view.pay_date,
            password_mode=password_mode,
        )


def sorted_by_name(entries: Iterable[tuple[PayslipView, Path]]) -> list[Path]:
    """The files in print order: participant name (가나다), then participant number."""
    ordered = sorted(entries, key=lambda e: (e[0].name, e[0].participant_id))
    return [Path(path) for _, path in ordered]


def render_cover(cover: CoverInfo, count: int, template_dir: Path | None = None) -> bytes:
    root = Path(template_dir or default_template_dir())
    html = template_env(root).get_template(COVER_TEMPLATE).render(c=cover, count=count)
    return HTML(string=html, base_url=str(root)).write_pdf()


def write_print_file(
    pdf_paths_sorted_by_name: Sequence[Path | str],
    cover: CoverInfo,
    out_path: Path | str,
    *,
    passwords: Mapping[Path | str, str] | None = None,
    template_dir: Path | None = None,
    password: str | None = None,
) -> int:
    """Write cover + payslip pages (in the given order) to ``out_path``; the page count.

    ``passwords`` maps an encrypted file's path to its password; an encrypted file
    without one is an error (``ValueError``), as is a file that password does not open.
    With ``password`` the print file itself is encrypted (AES-256) with it.
    """
    keyed = {str(Path(k)): v for k, v in (passwords or {}).items()}
    paths = [Path(p) for p in pdf_paths_sorted_by_name]
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(render_cover(cover, len(paths), template_dir))))
    for path in paths:
        reader = PdfReader(path)
        if reader.is_encrypted:
            source_password = keyed.get(str(path))
            if source_password is None:
                raise ValueError(f"{path} is encrypted and no password was given for it")
            if not reader.decrypt(source_password):
                raise ValueError(f"the given password does not open {path}")
        for page in reader.pages:
            writer.add_page(page)
    writer.add_metadata({"/Title": f"임금명세서 인쇄본 {cover.employer_name} {cover.month_label}"})
    out = io.BytesIO()
    writer.write(out)
    data = encrypt_pdf(out.getvalue(), password) if password else out.getvalue()
    atomic_write_bytes(out_path, data)
    return len(writer.pages)
