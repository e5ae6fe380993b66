"""What every command shares: the console, database access, errors and number format."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import OperationalError

from payroll.db.engine import make_engine
from payroll.settings import database_url

# Wide enough for run and ledger tables when output goes to a file or a pipe.
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


def won(amount: int) -> str:
    """``1684680`` -> ``"1,684,680"``."""
    return f"{amount:,}"


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``error: message`` on stderr and exit non-zero."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def open_engine() -> Engine:
    """The configured database; a clear error when it was never initialised."""
    from payroll.db import migrate

    url = database_url()
    try:
        current = migrate.current_revision(url)
    except OperationalError as exc:
        fail(f"cannot open the database {_safe(url)}: {str(exc.orig).strip().splitlines()[0]}")
    if current is None:
        fail(f"database {_safe(url)} is not initialised: run `payroll init` first")
    if current != migrate.head_revision():
        fail(f"database {_safe(url)} is at schema {current}: run `payroll init` to upgrade it")
    return make_engine(url)


def _safe(url: str) -> str:
    """The URL as printed: any password hidden."""
    return make_url(url).render_as_string(hide_password=True)


def progress_bar() -> Progress:
    """The bar long commands show: description, bar, done/total, elapsed time."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
