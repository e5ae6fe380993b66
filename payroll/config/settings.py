"""Configuration read from the environment, with the defaults a district office needs."""

from __future__ import annotations

import os
from pathlib import Path

from payroll.config.resources import asset_dir

DEFAULT_DATABASE_URL = "sqlite:///payroll.db"


def database_url() -> str:
    """``PAYROLL_DATABASE_URL``, or the SQLite file ``payroll.db`` in the working directory."""
    return os.environ.get("PAYROLL_DATABASE_URL") or DEFAULT_DATABASE_URL


def sqlite_file_missing(url: str) -> Path | None:
    """The file of a SQLite ``url`` when it does not exist yet (None: exists, or not SQLite).

    Connecting to a missing SQLite file creates it empty, so commands other than
    ``payroll init`` check first.
    """
    prefix = "sqlite:///"
    if not url.startswith(prefix) or ":memory:" in url:
        return None
    path = Path(url.removeprefix(prefix).split("?", 1)[0])
    return None if path.exists() else path.resolve()


def migrations_dir() -> Path:
    """The Alembic environment shipped with the package."""
    return asset_dir("migrations")


def schedules_dir() -> Path:
    """The scheduler's job definitions (TOML)."""
    env = os.environ.get("PAYROLL_SCHEDULES_DIR")
    return Path(env) if env else asset_dir("schedules")


def templates_dir() -> Path:
    """Jinja2 templates and CSS of the payslips."""
    return asset_dir("payslip_templates")


def output_dir() -> Path:
    """Where payslips, ledgers and payment files go unless a command says otherwise."""
    return Path(os.environ.get("PAYROLL_OUTPUT_DIR") or "out")


def public_url() -> str:
    """``PAYROLL_PUBLIC_URL``: the console's address as participants reach it (the 알림톡
    link to their own page, ``<url>/me``); default ``http://127.0.0.1:8000``."""
    return (os.environ.get("PAYROLL_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/")


def calculation_workers(url: str) -> int:
    """How many processes calculate a month's runs: ``PAYROLL_WORKERS`` (default: the CPU
    count; 1 = in this process). SQLite takes one writer at a time, so on SQLite the
    default is 1 (a set ``PAYROLL_WORKERS`` is obeyed)."""
    given = os.environ.get("PAYROLL_WORKERS", "").strip()
    if given:
        try:
            return max(1, int(given))
        except ValueError:
            raise ValueError(
                f"PAYROLL_WORKERS={given!r}: 1 이상의 정수로 지정하세요 (예: PAYROLL_WORKERS=2)"
            ) from None
    if url.startswith("sqlite"):
        return 1
    return os.cpu_count() or 1
