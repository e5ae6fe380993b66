"""Administrators' data: the holiday override table and the withholding table."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from payroll.cli.common import Table, console, fail, open_root
from payroll.db.stores.admin import check_holiday_name
from payroll.domain.engine import pay_date_of
from payroll.domain.model import PayrollError
from payroll.formats.inputs import InputError, parse_date, parse_month
from payroll.reference.withholding_data import load_withholding_table
from payroll.services.admin.tables import (
    holiday_calendar,
    set_holiday_override,
    store_withholding,
    withholding_table,
    withholding_tables,
)
from payroll.services.common.identity import operator

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
    calendar, stored = holiday_calendar(open_root().uow())
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
        console.print("관리자가 뺀 공휴일: " + ", ".join(d.isoformat() for d in removed))


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
    uow = open_root().uow()
    set_holiday_override(uow, day, action, name, operator(uow, by))
    console.print(
        f"{day.isoformat()}: holiday {'added' if action == 'add' else 'removed'}. "
        "Runs calculated from now on use it; finalized months never change."
    )


@withholding_app.command("import")
def withholding_import(
    file: Annotated[Path, typer.Argument(help="The NTS table as published (XLSX or CSV).")],
    by: By,
    effective_from: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="시행일 YYYY-MM-DD: months paid on or after it use this table "
            "(default: every month not finalized).",
        ),
    ] = None,
) -> None:
    """Store an official table file, accepted unchanged, in force from its 시행일."""
    since = _day(effective_from) if effective_from else None
    try:
        table = load_withholding_table(file)
    except (OSError, PayrollError) as exc:
        fail(str(exc))
    uow = open_root().uow()
    marked = store_withholding(uow, table, str(file), file.name, operator(uow, by), since)
    when = f"지급일 {since.isoformat()}부터" if since else "모든 미확정 달에"
    console.print(
        f"간이세액표 {file}: {len(table.rows)}구간, {when} 적용합니다 "
        f"(재계산 표시된 급여 {len(marked)}건; 확정된 달은 그대로)."
    )


@withholding_app.command("show")
def withholding_show(
    pay: Annotated[
        int | None, typer.Argument(help="Monthly taxable pay in won (omit to list tables).")
    ] = None,
    dependents: Annotated[int, typer.Option(help="Number of dependants (1 = alone).")] = 1,
    month: Annotated[
        str | None,
        typer.Option("--month", help="YYYY-MM: the table in force on that month's pay date."),
    ] = None,
) -> None:
    """The stored tables with their 시행일, or the tax a table withholds for a pay."""
    uow = open_root().uow()
    if pay is None:
        table = Table("#", "시행일", "파일", "올린 시각", title="간이세액표")
        table.add_row("-", "처음부터", "내장 세액표 (payroll/data)", "")
        for table_id, source, since, loaded in withholding_tables(uow):
            table.add_row(
                str(table_id),
                since.isoformat() if since else "처음부터",
                source,
                f"{loaded:%Y-%m-%d %H:%M}",
            )
        console.print(table)
        console.print("각 달은 지급일(다음 달 10일)에 시행 중인 표를 씁니다.")
        return
    pay_date = None
    if month:
        try:
            pay_date = pay_date_of(date.fromisoformat(parse_month(month) + "-01"))
        except InputError as exc:
            fail(str(exc), 2)
    table_in_force = withholding_table(uow, pay_date)
    try:
        tax = table_in_force.tax(pay, dependents)
    except PayrollError as exc:
        fail(str(exc))
    console.print(
        f"{pay:,} won, {dependents} dependant(s): income tax {tax:,} won "
        f"(table: {table_in_force.source})"
    )
