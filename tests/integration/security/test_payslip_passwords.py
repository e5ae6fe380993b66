"""Attack: a birth-date password falls to a brute force, and the print file beside the
encrypted payslips held every payslip in clear. Random passwords, an owner-only list, and
an encrypted print file."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import Engine

from payroll.payslips.passwords import ALPHABET, LENGTH, PRINT_FILE
from tests.support.attack import finalize_month, ok
from tests.support.factories import add_enrolled


def _list(out: Path) -> tuple[Path, dict[str, str]]:
    path = out / "passwords" / "passwords-2025-03-11110-dongheng.csv"
    with path.open(encoding="utf-8-sig") as handle:
        return path, {r["participant_id"]: r["password"] for r in csv.DictReader(handle)}


def test_random_passwords_an_owner_only_list_and_an_encrypted_print_file(
    engine: Engine, cli_env: str, tmp_path: Path
) -> None:
    add_enrolled(engine, "P-1")
    add_enrolled(engine, "P-2", name="이서준")
    finalize_month(engine)
    out = tmp_path / "out"
    shown = ok("payslips", "--month", "2025-03", "--out", out, "--encrypt")
    path, passwords = _list(out)
    assert "암호 목록" in shown and path.name in shown
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert set(passwords) == {PRINT_FILE, "P-1", "P-2"}
    assert len(set(passwords.values())) == 3
    assert all(len(p) == LENGTH and set(p) <= set(ALPHABET) for p in passwords.values())
    folder = out / "2025-03" / "11110" / "dongheng"
    for pid in ("P-1", "P-2"):
        assert not PdfReader(folder / f"{pid}.pdf").decrypt("700501")  # birth date: no
        assert PdfReader(folder / f"{pid}.pdf").decrypt(passwords[pid])
    print_file = folder / "print-2025-03-11110-dongheng.pdf"
    assert not PdfReader(print_file).decrypt(passwords["P-1"])
    printed = PdfReader(print_file)
    assert printed.is_encrypted and printed.decrypt(passwords[PRINT_FILE])
    assert len(printed.pages) == 3
    assert "임의 비밀번호" in printed.pages[0].extract_text()

    # again: the list's passwords are kept, nothing is rendered twice
    again = ok("payslips", "--month", "2025-03", "--out", out, "--encrypt")
    assert "0건 만듦, 2건 이미 최신" in again and _list(out)[1] == passwords
    # the administrator deleted the list: new passwords, every PDF rendered again
    path.unlink()
    assert "2건 만듦" in ok("payslips", "--month", "2025-03", "--out", out, "--encrypt")
    fresh = _list(out)[1]
    assert fresh["P-1"] != passwords["P-1"]
    assert PdfReader(folder / "P-1.pdf").decrypt(fresh["P-1"])


def test_birth_date_passwords_remain_an_option_and_the_print_file_is_still_locked(
    engine: Engine, cli_env: str, tmp_path: Path
) -> None:
    add_enrolled(engine, "P-1")
    finalize_month(engine)
    out = tmp_path / "out"
    ok("payslips", "--month", "2025-03", "--out", out, "--encrypt", "--password", "birth")
    folder = out / "2025-03" / "11110" / "dongheng"
    assert PdfReader(folder / "P-1.pdf").decrypt("700501")
    _path, passwords = _list(out)
    printed = PdfReader(folder / "print-2025-03-11110-dongheng.pdf")
    assert printed.is_encrypted and printed.decrypt(passwords[PRINT_FILE])
