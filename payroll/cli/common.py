"""What every command shares: the console, database access, errors and number format."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable
from rich.text import Text
from sqlalchemy import make_url
from sqlalchemy.exc import OperationalError

from payroll.config.settings import database_url, sqlite_file_missing
from payroll.domain.model import PayrollError
from payroll.formats.inputs import InputError, parse_date, parse_month
from payroll.privacy.rrn import redact

if TYPE_CHECKING:
    from payroll.composition import Root

# Wide enough for run and ledger tables when output goes to a file or a pipe.
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``error: message`` on stderr and exit non-zero (markup escaped, RRNs masked)."""
    err_console.print(f"[bold red]오류:[/] {plain(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


INVALID_INPUT = 2
"""Exit code of every command for input it cannot understand (month, date, name, file)."""


def fail_on(exc: PayrollError) -> NoReturn:
    """Fail with the error's message: exit 2 for bad input, 1 for anything else."""
    fail(str(exc), INVALID_INPUT if isinstance(exc, InputError) else 1)


def month_option(value: str | None) -> str | None:
    """Typer callback: a month in any accepted form as ``YYYY-MM``; exit 2 otherwise."""
    if value is None:
        return None
    try:
        return parse_month(value)
    except InputError as exc:
        fail(str(exc), INVALID_INPUT)


def date_option(value: str | None) -> date | None:
    """A date option in any accepted form; exit 2 otherwise."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except InputError as exc:
        fail(str(exc), INVALID_INPUT)


def plain(text: object) -> str:
    """User text for a Rich markup string: resident numbers masked, ``[`` escaped."""
    return escape(redact(str(text)))


class Table(RichTable):
    """A Rich table whose cells are data, never markup (a ``[/]`` in a name prints as is)."""

    def add_row(self, *renderables: Any, **kwargs: Any) -> None:
        super().add_row(
            *(Text(redact(r)) if isinstance(r, str) else r for r in renderables), **kwargs
        )


def open_root() -> Root:
    """The command's composition root (:mod:`payroll.composition`) on the configured database;
    a clear error when there is none or it was never initialised.

    With no ``PAYROLL_DATABASE_URL`` the database is ``payroll.db`` in the working
    directory, and only ``payroll init`` creates it: any other command stops (exit 2)
    saying how to create one instead of leaving an empty file behind.
    """
    from payroll.composition import build
    from payroll.db import migrate

    url = database_url()
    missing = sqlite_file_missing(url)
    if missing is not None:
        fail(
            f"데이터베이스가 없습니다: {missing} (이 폴더에서 `payroll init`으로 만들거나, "
            "PAYROLL_DATABASE_URL에 기존 데이터베이스를 지정하세요)",
            INVALID_INPUT,
        )
    try:
        current = migrate.current_revision(url)
    except OperationalError as exc:
        fail(f"cannot open the database {_safe(url)}: {str(exc.orig).strip().splitlines()[0]}")
    if current is None:
        fail(f"database {_safe(url)} is not initialised: run `payroll init` first")
    if current != migrate.head_revision():
        fail(f"database {_safe(url)} is at schema {current}: run `payroll init` to upgrade it")
    return build(url)


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
