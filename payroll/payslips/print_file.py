"""The administrator's print file: a cover page and the rendered payslips, one PDF.

The pages are copied from the already-rendered individual files with pikepdf (qpdf; no
second WeasyPrint layout). Encrypted individual files are opened with their passwords. The
print file is encrypted (AES-256) with the administrator's password when one is given, and
written atomically. :func:`write_print_files` writes the print files of many runs in
worker processes.
"""

from __future__ import annotations

import contextlib
import io
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pikepdf
from weasyprint import HTML

from payroll.formats.atomic import atomic_write_bytes
from payroll.payslips.render import default_template_dir, template_env
from payroll.payslips.view import EmployerMonth, PayslipView
from payroll.payslips.workers import worker_pool

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
    cover_pdf = render_cover(cover, len(paths), template_dir)
    with contextlib.ExitStack() as sources, pikepdf.Pdf.new() as writer:
        # qpdf copies page streams when the print file is saved: sources stay open until then
        writer.pages.extend(sources.enter_context(pikepdf.Pdf.open(io.BytesIO(cover_pdf))).pages)
        for path in paths:
            writer.pages.extend(sources.enter_context(_open_payslip(path, keyed)).pages)
        writer.docinfo["/Title"] = f"임금명세서 인쇄본 {cover.employer_name} {cover.month_label}"
        out = io.BytesIO()
        writer.save(out, encryption=_protection(password) if password else False)
        pages = len(writer.pages)
    atomic_write_bytes(out_path, out.getvalue())
    return pages


def _open_payslip(path: Path, passwords: Mapping[str, str]) -> pikepdf.Pdf:
    """A payslip file opened for copying; an encrypted one with its password."""
    source_password = passwords.get(str(path))
    try:
        pdf = pikepdf.Pdf.open(path, password=source_password or "")
    except pikepdf.PasswordError:
        if source_password is None:
            raise ValueError(f"{path} is encrypted and no password was given for it") from None
        raise ValueError(f"the given password does not open {path}") from None
    if pdf.is_encrypted and source_password is None:  # opened with an empty user password
        pdf.close()
        raise ValueError(f"{path} is encrypted and no password was given for it")
    return pdf


def _protection(password: str) -> pikepdf.Encryption:
    """AES-256 with ``password`` to open; the owner password is random and discarded."""
    return pikepdf.Encryption(user=password, owner=secrets.token_urlsafe(24), R=6, aes=True)


@dataclass(frozen=True)
class PrintJob:
    """One print file to write: the payslips in print order, the cover and the target."""

    paths: tuple[Path, ...]
    cover: CoverInfo
    out_path: Path
    passwords: Mapping[Path, str] = field(default_factory=dict)
    password: str | None = None


def _write_job(job: PrintJob) -> int:
    return write_print_file(
        job.paths, job.cover, job.out_path, passwords=job.passwords, password=job.password
    )


def write_print_files(jobs: Sequence[PrintJob], processes: int = 1) -> list[int]:
    """Write every print file (in ``processes`` worker processes); their page counts."""
    if processes <= 1 or len(jobs) <= 1:
        return [_write_job(job) for job in jobs]
    with worker_pool(min(processes, len(jobs))) as pool:
        return pool.map(_write_job, jobs, chunksize=1)
