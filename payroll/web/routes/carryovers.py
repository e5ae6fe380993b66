"""급여 실행 화면의 지급 보류 해제, 이체 반환, 미지급 정리와 감사 기록 화면."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from payroll.domain.model import PayrollError
from payroll.domain.money import won
from payroll.formats.inputs import InputError, parse_date
from payroll.services.admin.audit_log import AuditFilter, console_audit, describe
from payroll.services.common.access import Actor, Forbidden, NotFound
from payroll.services.common.display_names import names
from payroll.services.console import carryovers as console_carryovers
from payroll.web import deps

router = APIRouter()
ActorDep = Annotated[Actor, Depends(deps.actor)]


def _act(request: Request, run_id: int, call: Any) -> Any:
    try:
        deps.flash(request, call())
    except (NotFound, Forbidden):
        raise
    except PayrollError as exc:
        deps.flash(request, str(exc), "error")
    return RedirectResponse(f"/runs/{run_id}", status_code=303)


@router.post("/runs/{run_id}/release")
def release(
    request: Request, me: ActorDep, run_id: int, participant_id: Annotated[str, Form()]
) -> Any:
    uow = deps.uow_of(request)

    def call() -> str:
        item = console_carryovers.release(uow, me, run_id, participant_id)
        return (
            f"{participant_id} {item.ref_month} 보류분 {won(item.total)} 해제: "
            "다음 급여 계산에서 미지급분으로 지급합니다."
        )

    return _act(request, run_id, call)


@router.post("/runs/{run_id}/returned")
def returned(
    request: Request,
    me: ActorDep,
    run_id: int,
    participant_id: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Any:
    uow = deps.uow_of(request)

    def call() -> str:
        item = console_carryovers.returned(uow, me, run_id, participant_id, reason)
        return (
            f"{participant_id} 이체 반환 {won(item.total)} 기록: 계좌를 고치면 다음 급여에서 "
            "다시 지급합니다."
        )

    return _act(request, run_id, call)


@router.post("/runs/{run_id}/carryovers/{carry_id}/write-off")
def write_off(
    request: Request,
    me: ActorDep,
    run_id: int,
    carry_id: int,
    reason: Annotated[str, Form()] = "",
) -> Any:
    uow = deps.uow_of(request)

    def call() -> str:
        item = console_carryovers.write_off(uow, me, run_id, carry_id, reason)
        return f"이월 항목 {item.id} ({item.kind.korean}) 정리: 사유 {reason}"

    return _act(request, run_id, call)


@router.get("/audit")
def audit_page(
    request: Request,
    me: ActorDep,
    run: str = "",
    participant: str = "",
    actor: str = "",
    since: str = "",
) -> Any:
    """감사 기록: 팀장은 담당 자치구, 재무·시 관리자는 전체."""
    error = ""
    entries: list[Any] = []
    try:
        day: date | None = parse_date(since) if since.strip() else None
        entries = console_audit(
            deps.uow_of(request), me, AuditFilter(run or None, participant or None, actor, day)
        )
    except (NotFound, Forbidden):
        raise
    except (InputError, PayrollError) as exc:
        error = str(exc)
    known = names(deps.uow_of(request))
    rows = [(e, describe(e, known)) for e in entries]
    return deps.render(
        request,
        "audit.html",
        {
            "rows": rows,
            "error": error,
            "run": run,
            "participant": participant,
            "actor": actor,
            "since": since,
        },
    )
