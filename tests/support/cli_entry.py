"""``python -m tests.support.cli_entry scheduler …``: the scheduler CLI for subprocess tests."""

from __future__ import annotations

import typer

from payroll.cli.scheduler import scheduler_app

app = typer.Typer()
app.add_typer(scheduler_app, name="scheduler")

if __name__ == "__main__":
    app()
