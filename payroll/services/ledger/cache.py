"""A month's ledger file built once and served from disk until a run of the month changes.

Building the XLSX of a whole Seoul month takes seconds of CPU (hundreds of thousands of
styled cells); finance users download it many times. The file is kept in
``PAYROLL_OUTPUT_DIR/.ledger-cache/`` under a name carrying a fingerprint of everything the
ledger is built from: every run of the month (state, totals, when it was calculated,
approved, finalized), the city's share of each program that year and the district and
program names. Any change gives a new fingerprint, so the next download builds a new file
(older ones of the month are removed). One process builds at a time per month and file
format (a lock file); concurrent requests wait for it and read the same file.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
from pathlib import Path

from payroll.config.settings import output_dir
from payroll.domain.model import PayrollError
from payroll.formats.atomic import atomic_write_bytes
from payroll.formats.inputs import parse_month
from payroll.formats.ledger_files import csv_bytes, xlsx_bytes
from payroll.services.ledger.build import build_ledger, resolve_scope
from payroll.services.unit_of_work import UnitOfWork

CACHE_DIR = ".ledger-cache"


def cache_dir() -> Path:
    """Where the month ledger files are kept."""
    return output_dir() / CACHE_DIR


def month_fingerprint(uow: UnitOfWork, month: str) -> str:
    """A digest of what the month's ledger is built from (changes with any run of it)."""
    with uow:
        runs = uow.runs.list(month)
        rate_book = uow.catalog.read().rate_book
        ratios = {}
        for program in sorted({r.program_code for r in runs}):
            try:
                ratios[program] = str(rate_book.program_year(program, int(month[:4])).city_ratio)
            except PayrollError:
                ratios[program] = None
        facts = {
            "runs": sorted(
                (
                    r.id,
                    r.district_code,
                    r.program_code,
                    str(r.state),
                    r.participant_count,
                    r.gross,
                    r.total_deductions,
                    r.net,
                    r.employer_total,
                    *(str(t) for t in (r.calculated_at, r.approved_at, r.finalized_at)),
                )
                for r in runs
            ),
            "ratios": ratios,
            "districts": uow.names.districts(),
            "programs": uow.names.programs(),
        }
    text = json.dumps(facts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def month_ledger_bytes(uow: UnitOfWork, month: str, fmt: str, folder: Path | None = None) -> bytes:
    """The month's ledger as ``fmt`` (csv or xlsx): from the kept file, built if stale."""
    with uow:
        scope = resolve_scope(uow, month=month)  # a bad month is refused as before
    month = parse_month(month)
    folder = folder or cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"ledger-{month}.{fmt}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder; the others then read its file
        path = folder / f"ledger-{month}-{month_fingerprint(uow, month)}.{fmt}"
        if path.is_file():
            return path.read_bytes()
        with uow:
            ledger = build_ledger(uow, scope)
        data = csv_bytes(ledger) if fmt == "csv" else xlsx_bytes(ledger)
        atomic_write_bytes(path, data, private=True)
        for old in folder.glob(f"ledger-{month}-*.{fmt}"):
            if old != path:
                old.unlink(missing_ok=True)
        return data
