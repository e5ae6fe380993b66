"""과거 참여 이력: earlier enrollments, for the participation limits
(``payroll import history``)."""

from __future__ import annotations

from pathlib import Path

from payroll.services.common.access import Actor
from payroll.services.imports.history import HISTORY_ALIASES, HISTORY_REQUIRED, import_history
from payroll.services.unit_of_work import UnitOfWork
from payroll.services.uploads.registry import UploadKind


def _run(uow: UnitOfWork, actor: Actor, path: Path) -> str:
    districts = None if actor.city_wide else actor.districts
    h = import_history(uow, path, actor=actor.name, districts=districts)
    return f"과거 참여 {h.added}건 추가, 변경 없음 {h.unchanged}건"


KIND = UploadKind(
    kind="history",
    title="과거 참여 이력",
    aliases=HISTORY_ALIASES,
    required=HISTORY_REQUIRED,
    rows_name="participant",
    run=_run,
    order=20,
)
