"""참여자 화면: 참여 이력, 참여 제한 사용량, 예외 승인, 명세서."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from payroll.services.common.access import Actor
from payroll.services.console import runs as console_runs
from payroll.web import deps

router = APIRouter()
ActorDep = Annotated[Actor, Depends(deps.actor)]


@router.get("/participants")
def search(
    request: Request, me: ActorDep, q: str = "", program: str = "", sort: str = "id", p: int = 1
) -> Any:
    """The district's participants: filter by name/id and program, sort, page."""
    uow = deps.uow_of(request)
    listing = console_runs.participant_list(uow, me, q, program, sort, p)
    ctx = {
        "q": q,
        "listing": listing,
        "programs": console_runs.program_choices(uow),
        "sorts": console_runs.SORTS,
    }
    return deps.render(request, "participants.html", ctx)


@router.get("/participants/{participant_id}")
def participant(request: Request, me: ActorDep, participant_id: str) -> Any:
    report = console_runs.participant_page(deps.uow_of(request), me, participant_id)
    return deps.render(request, "participant.html", {"p": report})
