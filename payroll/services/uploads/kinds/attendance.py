"""근태 예외: absences, leave and hours of open months (``payroll import attendance``)."""

from __future__ import annotations

from pathlib import Path

from payroll.services.common.access import Actor
from payroll.services.imports.attendance import COLUMN_ALIASES, REQUIRED, import_attendance
from payroll.services.unit_of_work import UnitOfWork
from payroll.services.uploads.registry import UploadKind


def _run(uow: UnitOfWork, actor: Actor, path: Path) -> str:
    a = import_attendance(uow, path, actor=actor.name)
    return f"근태 {a.rows}행: {a.added}건 추가, {a.replaced}건 변경, {a.unchanged}건 그대로"


KIND = UploadKind(
    kind="attendance",
    title="근태 예외",
    aliases=COLUMN_ALIASES,
    required=REQUIRED,
    rows_name="participant",
    run=_run,
    order=30,
)
