"""Encrypted payslips stay encrypted whoever renders them again; finance renders nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import Engine

from payroll.db.uow import SqlUnitOfWork
from payroll.payslips.passwords import PRINT_FILE
from payroll.services.common.access import Actor, Forbidden, Role
from payroll.services.console import files as console_files
from payroll.services.payslips.output import write_payslips
from tests.support.attack import finalize_month, ok
from tests.support.factories import add_enrolled

CLERK = Actor("clerk", Role.CLERK, frozenset({"11110"}))
FINANCE = Actor("finance", Role.FINANCE)


def _passwords(out: Path) -> dict[str, str]:
    path = out / "passwords" / "passwords-2025-03-11110-dongheng.csv"
    with path.open(encoding="utf-8-sig") as handle:
        return {r["participant_id"]: r["password"] for r in csv.DictReader(handle)}


def test_console_render_keeps_encrypted_payslips_encrypted(
    engine: Engine, cli_env: str, tmp_path: Path
) -> None:
    add_enrolled(engine, "P-1")
    [run_id] = finalize_month(engine)
    out = tmp_path / "out"
    ok("payslips", "--month", "2025-03", "--out", out, "--encrypt")
    passwords = _passwords(out)
    folder = out / "2025-03" / "11110" / "dongheng"
    (folder / "P-1.pdf").unlink()  # forces a new rendering of the payslip
    console_files.render_run_payslips(SqlUnitOfWork(engine), CLERK, run_id, out)
    slip, printed = (
        PdfReader(folder / "P-1.pdf"),
        PdfReader(folder / "print-2025-03-11110-dongheng.pdf"),
    )
    assert slip.is_encrypted and slip.decrypt(passwords["P-1"])
    assert printed.is_encrypted and printed.decrypt(passwords[PRINT_FILE])
    assert _passwords(out) == passwords  # the same passwords as handed out


def test_plain_rendering_of_an_encrypted_month_stays_encrypted(
    engine: Engine, tmp_path: Path
) -> None:
    add_enrolled(engine, "P-1")
    finalize_month(engine)
    out = tmp_path / "out"
    write_payslips(SqlUnitOfWork(engine), "2025-03", out, encrypt=True, processes=1)
    folder = out / "2025-03" / "11110" / "dongheng"
    for pdf in folder.glob("*.pdf"):
        pdf.unlink()
    write_payslips(SqlUnitOfWork(engine), "2025-03", out, encrypt=False, processes=1)
    assert all(PdfReader(p).is_encrypted for p in folder.glob("*.pdf"))


def test_finance_cannot_render_payslips(engine: Engine, tmp_path: Path) -> None:
    add_enrolled(engine, "P-1")
    [run_id] = finalize_month(engine)
    with pytest.raises(Forbidden):
        console_files.render_run_payslips(SqlUnitOfWork(engine), FINANCE, run_id, tmp_path)
    assert not (tmp_path / "2025-03").exists()
