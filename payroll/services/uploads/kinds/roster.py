"""참여자 명부: participants and their enrollments (``payroll import participants``)."""

from __future__ import annotations

from pathlib import Path

from payroll.services.common.access import Actor
from payroll.services.imports.common import ROSTER_ALIASES
from payroll.services.imports.rosters import ROSTER_REQUIRED, import_participants
from payroll.services.unit_of_work import UnitOfWork
from payroll.services.uploads.registry import UploadKind


def _run(uow: UnitOfWork, actor: Actor, path: Path) -> str:
    r = import_participants(uow, path, by=actor.name)
    return (
        f"참여자 {r.participants_added}명 추가, {r.participants_updated}명 수정, "
        f"참여 {r.enrollments_added}건 추가, 변경 없음 {r.unchanged}행"
    )


KIND = UploadKind(
    kind="roster",
    title="참여자 명부",
    aliases=ROSTER_ALIASES,
    required=ROSTER_REQUIRED,
    rows_name="district",
    run=_run,
    keep_original=False,  # a roster may hold resident numbers in the clear
    order=10,
)
