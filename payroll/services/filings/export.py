"""Writing a filing: XLSX or CSV, full RRNs only encrypted, owner-only, audited.

* A filing holding full resident registration numbers needs ``PAYROLL_RRN_KEY`` (to read
  them) and a password: it is written as an encrypted XLSX (Office encryption), never as
  CSV (a CSV file cannot carry a password; use the XLSX or the masked variant).
* Every file is created with owner-only permissions (0600), atomically.
* Every export is in the audit log: who, which filing and scope, the file, how many
  people, and whether RRNs were full, masked or absent.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from payroll.formats.atomic import atomic_write_bytes
from payroll.formats.reports.protect import encrypt_xlsx
from payroll.formats.reports.sheet import csv_bytes, xlsx_bytes
from payroll.services.common import audit
from payroll.services.filings.reads import Filing, FilingError
from payroll.services.unit_of_work import UnitOfWork

FORMATS = ("xlsx", "csv")


@dataclass(frozen=True)
class Exported:
    path: Path
    people: int
    encrypted: bool


def format_of(out: Path, fmt: str | None) -> str:
    chosen = (fmt or out.suffix.lstrip(".") or "xlsx").lower()
    if chosen not in FORMATS:
        raise FilingError(f"{out}: 형식은 xlsx 또는 csv 입니다 (지금 {chosen!r})")
    return chosen


def check_writable(filing: Filing, fmt: str, password: str | None) -> None:
    """Refuse before anything is written: full RRNs need the key, XLSX and a password."""
    if fmt == "csv" and not filing.csv_ok:
        raise FilingError(
            f"{filing.kind}: 받는 시스템이 XLSX를 받습니다; --out FILE.xlsx 로 쓰세요"
        )
    if filing.rrn != "full":
        return
    if not os.environ.get("PAYROLL_RRN_KEY"):
        raise FilingError(
            "주민등록번호 전체가 든 파일은 PAYROLL_RRN_KEY 가 설정된 때만 씁니다 "
            "(또는 --masked 로 가린 번호만)"
        )
    if fmt == "csv":
        raise FilingError(
            "주민등록번호 전체가 든 파일은 암호를 건 XLSX로만 씁니다 (CSV에는 암호를 걸 수 "
            "없습니다): --out FILE.xlsx, 또는 --masked"
        )
    if not password:
        raise FilingError("주민등록번호 전체가 든 파일에는 암호가 필요합니다 (--password-file)")


def export(
    uow: UnitOfWork,
    filing: Filing,
    out: Path,
    actor: str,
    fmt: str | None = None,
    password: str | None = None,
) -> Exported:
    """Write ``filing`` to ``out`` (see the module docstring) and audit it."""
    chosen = format_of(out, fmt)
    check_writable(filing, chosen, password)
    data = csv_bytes(filing.sheets[0]) if chosen == "csv" else xlsx_bytes(filing.sheets)
    encrypted = filing.rrn == "full"
    if encrypted:
        assert password is not None
        try:
            data = encrypt_xlsx(data, password)
        except ValueError as exc:
            raise FilingError(str(exc)) from None
    with uow:
        atomic_write_bytes(out, data, private=True)
        audit.record(
            uow,
            actor,
            "filing.exported",
            "filing",
            filing.kind,
            scope=filing.scope,
            file=str(out.resolve()),
            format=chosen,
            people=filing.people,
            rrn=filing.rrn,
            encrypted=encrypted,
        )
    return Exported(out, filing.people, encrypted)
