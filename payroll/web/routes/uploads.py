"""파일 올리기: 참여자 명부, 과거 참여 이력, 근태 예외 (오류가 있으면 아무것도 저장하지 않음)."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile

from payroll.domain.model import PayrollError
from payroll.services.common.access import Action, Actor, Forbidden, NotFound, require
from payroll.services.console import imports as console_imports
from payroll.services.console import reports as console_reports
from payroll.services.uploads import registry as upload_kinds
from payroll.web import deps
from payroll.web.files import file_bytes

router = APIRouter()
ActorDep = Annotated[Actor, Depends(deps.actor)]
MAX_UPLOAD = 20 * 1024 * 1024


@router.get("/uploads")
def uploads_page(request: Request, me: ActorDep) -> Any:
    require(me, Action.UPLOAD)
    return deps.render(request, "uploads.html", {"kinds": upload_kinds.titles()})


@router.post("/uploads/{kind}")
def upload(
    request: Request,
    me: ActorDep,
    kind: str,
    file: Annotated[UploadFile | None, File()] = None,
    payload: Annotated[str, Form()] = "",
    filename: Annotated[str, Form()] = "",
) -> Any:
    """Check and import a file; a plain ``def``, so parsing runs in a worker thread. A
    correction comes back first as a preview whose form sends the same bytes again
    (``payload``) to save them."""
    require(me, Action.UPLOAD)
    confirmed = bool(payload)
    if confirmed:
        try:
            data = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            data = b""
    elif file is not None:
        data = file.file.read(MAX_UPLOAD + 1)
        filename = file.filename or ""
    else:
        data = b""
    ctx: dict[str, Any] = {"kinds": upload_kinds.titles()}
    if len(data) > MAX_UPLOAD:
        ctx["message"] = "파일이 너무 큽니다 (20MB까지)"
        return deps.render(request, "uploads.html", ctx, 413)
    try:
        result = console_imports.upload(
            deps.uow_of(request), me, kind, filename, data, confirmed=confirmed
        )
    except (NotFound, Forbidden):
        raise
    except PayrollError as exc:
        ctx["message"] = str(exc)
        return deps.render(request, "uploads.html", ctx, 400)
    if result.message:  # the file could not be read as a table at all
        ctx["message"] = f"{result.filename}: {result.message}"
        return deps.render(request, "uploads.html", ctx, 400)
    ctx["result"] = result
    if result.preview is not None and result.ok:
        ctx["payload"] = base64.b64encode(data).decode()
    ctx["column_label"] = console_imports.column_label
    return deps.render(request, "uploads.html", ctx, 200 if result.ok else 422)


@router.get("/templates/{kind}.xlsx")
def template(me: ActorDep, kind: str) -> Any:
    return file_bytes(*console_reports.import_template(me, kind))
