"""The month's filings from the web console, for finance (every district, read-only).

The same builders and writer as ``payroll report …``. Resident registration numbers are
masked (``--masked``) unless the user gives an encryption password in the form: then the
numbers are read in full (the console needs ``PAYROLL_RRN_KEY``) and the file is an
encrypted XLSX. The password is used for that file only: never stored, logged or audited.
A filing that depends on a run not finalized yet is refused with the builder's message
(:class:`OpenRunsError`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

from payroll.formats.tabular import parse_date
from payroll.services.common import audit
from payroll.services.common.access import Action, Actor, NotFound, require
from payroll.services.console.runs import load_run
from payroll.services.filings import month as filings
from payroll.services.filings.export import Exported, export
from payroll.services.filings.month import Filing, FilingError
from payroll.services.unit_of_work import UnitOfWork

KINDS = {
    "withholding": "원천징수이행상황신고서",
    "simple-statement": "간이지급명세서(근로소득)",
    "insurance-acquisitions": "4대보험 자격취득",
    "insurance-losses": "4대보험 자격상실",
    "bank-transfer": "대량이체 파일",
    "payees": "e-호조 지급명세",
}
FULL_RRN_KINDS = ("simple-statement", "insurance-acquisitions", "insurance-losses", "payees")
"""Filings that can carry full resident numbers (the others have none)."""


def _date(text: str, what: str) -> date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise FilingError(f"{what} {text!r}: {exc}") from None


def _builder(
    uow: UnitOfWork, actor: Actor, kind: str, params: dict[str, str], full: bool = False
) -> Callable[[], Filing]:
    get = lambda key: (params.get(key) or "").strip() or None  # noqa: E731
    if kind == "withholding":
        return lambda: filings.withholding_return(uow, get("month") or "", get("district"))
    if kind == "simple-statement":
        return lambda: filings.simple_statement_filing(
            uow, get("month"), get("half"), full_rrn=full
        )
    if kind in ("insurance-acquisitions", "insurance-losses"):
        first = _date(get("from") or "", "시작일")
        last = _date(get("to") or "", "종료일")
        build = (
            filings.acquisitions_filing
            if kind == "insurance-acquisitions"
            else (filings.losses_filing)
        )
        return lambda: build(uow, first, last, full_rrn=full)
    if kind in ("bank-transfer", "payees"):
        text = get("run") or ""
        if not text.isdigit():
            raise FilingError("급여 실행을 고르세요")
        ref = str(load_run(uow, actor, int(text)).id)
        if kind == "bank-transfer":
            return lambda: filings.bank_transfer_filing(uow, ref)
        return lambda: filings.payees_filing(uow, ref, full_rrn=full)
    raise NotFound(f"신고 자료 {kind}: 찾을 수 없습니다")


def filing_file(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    params: dict[str, str],
    out_dir: Path,
    password: str | None = None,
) -> Exported:
    """Build and write one filing under ``out_dir/filings``; audited.

    Masked RRNs, or with ``password`` full RRNs in an encrypted XLSX."""
    require(actor, Action.LEDGER)
    full = password is not None
    if full:
        if kind not in FULL_RRN_KINDS:
            raise FilingError(
                f"{KINDS.get(kind, kind)}에는 주민등록번호가 없습니다; 암호 없이 받으세요"
            )
        if not os.environ.get("PAYROLL_RRN_KEY"):
            raise FilingError(
                "주민등록번호 전체가 든 파일은 콘솔이 PAYROLL_RRN_KEY 와 함께 실행될 때만 "
                "만듭니다 (또는 가린 번호로 받으세요)"
            )
    filing = _builder(uow, actor, kind, params, full)()
    fmt = "csv" if params.get("format") == "csv" and filing.csv_ok and not full else "xlsx"
    name = filing.default_name.rsplit(".", 1)[0] + f".{fmt}"
    with audit.acting_as(actor.kind):
        return export(uow, filing, out_dir / "filings" / name, actor.name, fmt, password)
