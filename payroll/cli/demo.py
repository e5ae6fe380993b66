"""``payroll demo``: a realistic synthetic city, written as import files and loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from payroll.cli.common import console, fail, open_root
from payroll.demo.synthetic import generate_city, write_city
from payroll.domain.model import PayrollError
from payroll.services.imports.attendance import import_attendance
from payroll.services.imports.history import import_history
from payroll.services.imports.rosters import import_participants


def demo(
    participants: Annotated[int, typer.Option(help="How many participants.")] = 40,
    districts: Annotated[int, typer.Option(help="How many of the 25 districts.")] = 1,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same city.")] = 1,
    month: Annotated[str, typer.Option(help="Month of the attendance file.")] = "2025-03",
    out: Annotated[Path, typer.Option(help="Folder for the generated import files.")] = Path(
        "demo-input"
    ),
    file_format: Annotated[str, typer.Option("--format", help="csv or xlsx.")] = "csv",
    load: Annotated[bool, typer.Option(help="Import the files into the database.")] = True,
) -> None:
    """Generate a synthetic city and import it as an administrator would.

    Korean names, both programs, absences, partial days, leave, holiday work, and
    histories near the participation limits.

    Deterministic for a seed. Participants whose history would break a limit are left
    out of the roster and listed, as the enrollment rules would refuse them.
    """
    if file_format not in ("csv", "xlsx"):
        fail("--format must be csv or xlsx")
    city = generate_city(participants, districts, seed, month)
    paths = write_city(city, out, file_format)  # type: ignore[arg-type]
    programs: dict[str, int] = {}
    for row in city.roster:
        programs[row["program"]] = programs.get(row["program"], 0) + 1
    names = ", ".join(city.district_names.get(d, d) for d in city.districts)
    console.print(
        f"Synthetic city (seed {seed}): {len(city.roster)} participants in {names}; "
        + ", ".join(f"{p} {n}" for p, n in sorted(programs.items()))
        + f"; {len(city.history)} past enrollments; {len(city.attendance)} "
        f"attendance exceptions for {month}."
    )
    if city.limit_breakers:
        console.print(
            f"Left out (would break a participation limit): {', '.join(city.limit_breakers)}"
        )
    for name, path in paths.items():
        console.print(f"  {name}: {path}")
    if not load:
        return
    root = open_root()
    try:
        uow = root.uow()
        roster = import_participants(uow, paths["roster"], by="demo")
        history = import_history(uow, paths["history"], actor="demo")
        attendance = import_attendance(uow, paths["attendance"], actor="demo")
    except PayrollError as exc:
        fail(str(exc))
    console.print(
        f"Imported: {roster.participants_added} participants, "
        f"{roster.enrollments_added} enrollments, {history.added} past enrollments, "
        f"{attendance.added} attendance records."
    )
