"""``payroll``: the payroll and scheduling batch system for Seoul's public-job programs."""

from __future__ import annotations

import typer

from payroll.cli.common import Table, _safe, console, plain
from payroll.cli.errors import SafeGroup
from payroll.config.settings import database_url
from payroll.db import migrate
from payroll.db.catalog_store import load_catalog
from payroll.db.engine import make_engine, transaction
from payroll.reference.catalog import shipped_catalog_data

app = typer.Typer(
    name="payroll",
    help=(
        "Payroll for Seoul's public-job programs (서울 동행일자리, 서울 매력일자리): "
        "rosters and participation limits, monthly payroll runs, PDF payslips and "
        "city/district cost-sharing ledgers.\n\n"
        "The database is payroll.db in the current directory, or PAYROLL_DATABASE_URL "
        "(e.g. postgresql+psycopg://user@host/payroll). Start with `payroll init`."
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
    cls=SafeGroup,
)


@app.command()
def init() -> None:
    """Create the database or upgrade it to the newest schema, and load the shipped catalog.

    Catalog rows the database already has are kept as an administrator left them.
    """
    url = database_url()
    before = migrate.current_revision(url)
    migrate.upgrade(url)
    engine = make_engine(url)
    with transaction(engine) as session:
        report = load_catalog(session, shipped_catalog_data())
    engine.dispose()
    after = migrate.current_revision(url)
    state = "created" if before is None else ("upgraded" if before != after else "up to date")
    console.print(f"Database [bold]{plain(_safe(url))}[/] {state} (schema {after}).")
    if report.total:
        table = Table("catalog", "rows added", title="Shipped catalog loaded")
        for kind, count in report.added.items():
            table.add_row(kind, str(count))
        console.print(table)
    else:
        console.print("Catalog already loaded; nothing added.")
    _person_key_advice(url)


def _person_key_advice(url: str) -> None:
    """Say what to do when the city-wide person key is missing or not yet computed."""
    from payroll.db.uow import SqlUnitOfWork
    from payroll.services.city import person_key_advice

    engine = make_engine(url)
    try:
        advice = person_key_advice(SqlUnitOfWork(engine))
    finally:
        engine.dispose()
    if advice:
        console.print(f"[yellow]{plain(advice)}[/]")


import_app = typer.Typer(
    help="Import rosters, history and attendance (CSV or XLSX).", no_args_is_help=True
)


def _register() -> None:
    """Attach the commands that live in their own modules, in the order a month runs."""
    from payroll.cli import admin as admin_cli
    from payroll.cli import audit as audit_cli
    from payroll.cli import calc as calc_cli
    from payroll.cli import catalog as catalog_cli
    from payroll.cli import demo as demo_cli
    from payroll.cli import enrollment as enrollment_cli
    from payroll.cli import ledger as ledger_cli
    from payroll.cli import payments as payments_cli
    from payroll.cli import payslips as payslips_cli
    from payroll.cli import report as report_cli
    from payroll.cli import roster as roster_cli
    from payroll.cli import rrn as rrn_cli
    from payroll.cli import runs as runs_cli
    from payroll.cli import scheduler as scheduler_cli
    from payroll.cli import template as template_cli
    from payroll.cli import users as users_cli
    from payroll.cli import web as web_cli

    app.add_typer(import_app, name="import")
    import_app.command("participants")(roster_cli.import_participants)
    import_app.command("history")(roster_cli.import_history)
    import_app.command("attendance")(runs_cli.import_attendance_command)
    app.command("enroll")(roster_cli.enroll)
    app.add_typer(enrollment_cli.enrollment_app, name="enrollment")
    app.add_typer(roster_cli.participant_app, name="participant")
    app.command("calc")(calc_cli.calc)
    app.add_typer(runs_cli.run_app, name="run")
    runs_cli.run_app.command("hold")(payments_cli.hold)
    runs_cli.run_app.command("release")(payments_cli.release)
    app.add_typer(payments_cli.payment_app, name="payment")
    app.add_typer(payslips_cli.payslips_app, name="payslips")
    app.command("ledger")(ledger_cli.ledger)
    app.command("reconcile")(ledger_cli.reconcile)
    app.add_typer(report_cli.report_app, name="report")
    app.add_typer(scheduler_cli.scheduler_app, name="scheduler")
    app.add_typer(admin_cli.holiday_app, name="holiday")
    app.add_typer(admin_cli.withholding_app, name="withholding")
    app.add_typer(catalog_cli.catalog_app, name="catalog")
    app.command("template")(template_cli.template)
    app.add_typer(rrn_cli.rrn_app, name="rrn")
    app.command("demo")(demo_cli.demo)
    app.add_typer(users_cli.user_app, name="user")
    app.add_typer(users_cli.setting_app, name="setting")
    app.command("web")(web_cli.web)
    app.command("audit")(audit_cli.audit)


_register()


if __name__ == "__main__":
    app()
