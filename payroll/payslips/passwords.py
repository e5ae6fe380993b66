"""Payslip passwords: one random password per participant, kept in an owner-only list.

``payroll payslips --encrypt`` protects each PDF with AES-256. With ``--password random``
(the default) every participant gets a random 10-character password and the print file
an administrator's password; they are written to a password list,
``OUT/passwords/passwords-<month>-<district>-<program>.csv`` (mode 0600, folder 0700),
for the administrator to hand out and then delete or lock away. A later run reuses the
passwords of the list it finds, so unchanged payslips are not rendered again; without the
list, new passwords are made and every PDF is rendered again. ``--password birth`` uses
the birth date (YYMMDD): weak, a brute force opens it in minutes.
"""

from __future__ import annotations

import csv
import io
import secrets
from pathlib import Path

from payroll.formats.atomic import atomic_write_bytes
from payroll.formats.safe_paths import output_path
from payroll.formats.sheet_cells import csv_writer

MODES = ("random", "birth")
PRINT_FILE = "(print file)"
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or typed by hand
LENGTH = 10  # 31^10 ≈ 8 × 10^14 candidates
COLUMNS = ("participant_id", "name", "password")


def random_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def password_list_path(out_dir: Path, month: str, district: str, program: str) -> Path:
    """``OUT/passwords/passwords-<month>-<district>-<program>.csv``."""
    return output_path(out_dir, "passwords", f"passwords-{month}-{district}-{program}.csv")


def read_password_list(path: Path) -> dict[str, str]:
    """participant_id (or :data:`PRINT_FILE`) → password of an existing list; ``{}`` if none."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["participant_id"]: row["password"] for row in csv.DictReader(handle)}


def write_password_list(path: Path, entries: list[tuple[str, str, str]]) -> None:
    """Write (participant_id, name, password) rows, readable by the owner only."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(entries)
    atomic_write_bytes(path, out.getvalue().encode("utf-8-sig"), private=True)
    path.chmod(0o600)
