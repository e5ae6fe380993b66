"""The recovery notice (과지급 임금 환수 안내): a Korean PDF with the amount's arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from weasyprint import HTML

from payroll.payslips.render import default_template_dir, template_env

TEMPLATE = "recovery_notice.html.j2"


@dataclass(frozen=True)
class RecoveryNotice:
    """What the notice shows; amounts in won, positive (what the participant owes)."""

    participant_id: str
    name: str
    district: str
    program: str
    month: str
    reason: str
    taxable: int
    non_taxable: int
    recovered: int
    issued: date

    @property
    def total(self) -> int:
        return self.taxable + self.non_taxable

    @property
    def outstanding(self) -> int:
        return self.total - self.recovered


def notice_pdf(notice: RecoveryNotice, template_dir: Path | None = None) -> bytes:
    """The notice as PDF bytes."""
    root = Path(template_dir or default_template_dir())
    html = template_env(root).get_template(TEMPLATE).render(n=notice)
    pdf = HTML(string=html, base_url=str(root)).write_pdf()
    assert pdf is not None
    return pdf
