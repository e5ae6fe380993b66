"""Owner-only files: the database and every file the system writes hold personal data.

:func:`private_files` sets the process umask to 077 at the start of every command and of
the web console, so every file created afterwards (payment files, registers, payslips,
ledgers, filings, the SQLite database and its WAL files) is 0600 and every folder 0700.
:func:`restrict_sqlite` narrows an existing SQLite database made before this rule.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PRIVATE_UMASK = 0o077


def private_files() -> None:
    """Files created from now on by this process are readable by their owner only."""
    os.umask(PRIVATE_UMASK)


def restrict_sqlite(database: str | None) -> None:
    """Make the SQLite file ``database`` (and its -wal/-shm files) 0600, if we own them."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    for suffix in ("", "-wal", "-shm"):
        path = Path(database + suffix)
        try:
            info = path.stat()
        except OSError:
            continue
        if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
            path.chmod(0o600)
