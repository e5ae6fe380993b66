"""Uploads of the web console: roster, history and attendance files, for one acting user.

The file goes through the same import services as ``payroll import …`` (every row checked,
nothing written on any error). Before that, every row must belong to a district the clerk
works for: a roster row of another district, or a participant of another district, is a
row error (reported as unknown, so nothing about other districts leaks).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from payroll.formats.tabular import ImportRejected, RowError, TableError, read_once, read_table
from payroll.services import audit
from payroll.services.access import Action, Actor, require
from payroll.services.correction_preview import PreviewLine, preview_corrections
from payroll.services.imports.attendance import COLUMN_ALIASES as ATTENDANCE_ALIASES
from payroll.services.imports.attendance import import_attendance
from payroll.services.imports.common import ROSTER_ALIASES
from payroll.services.imports.history import HISTORY_ALIASES, import_history
from payroll.services.imports.rosters import import_participants
from payroll.services.unit_of_work import UnitOfWork

KINDS = {
    "roster": "참여자 명부",
    "history": "과거 참여 이력",
    "attendance": "근태 예외",
    "correction": "확정된 달 근태 정정",
}
NOT_FOUND = "참여자를 찾을 수 없습니다"
# The import services' words for an ID nobody has; in the console they read as NOT_FOUND,
# the same text as an ID of another district, so a refusal tells nothing about who exists.
UNKNOWN_REASONS = ("no enrolled participant with this id", "unknown participant")
SUFFIXES = (".csv", ".xlsx")


@dataclass
class UploadResult:
    """What an upload did: a summary line, or the row errors (nothing written)."""

    kind: str
    filename: str
    summary: str = ""
    errors: list[RowError] = field(default_factory=list)
    message: str = ""
    preview: list[PreviewLine] | None = None  # a correction not yet saved: what it carries

    @property
    def ok(self) -> bool:
        return not self.errors and not self.message


def safe_name(filename: str) -> str:
    """The uploaded file's own name without folders or odd characters; .csv or .xlsx."""
    base = Path(filename.replace("\\", "/")).name
    stem, suffix = Path(base).stem, Path(base).suffix.lower()
    if suffix not in SUFFIXES:
        raise TableError(f"{base or '(이름 없음)'}: .csv 또는 .xlsx 파일만 올릴 수 있습니다")
    stem = re.sub(r"[^\w.-]+", "_", stem).strip("._") or "upload"
    return stem[:80] + suffix


def _scope_errors(uow: UnitOfWork, actor: Actor, kind: str, path: Path) -> list[RowError]:
    aliases = {
        "roster": ROSTER_ALIASES,
        "history": HISTORY_ALIASES,
        "attendance": ATTENDANCE_ALIASES,
        "correction": ATTENDANCE_ALIASES,
    }[kind]
    rows = read_table(path, aliases)
    errors: list[RowError] = []
    ids = {r.get("participant_id", "") for r in rows} - {""}
    with uow:
        by_name = {name: code for code, name in uow.names.districts().items()}
        district_of = uow.console.participant_districts(sorted(ids))
    for row in rows:
        pid = row.get("participant_id", "")
        held_by = district_of.get(pid, set())
        if kind != "roster" and held_by and not any(actor.sees(code) for code in held_by):
            errors.append(RowError(row.number, "participant_id", pid, NOT_FOUND))
        if kind == "roster":
            value = row.get("district", "")
            code = by_name.get(value, value)
            if value and not actor.sees(code):
                errors.append(RowError(row.number, "district", value, "담당 자치구가 아닙니다"))
    return errors


def _uniform(error: RowError) -> RowError:
    """An unknown participant ID is refused in the words used for another district's."""
    if error.column == "participant_id" and error.reason.startswith(UNKNOWN_REASONS):
        return RowError(error.row, error.column, error.value, NOT_FOUND)
    return error


def upload(
    uow: UnitOfWork,
    actor: Actor,
    kind: str,
    filename: str,
    data: bytes,
    confirmed: bool = False,
) -> UploadResult:
    """Import an uploaded file all or nothing; row errors come back in the result.

    A correction of finalized months is first previewed (each participant's carried-over
    amount per month, nothing saved); it is saved when sent again ``confirmed``."""
    require(actor, Action.UPLOAD)
    if kind not in KINDS:
        raise TableError(f"알 수 없는 파일 종류 {kind!r}")
    result = UploadResult(kind, filename)
    folder = Path(tempfile.mkdtemp(prefix="payroll-upload-"))
    try:
        try:
            path = folder / safe_name(filename)
            path.write_bytes(data)
            with read_once():  # the scope check, the preview and the import share one parse
                result.errors = _scope_errors(uow, actor, kind, path)
                if result.errors:
                    return result
                if kind == "correction" and not confirmed:
                    result.errors, result.preview = preview_corrections(uow, path)
                    return result
                with audit.acting_as(actor.kind):
                    result.summary = _import(uow, actor, kind, path)
        except ImportRejected as exc:
            result.errors = [_uniform(e) for e in exc.errors]
        except TableError as exc:
            result.message = str(exc).replace(str(folder) + "/", "")
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _import(uow: UnitOfWork, actor: Actor, kind: str, path: Path) -> str:
    if kind == "roster":
        r = import_participants(uow, path, by=actor.name)
        return (
            f"참여자 {r.participants_added}명 추가, {r.participants_updated}명 수정, "
            f"참여 {r.enrollments_added}건 추가, 변경 없음 {r.unchanged}행"
        )
    if kind == "history":
        h = import_history(
            uow, path, actor=actor.name, districts=None if actor.city_wide else actor.districts
        )
        return f"과거 참여 {h.added}건 추가, 변경 없음 {h.unchanged}건"
    if kind == "correction":
        c = import_attendance(uow, path, correction=True, actor=actor.name)
        return (
            f"근태 정정 {c.rows}행: {c.added}건 추가, {c.replaced}건 변경 — 다음 급여 계산에서 "
            "차액을 정산합니다"
        )
    a = import_attendance(uow, path, actor=actor.name)
    return f"근태 {a.rows}행: {a.added}건 추가, {a.replaced}건 변경, {a.unchanged}건 그대로"
