"""Administrators' data: the holiday override table and the withholding table."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from payroll.cli.common import Table, console, fail, open_engine
from payroll.db.stores.admin import check_holiday_name
from payroll.db.uow import SqlUnitOfWork
from payroll.domain.model import PayrollError
from payroll.formats.inputs import InputError, parse_date
from payroll.reference.withholding_data import load_withholding_table
from payroll.services.admin_tables import (
    holiday_calendar,
    set_holiday_override,
    store_withholding,
    withholding_table,
)
from payroll.services.identity import operator

holiday_app = typer.Typer(
    help="Public holidays: the calendar and the administrators' override "
    "table (a temporary holiday declared late, or a removal).",
    no_args_is_help=True,
)
withholding_app = typer.Typer(
    help="The income-tax withholding table (근로소득 간이세액표).", no_args_is_help=True
)

By = Annotated[str, typer.Option("--by", help="Your name, for the audit log.")]


def _day(text: str) -> date:
    try:
        return parse_date(text)
    except InputError as exc:
        raise typer.BadParameter(str(exc)) from None


@holiday_app.command("list")
def holiday_list(year: Annotated[int, typer.Argument(help="Year, e.g. 2025.")]) -> None:
    """Every paid public holiday of a year, with the overrides applied."""
    calendar, stored = holiday_calendar(SqlUnitOfWork(open_engine()))
    overrides = {o.day: o.action for o in stored}
    table = Table("date", "weekday", "holiday", "source", title=f"Public holidays {year}")
    for day, name in sorted(
        calendar.holidays_between(date(year, 1, 1), date(year, 12, 31)).items()
    ):
        table.add_row(
            day.isoformat(),
            "월화수목금토일"[day.weekday()],
            name,
            "override" if overrides.get(day) == "add" else "",
        )
    console.print(table)
    removed = sorted(d for d, a in overrides.items() if a == "remove" and d.year == year)
    if removed:
        console.print("Removed by override: " + ", ".join(d.isoformat() for d in removed))


@holiday_app.command("add")
def holiday_add(
    day: Annotated[str, typer.Argument(help="YYYY-MM-DD")],
    name: Annotated[str, typer.Argument(help="Name, e.g. 임시공휴일.")],
    by: By,
) -> None:
    """Declare a paid holiday the holidays package does not know yet."""
    _override(_day(day), "add", name, by)


@holiday_app.command("remove")
def holiday_remove(day: Annotated[str, typer.Argument(help="YYYY-MM-DD")], by: By) -> None:
    """Treat a listed public holiday as a workday."""
    _override(_day(day), "remove", "", by)


def _override(day: date, action: str, name: str, by: str) -> None:
    try:
        check_holiday_name(name, action)
    except PayrollError as exc:
        fail(str(exc))
    uow = SqlUnitOfWork(open_engine())
    set_holiday_override(uow, day, action, name, operator(uow, by))
    console.print(
        f"{day.isoformat()}: holiday {'added' if action == 'add' else 'removed'}. "
        "Runs calculated from now on use it; finalized months never change."
    )


@withholding_app.command("import")
def withholding_import(
    file: Annotated[Path, typer.Argument(help="The NTS table as published (XLSX or CSV).")],
    by: By,
) -> None:
    """Use another official table file instead of the shipped one, accepted unchanged."""
    try:
        table = load_withholding_table(file)
    except (OSError, PayrollError) as exc:
        fail(str(exc))
    uow = SqlUnitOfWork(open_engine())
    store_withholding(uow, table, str(file), file.name, operator(uow, by))
    console.print(
        f"Withholding table from {file}: {len(table.rows)} pay bands; used by runs "
        "calculated from now on."
    )


@withholding_app.command("show")
def withholding_show(
    pay: Annotated[int, typer.Argument(help="Monthly taxable pay in won.")],
    dependents: Annotated[int, typer.Option(help="Number of dependants (1 = alone).")] = 1,
) -> None:
    """The monthly income tax the table in use withholds for a pay and dependants."""
    table = withholding_table(SqlUnitOfWork(open_engine()))
    try:
        tax = table.tax(pay, dependents)
    except PayrollError as exc:
        fail(str(exc))
    console.print(
        f"{pay:,} won, {dependents} dependant(s): income tax {tax:,} won (table: {table.source})"
    )
