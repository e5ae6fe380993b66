"""올린 파일 기록: who uploaded which file when, its rows and result; the kept original of
an attendance or history file, for its district."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from payroll.services.common.access import Actor
from payroll.services.console import imports as console_imports
from payroll.services.uploads import registry as upload_kinds
from payroll.web import deps
from payroll.web.files import file_bytes

router = APIRouter()
ActorDep = Annotated[Actor, Depends(deps.actor)]


@router.get("/uploads/history")
def history(request: Request, me: ActorDep) -> Any:
    records = console_imports.upload_history(deps.uow_of(request), me)
    ctx = {"records": records, "kinds": upload_kinds.titles()}
    return deps.render(request, "upload_history.html", ctx)


@router.get("/uploads/history/{upload_id}/original")
def original(request: Request, me: ActorDep, upload_id: int) -> Any:
    return file_bytes(*console_imports.upload_original(deps.uow_of(request), me, upload_id))
