"""The scheduled filings: the month's withholding return and bank-transfer files, and the
insurance reports of terms that start or close.

Nobody is there to type a password, so a filing with resident numbers is written in full
(encrypted) only when ``PAYROLL_REPORT_PASSWORD_FILE`` names a file holding the password
and ``PAYROLL_RRN_KEY`` is set; otherwise with masked numbers (a data sheet to check; the
full file is then made by hand with ``payroll report``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from payroll.domain.calendar import month_range
from payroll.domain.model import PayrollError
from payroll.domain.runs import RunState
from payroll.services.filings import registry
from payroll.services.filings.export import export
from payroll.services.filings.kinds.insurance_acquisitions import acquisitions_filing
from payroll.services.filings.kinds.insurance_losses import losses_filing
from payroll.services.filings.reads import OpenRunsError
from payroll.services.unit_of_work import UnitOfWork

WINDOW = timedelta(days=62)  # a term's reports are written within this time of its start/end


@dataclass
class FilingsWritten:
    """What a scheduled filing job wrote (paths) and left for later (reasons)."""

    written: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        waiting = f"; waiting: {'; '.join(self.waiting)}" if self.waiting else ""
        return f"wrote {len(self.written)} file(s){waiting}"


def scheduled_password() -> str | None:
    """The password of ``PAYROLL_REPORT_PASSWORD_FILE`` when it and the RRN key are set."""
    path = os.environ.get("PAYROLL_REPORT_PASSWORD_FILE")
    if not path or not os.environ.get("PAYROLL_RRN_KEY"):
        return None
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except OSError as exc:
        raise PayrollError(f"PAYROLL_REPORT_PASSWORD_FILE {path}: {exc.strerror}") from None
    return lines[0].strip() if lines else None


def _month_parameters(kind: registry.FilingKind, month: str, runs: list[int]) -> list[dict]:
    """The parameters of ``kind`` for the month's job: the month, its days, or each run."""
    first, last = month_range(month)
    by_form = {
        "month": [{"month": month}],
        "period": [{"from": str(first), "to": str(last)}],
        "run": [{"run": str(run)} for run in runs],
    }
    return [registry.parse(kind, raw) for raw in by_form[kind.form]]


def write_month_filings(uow: UnitOfWork, month: str, out_dir: Path) -> FilingsWritten:
    """Every filing kind the registry marks ``monthly``: the month's withholding return,
    the insurance acquisitions and losses of the month's days (late starters, early
    leavers) and each finalized run's bank-transfer file.

    Raises ``OpenRunsError`` while a run of the month is not finalized (nothing written).
    """
    password = scheduled_password()
    done = FilingsWritten()
    with uow:
        runs = [r.id for r in uow.filings.runs_of([month]) if r.state == RunState.FINALIZED]
    built = [
        kind.build(uow, values, kind.full_rrn and password is not None)
        for kind in registry.kinds()
        if kind.monthly
        for values in _month_parameters(kind, month, runs)
    ]
    for filing in built:
        path = out_dir / filing.default_name
        export(uow, filing, path, "scheduler", password=password)
        done.written.append(str(path))
    return done


def write_term_insurance(uow: UnitOfWork, today: date, out_dir: Path) -> FilingsWritten:
    """Acquisitions of every term that has started, and losses of every term that has
    closed (within ``WINDOW`` of the day), each written once: a file already there is left
    as it is. A closed term waits until its final month is finalized."""
    password = scheduled_password()
    done = FilingsWritten()
    with uow:
        terms = sorted(uow.ledger.terms(), key=lambda t: t.start)
    for term in terms:
        name = f"{term.program}-{term.code}"
        jobs = []
        if term.start <= today <= term.start + WINDOW:
            jobs.append(("acquisitions", acquisitions_filing, term.start, term.end))
        if term.end < today <= term.end + WINDOW:
            jobs.append(("losses", losses_filing, term.start, term.end))
        for kind, build, first, last in jobs:
            path = out_dir / f"insurance-{kind}-{name}.xlsx"
            if path.exists():
                continue
            try:
                filing = build(uow, first, last, full_rrn=password is not None)
            except OpenRunsError as exc:
                done.waiting.append(f"{name} {kind}: {exc}")
                continue
            export(uow, filing, path, "scheduler", password=password)
            done.written.append(str(path))
    return done
