"""``payroll enrollment end``: a participant leaves before the planned end (§14)."""

from __future__ import annotations

from typing import Annotated

import typer

from payroll.cli.common import console, date_option, fail_on, open_root
from payroll.domain.model import PayrollError
from payroll.services.common.identity import operator
from payroll.services.enrollment.early_end import (
    END_REASONS,
    end_enrollment,
    open_runs,
    reason_label,
)
from payroll.services.runs.lifecycle import calculate_runs

enrollment_app = typer.Typer(help="Enrollments: early end (중도 종료).", no_args_is_help=True)

_REASONS = ", ".join(f"{code} ({label})" for code, label in END_REASONS.items())


@enrollment_app.command("end")
def end(
    participant_id: Annotated[str, typer.Argument(help="The participant's id (참여자번호).")],
    on: Annotated[
        str, typer.Option("--on", help="The last day of work E' (e.g. 2025-04-18, 2025.4.18).")
    ],
    reason: Annotated[str, typer.Option("--reason", help=f"Reason: {_REASONS}.")],
    by: Annotated[str, typer.Option("--by", help="Your name, for the audit log.")],
    note: Annotated[
        str | None, typer.Option("--note", help="Free text; required for other.")
    ] = None,
    program: Annotated[
        str | None, typer.Option(help="The enrollment's program, when there are several.")
    ] = None,
    term: Annotated[str | None, typer.Option(help="The enrollment's term, e.g. 2025-H1.")] = None,
    district: Annotated[
        str | None,
        typer.Option(help="The participant's district (code or name), when several use the ID."),
    ] = None,
) -> None:
    """End an enrollment early: from then on every rule uses the new end date.

    Inside a month already finalized for the enrollment the overpaid amount becomes a
    recovery (환수), taken from the participant's next pay or owed (`payroll payment open`).
    Runs of the end's month and later that are not finalized are calculated again.
    """
    day = date_option(on)
    assert day is not None
    root = open_root()
    try:
        uow = root.uow()
        by = operator(uow, by)  # one identity with the console's users
        result = end_enrollment(uow, participant_id, day, reason, by, note, program, term, district)
        if not result.changed:
            console.print(
                f"{result.participant_id}: 이미 {result.end.isoformat()} "
                f"({reason_label(result.reason)})로 종료되어 있습니다; 바뀐 것이 없습니다."
            )
            return
        console.print(
            f"{result.participant_id} {result.program}: 종료일 {result.planned_end.isoformat()} → "
            f"{result.end.isoformat()} ({reason_label(result.reason)})"
            + (f", 종료일 이후 근태 {result.removed_days}건 삭제" if result.removed_days else "")
        )
        for month in open_runs(uow, result):
            for run in calculate_runs(uow, month, result.district, result.program, actor=by):
                console.print(f"급여 실행 {run.id} ({run.month}) 다시 계산: 순지급 {run.net:,}원")
    except PayrollError as exc:
        fail_on(exc)
