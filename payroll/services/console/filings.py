"""The month's filings from the web console, for finance (every district, read-only).

The same kinds (``filings/registry.py``), parameters and writer as ``payroll report …``.
Resident registration numbers are masked (``--masked``) unless the user gives an encryption
password in the form: then the numbers are read in full (the console needs
``PAYROLL_RRN_KEY``) and the file is an encrypted XLSX. The password is used for that file
only: never stored, logged or audited.
A filing that depends on a run not finalized yet is refused with the builder's message
(:class:`OpenRunsError`).
"""

from __future__ import annotations

import os
from pathlib import Path

from payroll.services.common import audit
from payroll.services.common.access import Action, Actor, NotFound, require
from payroll.services.console.runs import load_run
from payroll.services.filings import registry
from payroll.services.filings.export import Exported, export
from payroll.services.filings.reads import FilingError
from payroll.services.unit_of_work import UnitOfWork


def _values(
    uow: UnitOfWork, actor: Actor, kind: registry.FilingKind, params: dict[str, str]
) -> dict[str, object]:
    """The form's parameters read by the kind's declaration; a run checked for the actor."""
    values = registry.parse(kind, params)
    for param in kind.params:
        if param.type == "run":
            text = values[param.name] or ""
            if not text.isdigit():
                raise FilingError("급여 실행을 고르세요")
            values[param.name] = str(load_run(uow, actor, int(text)).id)
    return values


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
    declared = registry.kind_of(kind)
    full = password is not None
    if full:
        if declared is None or not declared.full_rrn:
            title = declared.title if declared else kind
            raise FilingError(f"{title}에는 주민등록번호가 없습니다; 암호 없이 받으세요")
        if not os.environ.get("PAYROLL_RRN_KEY"):
            raise FilingError(
                "주민등록번호 전체가 든 파일은 콘솔이 PAYROLL_RRN_KEY 와 함께 실행될 때만 "
                "만듭니다 (또는 가린 번호로 받으세요)"
            )
    if declared is None:
        raise NotFound(f"신고 자료 {kind}: 찾을 수 없습니다")
    filing = declared.build(uow, _values(uow, actor, declared, params), full)
    fmt = "csv" if params.get("format") == "csv" and filing.csv_ok and not full else "xlsx"
    name = filing.default_name.rsplit(".", 1)[0] + f".{fmt}"
    with audit.acting_as(actor.kind):
        return export(uow, filing, out_dir / "filings" / name, actor.name, fmt, password)
