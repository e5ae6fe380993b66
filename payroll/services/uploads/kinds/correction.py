"""확정된 달 근태 정정: a correction of finalized months, previewed before it is saved
(``payroll import attendance --correction``)."""

from __future__ import annotations

from pathlib import Path

from payroll.services.common.access import Actor
from payroll.services.imports.attendance import COLUMN_ALIASES, REQUIRED, import_attendance
from payroll.services.unit_of_work import UnitOfWork
from payroll.services.uploads.registry import UploadKind


def _run(uow: UnitOfWork, actor: Actor, path: Path) -> str:
    c = import_attendance(uow, path, correction=True, actor=actor.name)
    return (
        f"근태 정정 {c.rows}행: {c.added}건 추가, {c.replaced}건 변경 — 다음 급여 계산에서 "
        "차액을 정산합니다"
    )


KIND = UploadKind(
    kind="correction",
    title="확정된 달 근태 정정",
    aliases=COLUMN_ALIASES,
    required=REQUIRED,
    rows_name="participant",
    run=_run,
    previewed=True,
    order=40,
)
