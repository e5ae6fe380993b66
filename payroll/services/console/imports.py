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
from datetime import UTC, datetime
from pathlib import Path

from payroll.domain.console import UploadRecord
from payroll.formats.tabular import ImportRejected, RowError, TableError, read_once, read_table
from payroll.services.common import audit
from payroll.services.common.access import Action, Actor, NotFound, require
from payroll.services.runs.correction_preview import PreviewLine, preview_corrections
from payroll.services.unit_of_work import UnitOfWork
from payroll.services.uploads import registry
from payroll.services.uploads.registry import UploadKind


def column_label(column: str, kind: str) -> str:
    """The Korean header a district writes for a canonical column of ``kind``'s files."""
    declared = registry.kind_of(kind)
    return declared.column_label(column) if declared else column


NOT_FOUND = "참여자를 찾을 수 없습니다"
# The import services' words for an ID nobody has; in the console they read as NOT_FOUND,
# the same text as an ID of another district, so a refusal tells nothing about who exists.
UNKNOWN_REASONS = ("이 번호로 참여 중인 참여자가 없습니다", "참여자가 없습니다")
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


def _scope_errors(
    uow: UnitOfWork, actor: Actor, kind: UploadKind, path: Path
) -> tuple[list[RowError], int]:
    rows = read_table(path, kind.aliases, kind.required)
    errors: list[RowError] = []
    ids = {r.get("participant_id", "") for r in rows} - {""}
    with uow:
        by_name = {name: code for code, name in uow.names.districts().items()}
        district_of = uow.console.participant_districts(sorted(ids))
    for row in rows:
        pid = row.get("participant_id", "")
        held_by = district_of.get(pid, set())
        if (
            kind.rows_name == "participant"
            and held_by
            and not any(actor.sees(code) for code in held_by)
        ):
            errors.append(RowError(row.number, "participant_id", pid, NOT_FOUND))
        if kind.rows_name == "district":
            value = row.get("district", "")
            code = by_name.get(value, value)
            if value and not actor.sees(code):
                errors.append(RowError(row.number, "district", value, "담당 자치구가 아닙니다"))
    return errors, len(rows)


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
    declared = registry.kind_of(kind)
    if declared is None:
        raise TableError(f"알 수 없는 파일 종류 {kind!r}")
    result = UploadResult(kind, filename)
    folder = Path(tempfile.mkdtemp(prefix="payroll-upload-"))
    rows = 0
    try:
        try:
            path = folder / safe_name(filename)
            path.write_bytes(data)
            with read_once():  # the scope check, the preview and the import share one parse
                result.errors, rows = _scope_errors(uow, actor, declared, path)
                if not result.errors and declared.previewed and not confirmed:
                    result.errors, result.preview = preview_corrections(uow, path)
                    return result  # a preview saves nothing, history included
                if not result.errors:
                    with audit.acting_as(actor.kind):
                        result.summary = declared.run(uow, actor, path)
        except ImportRejected as exc:
            result.errors = [_uniform(e) for e in exc.errors]
        except TableError as exc:
            result.message = str(exc).replace(str(folder) + "/", "")
        _remember(uow, actor, result, rows, data)
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _remember(uow: UnitOfWork, actor: Actor, result: UploadResult, rows: int, data: bytes) -> None:
    """The upload in the history (after the import's own transaction, whatever its end)."""
    if result.ok:
        outcome = result.summary
    elif result.errors:
        first = result.errors[0]
        outcome = f"오류 {len(result.errors)}건 (첫 오류 {first.row}행: {first.reason}), 저장 안 함"
    else:
        outcome = result.message
    record = UploadRecord(
        0,
        datetime.now(UTC),
        actor.name,
        result.kind,
        Path(result.filename.replace("\\", "/")).name[:200],
        rows,
        result.ok,
        outcome[:2000],
        tuple(sorted(actor.districts)),
    )
    with uow:
        declared = registry.kind_of(result.kind)
        keep = (
            declared is not None
            and declared.keep_original
            and record.filename.lower().endswith(SUFFIXES)
        )
        uow.console.add_upload(record, data if keep else None)


HISTORY_SIZE = 100


def upload_history(uow: UnitOfWork, actor: Actor) -> list[UploadRecord]:
    """The latest uploads for the actor's districts (all for city-wide roles), newest first."""
    require(actor, Action.VIEW_PEOPLE)
    districts = None if actor.city_wide else actor.districts
    with uow:
        return uow.console.uploads(districts, HISTORY_SIZE)


def upload_original(uow: UnitOfWork, actor: Actor, upload_id: int) -> tuple[str, bytes]:
    """The kept original of an upload of the actor's districts: (file name, bytes)."""
    require(actor, Action.VIEW_PEOPLE)
    with uow:
        found = uow.console.upload_file(upload_id)
    if found is None or not (actor.city_wide or set(found[0].districts) & actor.districts):
        raise NotFound(f"올린 파일 {upload_id}: 찾을 수 없습니다")
    record, content = found
    if content is None:
        raise NotFound(f"{record.filename}: 명부 원본은 주민등록번호 때문에 보관하지 않습니다")
    return record.filename, content
